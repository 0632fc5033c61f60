using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Filters;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Reading;
using Connectra.Backend.Application.Vql;
using Connectra.Client.Records;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Contacts;

/// <summary>Contact reads (C1–C6), all through Connectra — including the contacts of one company (S1–S4).</summary>
public sealed class ContactsService(EntityReader<ConnectraContact> contacts, CompaniesService companies)
{
    /// <summary>S4 reads every contact of the company; beyond this many it stops.</summary>
    internal const int CompanyScanLimit = 20_000;

    public async Task<CursorPage<ContactListItem>> SearchAsync(VqlSearchRequest request, CancellationToken ct)
    {
        if (request.ContactConfig is { Populate: true })
        {
            throw new VqlValidationException("contact_config", "contact_config applies to company queries only.");
        }

        var page = await contacts.QueryAsync(request, CompanyPopulation(request), ct);
        return page.Map(contact => new ContactListItem(contact));
    }

    public Task<CountResponse> CountAsync(VqlSearchRequest request, CancellationToken ct) => contacts.CountAsync(request, ct);

    public async Task<ContactDetail> GetAsync(string contactUuid, CancellationToken ct) =>
        new(await contacts.FindAsync(Uuids.Parse(contactUuid, "contact_uuid"), RowSelection.WithCompany, ct)
            ?? throw new ResourceNotFoundException(contacts.Entity.NotFound));

    public Task<FilterCatalogue> GetFiltersAsync(CancellationToken ct) => contacts.FiltersAsync(ct);

    public Task<FilterValuesPage> GetFilterValuesAsync(FilterValuesRequest request, CancellationToken ct) =>
        contacts.FilterValuesAsync(request, ct);

    /// <summary>S1: a company's contacts, filtered by query-string parameters, paged like C1 (no meta).</summary>
    public async Task<CursorPage<ContactListItem>> ListForCompanyAsync(
        string companyUuid, IReadOnlyDictionary<string, IReadOnlyList<string>> queryString, CancellationToken ct)
    {
        var (where, query) = await ScopeAsync(companyUuid, queryString, ct);
        var spec = SearchPlanner.Plan(
            contacts.Entity.Catalogue, where, query.Ordering, null, null, new VqlCompanyConfig { Populate = true }, "ordering");
        var page = await contacts.PageAsync(spec, query.RequestedPage(), ct);
        return new CursorPage<ContactListItem>(page.Next, page.Previous, [.. page.Items.Select(c => new ContactListItem(c))], null);
    }

    /// <summary>S2: how many contacts of the company match; 404 for an unknown company (the original counted all).</summary>
    public async Task<CountResponse> CountForCompanyAsync(
        string companyUuid, IReadOnlyDictionary<string, IReadOnlyList<string>> queryString, CancellationToken ct)
    {
        var (where, _) = await ScopeAsync(companyUuid, queryString, ct);
        return new CountResponse(await contacts.CountAsync(where, ct));
    }

    /// <summary>S3: the contact filter catalogue, for an existing company.</summary>
    public async Task<FilterCatalogue> GetFiltersForCompanyAsync(string companyUuid, CancellationToken ct)
    {
        await companies.EnsureExistsAsync(Uuids.Parse(companyUuid, "company_uuid"), ct);
        return await GetFiltersAsync(ct);
    }

    /// <summary>
    /// S4: the distinct values of one contact field among the company's contacts (every contact, not the first
    /// 1,000 as before), filtered by search text, sorted case-insensitively, paged.
    /// </summary>
    public async Task<FilterValuesPage> GetFilterValuesForCompanyAsync(
        string companyUuid, FilterValuesRequest request, CancellationToken ct)
    {
        contacts.EnsureService(request);
        var uuid = Uuids.Parse(companyUuid, "company_uuid");
        var column = contacts.Entity.Catalogue.Resolve(request.FilterKey)?.SelectColumn
            ?? throw new VqlValidationException("filter_key", $"'{request.FilterKey}' is not a contact field with values.");
        await companies.EnsureExistsAsync(uuid, ct);

        var ofCompany = contacts.ByUuid(
            NativeWhere.Keyword("company_id", VqlValue.Of(uuid)), new RowSelection(["uuid", "company_id", column], null));
        var rows = await contacts.AllAsync(ofCompany, CompanyScanLimit, ct);
        // Case-insensitively distinct, keeping the first spelling met (contacts come in uuid order), then sorted.
        var values = rows.SelectMany(c => ContactColumns.Values(c, column))
            .Where(v => request.SearchText is not { Length: > 0 } text || v.Contains(text, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(v => v, StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var slice = values.Skip((request.Page - 1) * request.Limit).Take(request.Limit).Select(v => new FilterValue(v, v)).ToList();
        var more = values.Count > request.Page * request.Limit;
        return new FilterValuesPage(slice, request.Page, request.Limit, more ? request.Page + 1 : null);
    }

    /// <summary>C5: the uuids of contacts whose LinkedIn URL is exactly one of <paramref name="request"/>'s.</summary>
    public async Task<LinkedInContactIds> FindByLinkedInUrlsAsync(LinkedInUrlsRequest request, CancellationToken ct)
    {
        var urls = request.Urls.Select(u => u.Trim()).ToList();
        if (urls.FindIndex(u => u.Length == 0) is var blank and >= 0)
        {
            throw new VqlValidationException($"urls[{blank}]", "A LinkedIn URL cannot be empty.");
        }

        var found = await Batching.BatchLookup.RunAsync(
            urls,
            (chunk, c) => contacts.AllAsync(
                contacts.ByUuid(NativeWhere.Keyword("linkedin_url", VqlValue.Of(chunk)), new RowSelection(["uuid", "linkedin_url"], null)),
                int.MaxValue,
                c),
            contact => contact.LinkedinUrl,
            ct);
        var ids = found.Found.Select(c => c.Uuid).OfType<string>().Distinct().ToList();
        return new LinkedInContactIds(ids, ids.Count);
    }

    private async Task<(VqlWhere Where, CompanyContactQuery Query)> ScopeAsync(
        string companyUuid, IReadOnlyDictionary<string, IReadOnlyList<string>> queryString, CancellationToken ct)
    {
        var uuid = Uuids.Parse(companyUuid, "company_uuid");
        var query = CompanyContactQuery.Parse(queryString);
        var where = VqlConverter.CompanyContactsWhere(uuid, query);
        await companies.EnsureExistsAsync(uuid, ct);
        return (where, query);
    }

    /// <summary>
    /// A list item carries company fields, so companies are attached unless the client chose otherwise: an explicit
    /// company_config wins; a column selection without one means "just these contact columns".
    /// </summary>
    private static VqlCompanyConfig? CompanyPopulation(VqlSearchRequest request) => request.CompanyConfig switch
    {
        null when request.SelectColumns is { Count: > 0 } => null,
        null => new VqlCompanyConfig { Populate = true },
        { Populate: false } => null,
        var config => new VqlCompanyConfig
        {
            Populate = true,
            SelectColumns = VqlConverter.ToSelectColumns(FieldCatalogue.Companies, config.SelectColumns, "company_config.select_columns"),
        },
    };
}
