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

namespace Connectra.Backend.Application.Reading;

/// <summary>Which columns to read, and whether to attach each contact's company (contacts only).</summary>
public sealed record RowSelection(IReadOnlyList<string>? Columns, VqlCompanyConfig? CompanyConfig)
{
    public static RowSelection All { get; } = new(null, null);

    public static RowSelection WithCompany { get; } = new(null, new VqlCompanyConfig { Populate = true });
}

/// <summary>
/// The read path of one entity, all through Connectra: exact lookup by uuid, batches of uuids, one page, every page
/// by cursor, counts, and the filter catalogue. Contacts and companies differ only in the
/// <see cref="ConnectraEntity{T}"/> the reader is built with. Connectra failures surface as
/// <see cref="UpstreamUnavailableException"/> (503) or <see cref="UpstreamRejectedException"/> (502), never as an
/// empty answer.
/// </summary>
public sealed class EntityReader<T>(ConnectraEntity<T> entity, IConnectraApi connectra, ConnectraCall call, PagedSearch paging)
    where T : class, IConnectraRecord
{
    public ConnectraEntity<T> Entity => entity;

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
        var where = VqlConverter.ToWhere(entity.Catalogue, request.Filters);
        return SearchPlanner.Plan(entity.Catalogue, where, request.SortBy, request.SortDirection, request.SelectColumns, companyConfig);
    }

    /// <summary>One page of a client query, with links and meta.</summary>
    public async Task<CursorPage<T>> QueryAsync(VqlSearchRequest request, VqlCompanyConfig? companyConfig, CancellationToken ct)
    {
        var spec = Plan(request, companyConfig);
        var page = await PageAsync(spec, new PageRequest(request.Limit, request.Offset, request.Cursor), ct);
        return new CursorPage<T>(page.Next, page.Previous, page.Items, SearchPlanner.Meta(spec, page));
    }

    /// <summary>One page: by offset inside Connectra's window, by signed cursor anywhere.</summary>
    public Task<PageOf<T>> PageAsync(SearchSpec spec, PageRequest page, CancellationToken ct) =>
        paging.FetchAsync(spec, page, SearchAsync, record => record.Cursor, ct);

    /// <summary>A search of the rows <paramref name="where"/> matches, in uuid order: what full walks use.</summary>
    public SearchSpec ByUuid(VqlWhere? where, RowSelection selection) => new(
        entity.Name, where, [new VqlOrder("uuid", VqlOrder.Ascending)], selection.Columns, selection.CompanyConfig, Reversible: true);

    /// <summary>
    /// Every row of <paramref name="spec"/>, a page of Connectra's maximum at a time, walked with its cursor (no
    /// window, no ceiling). A short page ends the walk (docs/connectra.md#paging).
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<T>> PagesAsync(SearchSpec spec, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var query = new VqlQuery
        {
            Where = spec.Where,
            OrderBy = spec.OrderBy,
            Limit = PageRequest.MaxLimit,
            SelectColumns = spec.SelectColumns,
            CompanyConfig = spec.CompanyConfig,
        };
        while (true)
        {
            var page = await SearchAsync(query, ct);
            if (page.Count > 0)
            {
                yield return page;
            }

            if (page.Count < PageRequest.MaxLimit || page[^1].Cursor is not { } cursor)
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
        var count = await call.RunAsync(entity.Unavailable, c => entity.Count(connectra, new VqlQuery { Where = where }, c), ct);
        return count.Count;
    }

    /// <summary>How many rows the client query's filters match.</summary>
    public async Task<CountResponse> CountAsync(VqlSearchRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CountResponse(await CountAsync(VqlConverter.ToWhere(entity.Catalogue, request.Filters), ct));
    }

    /// <summary>Connectra's filter catalogue of this entity, without its envelope.</summary>
    public async Task<FilterCatalogue> FiltersAsync(CancellationToken ct)
    {
        var filters = await call.RunAsync(entity.Unavailable, c => connectra.GetFiltersAsync(entity.Service, c), ct);
        return new FilterCatalogue([.. filters.Items.Select(FilterDefinition.From)]);
    }

    /// <summary>A page of one filter's values, de-duplicated.</summary>
    public async Task<FilterValuesPage> FilterValuesAsync(FilterValuesRequest request, CancellationToken ct)
    {
        EnsureService(request);
        var query = new ConnectraFilterValuesRequest
        {
            FilterKey = request.FilterKey,
            SearchText = string.IsNullOrWhiteSpace(request.SearchText) ? null : request.SearchText,
            Page = request.Page,
            Limit = request.Limit,
        };
        var values = await call.RunAsync(entity.Unavailable, c => connectra.GetFilterValuesAsync(entity.Service, query, c), ct);
        return FilterValuesPage.From(values.Items, request.Page, request.Limit);
    }

    /// <summary>The route decides the entity; a body that names another one is refused, not obeyed.</summary>
    public void EnsureService(FilterValuesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Service is { } asked && !string.Equals(asked, entity.Service, StringComparison.Ordinal))
        {
            throw new VqlValidationException("service", $"This route serves '{entity.Service}' filters; omit service or send '{entity.Service}'.");
        }
    }

    private Task<IReadOnlyList<T>> SearchAsync(VqlQuery query, CancellationToken ct) =>
        call.RunAsync<IReadOnlyList<T>>(entity.Unavailable, async c => (await entity.Search(connectra, query, c)).Items, ct);
}
