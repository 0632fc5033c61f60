using System.Text.Json;
using Connectra.Backend.Application.Filters;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Upstream;
using Connectra.Backend.Application.Vql;
using Connectra.Client;
using Connectra.Client.Filters;
using Connectra.Client.Records;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Companies;

/// <summary>Company reads, all through Connectra.</summary>
public sealed class CompaniesService(IConnectraApi connectra, ConnectraCall call, PagedSearch paging)
{
    public const string Unavailable = "Company service temporarily unavailable";
    public const string NotFound = "Company not found";

    public async Task<CursorPage<CompanyListItem>> SearchAsync(VqlSearchRequest request, CancellationToken ct)
    {
        // Connectra can attach companies to contacts, never contacts to companies.
        Refuse(request.ContactConfig, "contact_config", "Connectra cannot attach contacts to companies; list them with /companies/company/{uuid}/contacts/.");
        Refuse(request.CompanyConfig, "company_config", "company_config applies to contact queries only.");
        var where = VqlConverter.ToWhere(FieldCatalogue.Companies, request.Filters);
        var spec = SearchPlanner.Plan(FieldCatalogue.Companies, where, request.SortBy, request.SortDirection, request.SelectColumns, null);
        var page = await paging.FetchAsync(spec, new PageRequest(request.Limit, request.Offset, request.Cursor), SearchRawAsync, c => c.Cursor, ct);
        return new CursorPage<CompanyListItem>(
            page.Next, page.Previous, [.. page.Items.Select(c => new CompanyListItem(c))], SearchPlanner.Meta(spec, page));
    }

    public async Task<CountResponse> CountAsync(VqlSearchRequest request, CancellationToken ct)
    {
        var query = new VqlQuery { Where = VqlConverter.ToWhere(FieldCatalogue.Companies, request.Filters) };
        var count = await call.RunAsync(Unavailable, c => connectra.CountCompaniesAsync(query, c), ct);
        return new CountResponse(count.Count);
    }

    public async Task<CompanyDetail> GetAsync(string companyUuid, CancellationToken ct) =>
        new(await FindAsync(Uuids.Parse(companyUuid, "company_uuid"), null, ct) ?? throw new ResourceNotFoundException(NotFound));

    /// <summary>404 unless the company exists; an outage is a 503, never a 404 (the original confused them).</summary>
    public async Task EnsureExistsAsync(string companyUuid, CancellationToken ct)
    {
        if (await FindAsync(companyUuid, ["uuid"], ct) is null)
        {
            throw new ResourceNotFoundException(NotFound);
        }
    }

    public Task<FilterCatalogue> GetFiltersAsync(CancellationToken ct) =>
        FilterReads.CatalogueAsync(connectra, call, ConnectraService.Company, Unavailable, ct);

    public Task<FilterValuesPage> GetFilterValuesAsync(FilterValuesRequest request, CancellationToken ct) =>
        FilterReads.ValuesAsync(connectra, call, ConnectraService.Company, request, Unavailable, ct);

    internal Task<IReadOnlyList<ConnectraCompany>> SearchRawAsync(VqlQuery query, CancellationToken ct) =>
        call.RunAsync<IReadOnlyList<ConnectraCompany>>(Unavailable, async c => (await connectra.SearchCompaniesAsync(query, c)).Items, ct);

    /// <summary>The company with this (already validated) uuid, checked: Connectra must return that very row.</summary>
    internal async Task<ConnectraCompany?> FindAsync(string uuid, IReadOnlyList<string>? columns, CancellationToken ct)
    {
        var found = await SearchRawAsync(new VqlQuery
        {
            Where = new VqlWhere { KeywordMatch = new VqlKeywordMatch { Must = new Dictionary<string, JsonElement> { ["uuid"] = VqlValue.Of(uuid) } } },
            Limit = 1,
            SelectColumns = columns,
        }, ct);
        return found.FirstOrDefault(c => c.Uuid == uuid);
    }

    private static void Refuse(PopulateConfig? config, string field, string why)
    {
        if (config is { Populate: true })
        {
            throw new VqlValidationException(field, why);
        }
    }
}
