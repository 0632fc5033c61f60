using System.Text.Json;
using Connectra.Backend.Application.Filters;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Reading;
using Connectra.Backend.Application.Vql;
using Connectra.Backend.Application.Writing;
using Connectra.Client.Records;

namespace Connectra.Backend.Application.Companies;

/// <summary>
/// Company reads (K1–K5), all through Connectra, and company writes, which go to PostgreSQL and reach Connectra
/// through the outbox (docs/writes.md).
/// </summary>
public sealed class CompaniesService(EntityReader<ConnectraCompany> companies, RecordWriter<Company, CompanyMetadata> writer)
{
    public async Task<CursorPage<CompanyListItem>> SearchAsync(VqlSearchRequest request, CancellationToken ct)
    {
        RefusePopulation(request);
        var page = await companies.QueryAsync(request, companyConfig: null, ct);
        return page.Map(company => new CompanyListItem(company));
    }

    /// <summary>Checks a body exactly as K1 does, without searching (a saved search is checked when it is saved).</summary>
    public void Check(VqlSearchRequest request)
    {
        RefusePopulation(request);
        companies.Check(request, companyConfig: null);
    }

    /// <summary>K2: checks the body exactly as K1 does (docs/api.md#count-routes), then counts.</summary>
    public Task<CountResponse> CountAsync(VqlSearchRequest request, CancellationToken ct)
    {
        RefusePopulation(request);
        return companies.CountAsync(request, companyConfig: null, ct);
    }

    public async Task<CompanyDetail> GetAsync(string companyUuid, CancellationToken ct) =>
        new(await companies.FindAsync(Uuids.Parse(companyUuid, "company_uuid"), RowSelection.All, ct)
            ?? throw new ResourceNotFoundException(companies.Entity.NotFound));

    /// <summary>404 unless the company exists; an outage is a 503, never a 404 (the original confused them).</summary>
    public async Task EnsureExistsAsync(string companyUuid, CancellationToken ct)
    {
        if (await companies.FindAsync(companyUuid, new RowSelection(["uuid"], null), ct) is null)
        {
            throw new ResourceNotFoundException(companies.Entity.NotFound);
        }
    }

    public Task<FilterCatalogue> GetFiltersAsync(CancellationToken ct) => companies.FiltersAsync(ct);

    public async Task<Written<StoredCompany>> CreateAsync(JsonElement body, CancellationToken ct) =>
        Written(await writer.CreateAsync(body, ct));

    public async Task<Written<StoredCompany>> ReplaceAsync(string companyUuid, JsonElement body, long? ifMatch, CancellationToken ct) =>
        Written(await writer.ReplaceAsync(Uuids.Parse(companyUuid, "company_uuid"), body, ifMatch, ct));

    public async Task<Written<StoredCompany>> PatchAsync(string companyUuid, JsonElement body, long? ifMatch, CancellationToken ct) =>
        Written(await writer.PatchAsync(Uuids.Parse(companyUuid, "company_uuid"), body, ifMatch, ct));

    /// <summary>Also sends the company's contacts again, so their copies of it go too (docs/writes.md#deletes).</summary>
    public Task DeleteAsync(string companyUuid, long? ifMatch, CancellationToken ct) =>
        writer.DeleteAsync(Uuids.Parse(companyUuid, "company_uuid"), ifMatch, ct);

    private static Written<StoredCompany> Written(Stored<Company, CompanyMetadata> stored) =>
        new(new StoredCompany(stored.Row, stored.Metadata), stored.Row.Version, stored.Created);

    public Task<FilterValuesPage> GetFilterValuesAsync(FilterValuesRequest request, CancellationToken ct) =>
        companies.FilterValuesAsync(request, ct);

    /// <summary>Connectra can attach companies to contacts, never contacts to companies.</summary>
    private static void RefusePopulation(VqlSearchRequest request)
    {
        Refuse(request.ContactConfig, "contact_config", "Connectra cannot attach contacts to companies; list them with /companies/company/{uuid}/contacts/.");
        Refuse(request.CompanyConfig, "company_config", "company_config applies to contact queries only.");
    }

    private static void Refuse(PopulateConfig? config, string field, string why)
    {
        if (config is { Populate: true })
        {
            throw new VqlValidationException(field, why);
        }
    }
}
