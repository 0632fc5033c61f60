namespace Connectra.Backend.Application.Paging;

/// <summary>Bound from "Paging".</summary>
public sealed class PagingOptions
{
    public const string SectionName = "Paging";

    /// <summary>
    /// Signs cursor tokens so a client cannot forge sort values or reuse a token on another query. Every replica must
    /// share it; when unset, the API derives it from Auth:SigningKey.
    /// </summary>
    public string? CursorKey { get; set; }
}
