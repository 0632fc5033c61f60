namespace Connectra.Backend.Application.Paging;

/// <summary>
/// A page of results (docs/api.md#paging). <see cref="Next"/> and <see cref="Previous"/> are opaque tokens: send
/// one back as <c>cursor</c> (in the body for POST routes, in the query string for GET routes) with the same
/// filters and sort to get the adjacent page. Null means there is no such page.
/// </summary>
public sealed record CursorPage<T>(string? Next, string? Previous, IReadOnlyList<T> Results, PageMeta? Meta)
{
    /// <summary>The same page with every result turned into the shape the API returns.</summary>
    public CursorPage<TOut> Map<TOut>(Func<T, TOut> shape) => new(Next, Previous, [.. Results.Select(shape)], Meta);
}

/// <summary>How the page was produced. Counts are not computed here: the count routes give exact numbers.</summary>
public sealed record PageMeta(
    string Strategy,
    string? CountMode,
    bool FiltersApplied,
    string Ordering,
    int ReturnedRecords,
    int PageSize,
    int PageSizeCap,
    bool UsingReplica);

/// <summary><c>{"count": N}</c>: exact, from Connectra.</summary>
public sealed record CountResponse(long Count);
