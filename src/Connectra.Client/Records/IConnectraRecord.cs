namespace Connectra.Client.Records;

/// <summary>What every searchable Connectra record carries: its key and, when the query was ordered, its sort values.</summary>
public interface IConnectraRecord
{
    string? Uuid { get; }

    /// <summary>The hit's sort values; present only when the query had an order_by.</summary>
    IReadOnlyList<string>? Cursor { get; }
}
