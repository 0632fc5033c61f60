using System.Runtime.CompilerServices;
using Connectra.Backend.Application.Batching;
using Connectra.Backend.Application.Filters;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Upstream;
using Connectra.Backend.Application.Vql;
using Connectra.Client;
using Connectra.Client.Filters;
using Connectra.Client.Records;
using Connectra.Client.Vql;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Application.Reading;

/// <summary>Which columns to read, and whether to attach each contact's company (contacts only).</summary>
public sealed record RowSelection(IReadOnlyList<string>? Columns, VqlCompanyConfig? CompanyConfig)
{
    public static RowSelection All { get; } = new(null, null);

    public static RowSelection WithCompany { get; } = new(null, new VqlCompanyConfig { Populate = true });
}

/// <summary>A page read from a raw answer: how many rows it held and the last one's sort values.</summary>
public interface IRawPage : IDisposable
{
    int Count { get; }

    IReadOnlyList<string>? Cursor { get; }

    /// <summary>The reader met the end of what the caller wants (a bound): no page follows.</summary>
    bool Ended { get; }
}

/// <summary>
/// The read path of one entity, all through Connectra: exact lookup by uuid, batches of uuids, one page, every page
/// by cursor, counts, and the filter catalogue. It only reads, and never returns deleted records; the outbox's sends
/// and read-backs are <see cref="Outbox.ConnectraDelivery{T}"/>'s. Contacts and companies differ only in the
/// <see cref="ConnectraEntity{T}"/> the reader is built with. Connectra failures surface as
/// <see cref="UpstreamUnavailableException"/> (503) or <see cref="UpstreamRejectedException"/> (502), never as an
/// empty answer.
/// </summary>
public sealed class EntityReader<T>(
    ConnectraEntity<T> entity,
    IConnectraApi connectra,
    ConnectraCall call,
    PagedSearch paging,
    FilterCatalogueCache catalogues,
    IOptions<RequestLimits> limits)
    where T : class, IConnectraRecord
{
    public ConnectraEntity<T> Entity => entity;

    /// <summary>The request limits every query of this reader is checked against.</summary>
    public RequestLimits Limits => limits.Value;

    /// <summary>
    /// The record with exactly this uuid (canonical form), or null. Connectra's answer is checked: a row with
    /// another uuid is not this record (docs/api.md#d3).
    /// </summary>
    public async Task<T?> FindAsync(string uuid, RowSelection selection, CancellationToken ct)
    {
        var found = await SearchAsync(new VqlQuery
        {
            Where = NativeWhere.Keyword("uuid", VqlValue.Of(uuid)),
            Limit = 1,
            SelectColumns = selection.Columns,
            CompanyConfig = selection.CompanyConfig,
        }, ct);
        return found.FirstOrDefault(record => record.Uuid == uuid);
    }

    /// <summary>
    /// Records by uuid in the order asked, each once, with the uuids nothing matched; Connectra's maximum page a call,
    /// a few calls at a time. One failing call fails the whole lookup.
    /// </summary>
    public Task<BatchResult<T>> GetManyAsync(IReadOnlyList<string> uuids, RowSelection selection, CancellationToken ct) =>
        BatchLookup.RunAsync(
            uuids,
            (chunk, c) => SearchAsync(new VqlQuery
            {
                Where = NativeWhere.Keyword("uuid", VqlValue.Of(chunk)),
                Limit = BatchLookup.ChunkSize,
                SelectColumns = selection.Columns,
                CompanyConfig = selection.CompanyConfig,
            }, c),
            record => record.Uuid,
            ct);

    /// <summary>The client dialect's filters, sort and columns as a search of this entity (400 for what VQL cannot say).</summary>
    public SearchSpec Plan(VqlSearchRequest request, VqlCompanyConfig? companyConfig)
    {
        ArgumentNullException.ThrowIfNull(request);
        var where = VqlConverter.ToWhere(entity.Catalogue, request.Filters, Limits);
        return SearchPlanner.Plan(entity.Catalogue, where, request.SortBy, request.SortDirection, request.SelectColumns, companyConfig, Limits);
    }

    /// <summary>Every check the query route makes of a body, without asking Connectra anything (saved searches).</summary>
    public void Check(VqlSearchRequest request, VqlCompanyConfig? companyConfig) =>
        ValidatePage(Plan(request, companyConfig), PageOf(request));

    /// <summary>One page of a client query, with links and meta.</summary>
    public async Task<CursorPage<T>> QueryAsync(VqlSearchRequest request, VqlCompanyConfig? companyConfig, CancellationToken ct)
    {
        var spec = Plan(request, companyConfig);
        var page = await PageAsync(spec, PageOf(request), ct);
        return new CursorPage<T>(page.Next, page.Previous, page.Items, SearchPlanner.Meta(spec, page));
    }

    /// <summary>
    /// One page of a client query as <see cref="QueryAsync"/> makes it, its rows made by <paramref name="read"/> straight
    /// from each answer's bytes instead of records (docs/benchmarks.md#query-path). <paramref name="read"/> checks the
    /// answer as <see cref="ConnectraAnswers.Rows{T}"/> does; what it throws as a breach is reported as Connectra being
    /// unavailable, as for records.
    /// </summary>
    public async Task<CursorPage<TRow>> QueryRowsAsync<TRow>(
        VqlSearchRequest request, VqlCompanyConfig? companyConfig, Func<ReadOnlyMemory<byte>, IReadOnlyList<TRow>> read,
        Func<TRow, IReadOnlyList<string>?> sortValuesOf, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(read);
        var spec = Plan(request, companyConfig);
        var page = await paging.FetchAsync(spec, PageOf(request), (query, c) => SearchRowsAsync(query, read, c), sortValuesOf, ct);
        return new CursorPage<TRow>(page.Next, page.Previous, page.Items, SearchPlanner.Meta(spec, page));
    }

    /// <summary>One page: by offset inside Connectra's window, by signed cursor anywhere.</summary>
    public Task<PageOf<T>> PageAsync(SearchSpec spec, PageRequest page, CancellationToken ct) =>
        paging.FetchAsync(spec, page, SearchAsync, record => record.Cursor, ct);

    /// <summary>Checks a page request as <see cref="PageAsync"/> would, without fetching.</summary>
    public void ValidatePage(SearchSpec spec, PageRequest page) => paging.Validate(spec, page);

    /// <summary>A search of the rows <paramref name="where"/> matches, in uuid order: what full walks use.</summary>
    public SearchSpec ByUuid(VqlWhere? where, RowSelection selection) => new(
        entity.Name, where, [new VqlOrder("uuid", VqlOrder.Ascending)], selection.Columns, selection.CompanyConfig, Reversible: true);

    /// <summary>
    /// Every row of <paramref name="spec"/>, a page of Connectra's maximum at a time, walked with its cursor (no
    /// window, no ceiling). A short page ends the walk (docs/connectra.md#paging).
    /// </summary>
    public IAsyncEnumerable<IReadOnlyList<T>> PagesAsync(SearchSpec spec, CancellationToken ct) =>
        PagesAsync(spec, after: null, untilEmpty: false, ct);

    /// <summary>
    /// Every row of <paramref name="spec"/> after the sort values <paramref name="after"/> (from the start when null).
    /// With <paramref name="untilEmpty"/>, only an empty page ends the walk: Connectra can answer short pages mid-way
    /// (docs/connectra.md#x10), which a walk that must not miss rows (an export) cannot take for the end.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<T>> PagesAsync(
        SearchSpec spec, IReadOnlyList<string>? after, bool untilEmpty, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var query = new VqlQuery
        {
            Where = spec.Where,
            OrderBy = spec.OrderBy,
            Limit = PageRequest.MaxLimit,
            SelectColumns = spec.SelectColumns,
            CompanyConfig = spec.CompanyConfig,
            Cursor = after,
        };
        while (true)
        {
            var page = await SearchAsync(query, ct);
            if (page.Count == 0)
            {
                yield break;
            }

            yield return page;
            if (!untilEmpty && page.Count < PageRequest.MaxLimit)
            {
                yield break;
            }

            // Every hit of an ordered search carries its sort values; a cursor that is missing or does not move on
            // would end the walk early or loop for ever.
            if (page[^1].Cursor is not { Count: > 0 } cursor || (query.Cursor is { } previous && previous.SequenceEqual(cursor)))
            {
                throw new UpstreamUnavailableException(entity.Unavailable, "Connectra's cursor did not advance", null, null);
            }

            query = query with { Cursor = cursor };
        }
    }

    /// <summary>
    /// Every page of <paramref name="spec"/> after <paramref name="after"/>, as <paramref name="read"/> makes it of the
    /// page's raw body, until an empty page: the walk of <see cref="PagesAsync(SearchSpec, IReadOnlyList{string}?, bool, CancellationToken)"/>
    /// without reading rows into records (docs/exports.md#reading-pages). <paramref name="read"/> checks the answer
    /// against the contract; what it throws as a breach is reported as Connectra being unavailable, as for records.
    /// </summary>
    /// <param name="spec">The search.</param>
    /// <param name="after">The sort values to go on after; null from the start.</param>
    /// <param name="compressed">Ask Connectra to gzip its answers (Connectra:CompressExportReads).</param>
    /// <param name="read">Makes a page of the body, which is valid only during the call.</param>
    /// <param name="pace">
    /// Waits for a turn to fetch a page; disposing the turn ends it, once the answer's body is in and before it is
    /// read (it may be disposed twice). Null: no waiting.
    /// </param>
    /// <param name="ct">Cancels the walk.</param>
    public async IAsyncEnumerable<TPage> RawPagesAsync<TPage>(
        SearchSpec spec, IReadOnlyList<string>? after, bool compressed, Func<ReadOnlyMemory<byte>, TPage> read,
        Func<CancellationToken, Task<IDisposable>>? pace, [EnumeratorCancellation] CancellationToken ct)
        where TPage : IRawPage
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(read);
        var query = new VqlQuery
        {
            Where = Tombstones.Exclude(spec.Where, entity.TombstoneField),
            OrderBy = spec.OrderBy,
            Limit = PageRequest.MaxLimit,
            SelectColumns = spec.SelectColumns,
            CompanyConfig = spec.CompanyConfig,
            Cursor = after,
        };
        var encoding = compressed ? "gzip" : "identity";
        while (true)
        {
            var current = query;
            TPage page;
            using (var turn = pace is null ? null : await pace(ct))
            {
                page = await call.RunAsync(entity.Unavailable, async c =>
                {
                    using var content = await entity.SearchPage(connectra, current, encoding, c);
                    var body = await ConnectraBody.ReadAsync(content, c);
                    // The turn is Connectra's answer and ends with its last byte: reading the page is this replica's
                    // work, and timing it as Connectra's would slow the walk for the replica's own load.
                    turn?.Dispose();
                    return read(body);
                }, ct);
            }

            if (page.Count == 0)
            {
                page.Dispose();
                yield break;
            }

            // Checked before the page is handed on: a caller that records the page's cursor as its checkpoint must
            // never record a missing one and start over on top of rows it has already written.
            if (page.Cursor is not { Count: > 0 } cursor || (query.Cursor is { } previous && previous.SequenceEqual(cursor)))
            {
                page.Dispose();
                throw new UpstreamUnavailableException(entity.Unavailable, "Connectra's cursor did not advance", null, null);
            }

            yield return page;
            if (page.Ended)
            {
                yield break;
            }

            query = query with { Cursor = cursor };
        }
    }

    /// <summary>Every row of <paramref name="spec"/>, stopping after the page that reaches <paramref name="maxRows"/>.</summary>
    public async Task<IReadOnlyList<T>> AllAsync(SearchSpec spec, int maxRows, CancellationToken ct)
    {
        var rows = new List<T>();
        await foreach (var page in PagesAsync(spec, ct))
        {
            rows.AddRange(page);
            if (rows.Count >= maxRows)
            {
                break;
            }
        }

        return rows;
    }

    /// <summary>The exact number of rows <paramref name="where"/> matches.</summary>
    public async Task<long> CountAsync(VqlWhere? where, CancellationToken ct)
    {
        var query = new VqlQuery { Where = Tombstones.Exclude(where, entity.TombstoneField) };
        return await call.RunAsync(entity.Unavailable, async c => ConnectraAnswers.Count(await entity.Count(connectra, query, c)), ct);
    }

    /// <summary>
    /// How many rows the client query's filters match. The frontend sends the same body to the query and count
    /// routes, so the whole body is checked as the query route checks it; what a count has no use for (order,
    /// columns, page) is then ignored.
    /// </summary>
    public async Task<CountResponse> CountAsync(VqlSearchRequest request, VqlCompanyConfig? companyConfig, CancellationToken ct)
    {
        var spec = Plan(request, companyConfig);
        ValidatePage(spec, PageOf(request));
        return new CountResponse(await CountAsync(spec.Where, ct));
    }

    private static PageRequest PageOf(VqlSearchRequest request) => new(request.Limit, request.Offset, request.Cursor);

    /// <summary>Connectra's filter catalogue of this entity, without its envelope.</summary>
    public async Task<FilterCatalogue> FiltersAsync(CancellationToken ct)
    {
        var filters = await call.RunAsync(
            entity.Unavailable, async c => ConnectraAnswers.Filters(await connectra.GetFiltersAsync(entity.Service, c)), ct);
        var catalogue = new FilterCatalogue([.. filters.Select(FilterDefinition.From)]);
        catalogues.Remember(entity.Service, catalogue);
        return catalogue;
    }

    /// <summary>A page of one filter's values, de-duplicated.</summary>
    public async Task<FilterValuesPage> FilterValuesAsync(FilterValuesRequest request, CancellationToken ct)
    {
        EnsureService(request);
        await EnsureFilterKeyAsync(request.FilterKey, ct);
        var query = new ConnectraFilterValuesRequest
        {
            FilterKey = request.FilterKey,
            SearchText = string.IsNullOrWhiteSpace(request.SearchText) ? null : request.SearchText,
            Page = request.Page,
            Limit = request.Limit,
        };
        var values = await call.RunAsync(
            entity.Unavailable, async c => ConnectraAnswers.FilterValues(await connectra.GetFilterValuesAsync(entity.Service, query, c)), ct);
        return FilterValuesPage.From(values, request.Page, request.Limit);
    }

    /// <summary>
    /// The key must be an active filter of this entity's catalogue: Connectra answers 500 to any other, which would
    /// count against the circuit breaker (docs/api.md#filter-values).
    /// </summary>
    private async Task EnsureFilterKeyAsync(string key, CancellationToken ct)
    {
        var catalogue = await catalogues.GetAsync(entity.Service, FiltersAsync, ct);
        if (!catalogue.Data.Any(f => f.Active && f.DeletedAt is null && string.Equals(f.Key, key, StringComparison.Ordinal)))
        {
            var known = string.Join(", ", catalogue.Data.Where(f => f.Active && f.DeletedAt is null).Select(f => f.Key).Order(StringComparer.Ordinal));
            throw new VqlValidationException("filter_key", $"'{Shorten(key)}' is not a {entity.Service} filter; the filters are: {known}.");
        }
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    /// <summary>The route decides the entity; a body that names another one is refused, not obeyed.</summary>
    public void EnsureService(FilterValuesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Service is { } asked && !string.Equals(asked, entity.Service, StringComparison.Ordinal))
        {
            throw new VqlValidationException("service", $"This route serves '{entity.Service}' filters; omit service or send '{entity.Service}'.");
        }
    }

    /// <summary>
    /// One Connectra search as <see cref="SearchAsync"/> sends it (the same Accept-Encoding the client adds itself),
    /// its answer read by <paramref name="read"/>.
    /// </summary>
    private Task<IReadOnlyList<TRow>> SearchRowsAsync<TRow>(VqlQuery query, Func<ReadOnlyMemory<byte>, IReadOnlyList<TRow>> read, CancellationToken ct)
    {
        var live = query with { Where = Tombstones.Exclude(query.Where, entity.TombstoneField) };
        return call.RunAsync(entity.Unavailable, async c =>
        {
            using var content = await entity.SearchPage(connectra, live, "gzip, deflate", c);
            return read(await ConnectraBody.ReadAsync(content, c));
        }, ct);
    }

    /// <summary>One Connectra search, never returning deleted records (<see cref="Tombstones"/>).</summary>
    private async Task<IReadOnlyList<T>> SearchAsync(VqlQuery query, CancellationToken ct)
    {
        var live = query with { Where = Tombstones.Exclude(query.Where, entity.TombstoneField) };
        var rows = await call.RunAsync(entity.Unavailable, async c => ConnectraAnswers.Rows(await entity.Search(connectra, live, c)), ct);
        return [.. rows.Select(entity.Scrub)];
    }
}
