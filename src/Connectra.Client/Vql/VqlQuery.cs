namespace Connectra.Client.Vql;

/// <summary>The query object Connectra's search and count routes take (docs/connectra.md#vql).</summary>
/// <remarks>
/// Every property is optional on the wire and omitted when null; Connectra drops keys it does not know, so a
/// misspelt property here would silently turn a filter into match_all. Keep the names exactly as docs/connectra.md#top-level-keys lists them.
/// </remarks>
public sealed record VqlQuery
{
    public VqlWhere? Where { get; init; }

    public IReadOnlyList<VqlOrder>? OrderBy { get; init; }

    /// <summary>The sort values of the last item of the previous page (Elasticsearch search_after).</summary>
    public IReadOnlyList<string>? Cursor { get; init; }

    /// <summary>1..10; Connectra computes from = (page - 1) × limit. Never combine page &gt; 1 with a cursor.</summary>
    public int? Page { get; init; }

    /// <summary>1..100; Connectra answers 400 above 100 and treats 0 or less as 25.</summary>
    public int? Limit { get; init; }

    /// <summary>PostgreSQL column names; must contain "uuid" or Connectra returns no rows.</summary>
    public IReadOnlyList<string>? SelectColumns { get; init; }

    /// <summary>Contacts only: attach each contact's company.</summary>
    public VqlCompanyConfig? CompanyConfig { get; init; }
}

public sealed record VqlOrder(string OrderBy, string OrderDirection)
{
    public const string Ascending = "asc";
    public const string Descending = "desc";
}

public sealed record VqlCompanyConfig
{
    public bool Populate { get; init; }

    public IReadOnlyList<string>? SelectColumns { get; init; }
}
