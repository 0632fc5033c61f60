using Connectra.Backend.Application.Vql;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Paging;

/// <summary>What to search: everything but the paging.</summary>
public sealed record SearchSpec(
    string Entity,
    VqlWhere? Where,
    IReadOnlyList<VqlOrder> OrderBy,
    IReadOnlyList<string>? SelectColumns,
    VqlCompanyConfig? CompanyConfig,
    bool Reversible);

/// <summary>Which page: a limit, and an offset or a token from an earlier page.</summary>
public sealed record PageRequest(int? Limit, int? Offset, string? Cursor)
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;

    public int EffectiveLimit => Limit ?? DefaultLimit;
}

public sealed record PageOf<T>(IReadOnlyList<T> Items, string? Next, string? Previous, string Strategy, int PageSize);

/// <summary>
/// Paging with no ceiling on top of Connectra: offsets inside its 1,000-row window, signed cursors (search_after)
/// beyond it and whenever a token is sent. Every query carries a total order (the converter appends uuid), so
/// walking <c>next</c> visits each row exactly once.
/// </summary>
public sealed class PagedSearch(CursorCodec codec)
{
    public async Task<PageOf<T>> FetchAsync<T>(
        SearchSpec spec,
        PageRequest page,
        Func<VqlQuery, CancellationToken, Task<IReadOnlyList<T>>> search,
        Func<T, IReadOnlyList<string>?> sortValuesOf,
        CancellationToken ct)
    {
        var (limit, fingerprint, token) = Resolve(spec, page);
        return token is null || token.Kind == CursorKind.Offset
            ? await ByOffsetAsync(spec, token?.Offset ?? page.Offset ?? 0, limit, fingerprint, search, sortValuesOf, ct)
            : await ByCursorAsync(spec, token, limit, fingerprint, search, sortValuesOf, ct);
    }

    /// <summary>
    /// Checks a page request exactly as <see cref="FetchAsync{T}"/> would, without fetching: for routes that take
    /// the same body but have no use for the page (counts).
    /// </summary>
    public void Validate(SearchSpec spec, PageRequest page) => Resolve(spec, page);

    private (int Limit, string Fingerprint, CursorToken? Token) Resolve(SearchSpec spec, PageRequest page)
    {
        var limit = page.EffectiveLimit;
        if (limit is < 1 or > PageRequest.MaxLimit)
        {
            throw new VqlValidationException("limit", $"limit must be between 1 and {PageRequest.MaxLimit}.");
        }

        if (page.Offset is < 0)
        {
            throw new VqlValidationException("offset", "offset must be 0 or more.");
        }

        var fingerprint = CursorCodec.Fingerprint(spec.Entity, spec.Where, spec.OrderBy);
        if (page.Cursor is not { Length: > 0 } cursor)
        {
            _ = WindowOf(page.Offset ?? 0, limit);
            return (limit, fingerprint, null);
        }

        if (page.Offset is > 0)
        {
            throw new VqlValidationException("offset", "Send either offset or cursor, not both: the cursor already says where the page starts.");
        }

        var token = codec.Decode(cursor, fingerprint);
        if (token.Kind == CursorKind.Offset)
        {
            _ = WindowOf(token.Offset, limit);
        }
        else if (token.SortValues.Count != spec.OrderBy.Count)
        {
            throw new VqlValidationException("cursor", "The cursor does not fit this query's order.");
        }

        return (limit, fingerprint, token);
    }

    private static OffsetPlan WindowOf(int offset, int limit) => OffsetPlan.For(offset, limit) ?? throw new VqlValidationException(
        "offset",
        $"offset + limit must not exceed {OffsetPlan.Window}: Connectra serves offsets only inside its first " +
        $"{OffsetPlan.Window} rows. Page on with the cursor in 'next', which has no limit.");

    private async Task<PageOf<T>> ByOffsetAsync<T>(
        SearchSpec spec, int offset, int limit, string fingerprint,
        Func<VqlQuery, CancellationToken, Task<IReadOnlyList<T>>> search,
        Func<T, IReadOnlyList<string>?> sortValuesOf,
        CancellationToken ct)
    {
        var plan = WindowOf(offset, limit);

        var pages = await Task.WhenAll(Enumerable.Range(plan.FirstPage, plan.Pages).Select(number =>
            search(Query(spec, plan.PageSize) with { Page = number }, ct)));
        var fetched = pages.SelectMany(p => p).ToList();
        var items = fetched.Skip(plan.Skip).Take(limit).ToList();
        // More rows may follow when we fetched past the window, or Connectra filled its last page.
        var more = fetched.Count > plan.Skip + limit || pages[^1].Count == plan.PageSize;

        var next = more && items.Count > 0 ? After(items[^1], sortValuesOf, fingerprint) : null;
        var previous = offset > 0
            ? codec.Encode(new CursorToken(CursorKind.Offset, [], Math.Max(0, offset - limit)), fingerprint)
            : null;
        return new PageOf<T>(items, next, previous, "limit-offset", limit);
    }

    private async Task<PageOf<T>> ByCursorAsync<T>(
        SearchSpec spec, CursorToken token, int limit, string fingerprint,
        Func<VqlQuery, CancellationToken, Task<IReadOnlyList<T>>> search,
        Func<T, IReadOnlyList<string>?> sortValuesOf,
        CancellationToken ct)
    {
        var backwards = token.Kind == CursorKind.Before;
        var order = backwards
            ? [.. spec.OrderBy.Select(o => o with
            {
                OrderDirection = o.OrderDirection == VqlOrder.Descending ? VqlOrder.Ascending : VqlOrder.Descending,
            })]
            : spec.OrderBy;
        var found = await search(Query(spec, limit) with { OrderBy = order, Cursor = token.SortValues }, ct);
        var items = backwards ? found.Reverse().ToList() : [.. found];
        var full = found.Count == limit;

        var next = (backwards || full) && items.Count > 0 ? After(items[^1], sortValuesOf, fingerprint) : null;
        // Backwards from the first row of a later page: a short answer means we reached the start.
        var previous = spec.Reversible && (!backwards || full) && items.Count > 0
            ? Encode(CursorKind.Before, items[0], sortValuesOf, fingerprint)
            : null;
        return new PageOf<T>(items, next, previous, "cursor", limit);
    }

    private static VqlQuery Query(SearchSpec spec, int limit) => new()
    {
        Where = spec.Where,
        OrderBy = spec.OrderBy,
        Limit = limit,
        SelectColumns = spec.SelectColumns,
        CompanyConfig = spec.CompanyConfig,
    };

    private string? After<T>(T item, Func<T, IReadOnlyList<string>?> sortValuesOf, string fingerprint) =>
        Encode(CursorKind.After, item, sortValuesOf, fingerprint);

    private string? Encode<T>(CursorKind kind, T item, Func<T, IReadOnlyList<string>?> sortValuesOf, string fingerprint) =>
        sortValuesOf(item) is { Count: > 0 } values ? codec.Encode(new CursorToken(kind, values, 0), fingerprint) : null;
}
