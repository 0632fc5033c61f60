using System.Text.Json;
using Connectra.Backend.Application.Batching;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Filters;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Upstream;
using Connectra.Backend.Application.Vql;
using Connectra.Client;
using Connectra.Client.Filters;
using Connectra.Client.Records;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Contacts;

/// <summary>Contact reads, all through Connectra — including the contacts of one company (S1–S4).</summary>
public sealed class ContactsService(IConnectraApi connectra, ConnectraCall call, PagedSearch paging, CompaniesService companies)
{
    public const string Unavailable = "Contact service temporarily unavailable";
    public const string NotFound = "Contact not found";

    /// <summary>S4 reads every contact of the company; beyond this many it stops and says so in the log.</summary>
    internal const int CompanyScanLimit = 20_000;

    public async Task<CursorPage<ContactListItem>> SearchAsync(VqlSearchRequest request, CancellationToken ct)
    {
        if (request.ContactConfig is { Populate: true })
        {
            throw new VqlValidationException("contact_config", "contact_config applies to company queries only.");
        }

        var where = VqlConverter.ToWhere(FieldCatalogue.Contacts, request.Filters);
        var spec = SearchPlanner.Plan(
            FieldCatalogue.Contacts, where, request.SortBy, request.SortDirection, request.SelectColumns, CompanyPopulation(request));
        var page = await paging.FetchAsync(spec, new PageRequest(request.Limit, request.Offset, request.Cursor), SearchRawAsync, c => c.Cursor, ct);
        return new CursorPage<ContactListItem>(
            page.Next, page.Previous, [.. page.Items.Select(c => new ContactListItem(c))], SearchPlanner.Meta(spec, page));
    }

    public async Task<CountResponse> CountAsync(VqlSearchRequest request, CancellationToken ct) =>
        await CountAsync(VqlConverter.ToWhere(FieldCatalogue.Contacts, request.Filters), ct);

    public async Task<ContactDetail> GetAsync(string contactUuid, CancellationToken ct)
    {
        var uuid = Uuids.Parse(contactUuid, "contact_uuid");
        var found = await SearchRawAsync(new VqlQuery
        {
            Where = ByKeyword("uuid", VqlValue.Of(uuid)),
            Limit = 1,
            CompanyConfig = new VqlCompanyConfig { Populate = true },
        }, ct);
        // Connectra's answer is checked: the original served whatever row came back (backend-api.md §12 D3).
        return found.FirstOrDefault(c => c.Uuid == uuid) is { } contact
            ? new ContactDetail(contact)
            : throw new ResourceNotFoundException(NotFound);
    }

    public Task<FilterCatalogue> GetFiltersAsync(CancellationToken ct) =>
        FilterReads.CatalogueAsync(connectra, call, ConnectraService.Contact, Unavailable, ct);

    public Task<FilterValuesPage> GetFilterValuesAsync(FilterValuesRequest request, CancellationToken ct) =>
        FilterReads.ValuesAsync(connectra, call, ConnectraService.Contact, request, Unavailable, ct);

    /// <summary>S1: a company's contacts, filtered by query-string parameters, paged like C1 (no meta).</summary>
    public async Task<CursorPage<ContactListItem>> ListForCompanyAsync(
        string companyUuid, CompanyContactQuery query, CancellationToken ct)
    {
        var (where, filters) = await ScopeAsync(companyUuid, query, ct);
        var spec = SearchPlanner.Plan(
            FieldCatalogue.Contacts, where, filters.Ordering, null, null, new VqlCompanyConfig { Populate = true }, "ordering");
        var page = await paging.FetchAsync(spec, query.Page(filters), SearchRawAsync, c => c.Cursor, ct);
        return new CursorPage<ContactListItem>(page.Next, page.Previous, [.. page.Items.Select(c => new ContactListItem(c))], null);
    }

    /// <summary>S2: how many contacts of the company match; 404 for an unknown company (the original counted all).</summary>
    public async Task<CountResponse> CountForCompanyAsync(string companyUuid, CompanyContactQuery query, CancellationToken ct)
    {
        var (where, _) = await ScopeAsync(companyUuid, query, ct);
        return await CountAsync(where, ct);
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
        FilterReads.EnsureService(request, ConnectraService.Contact);
        var uuid = Uuids.Parse(companyUuid, "company_uuid");
        var field = FieldCatalogue.Contacts.Resolve(request.FilterKey) is { SelectColumn: { } } known
            ? known
            : throw new VqlValidationException("filter_key", $"'{request.FilterKey}' is not a contact field with values.");
        await companies.EnsureExistsAsync(uuid, ct);

        var contacts = await Scan.AllAsync(
            new VqlQuery { Where = ByKeyword("company_id", VqlValue.Of(uuid)), SelectColumns = ["uuid", "company_id", field.SelectColumn!] },
            SearchRawAsync, c => c.Cursor, CompanyScanLimit, ct);
        // Case-insensitively distinct, keeping the first spelling met (contacts come in uuid order), then sorted.
        var values = contacts.SelectMany(c => ContactColumns.Values(c, field.SelectColumn!))
            .Where(v => request.SearchText is not { Length: > 0 } text || v.Contains(text, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(v => v, StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var slice = values.Skip((request.Page - 1) * request.Limit).Take(request.Limit).Select(v => new FilterValue(v, v)).ToList();
        var more = values.Count > request.Page * request.Limit;
        return new FilterValuesPage(slice, request.Page, request.Limit, more ? request.Page + 1 : null);
    }

    /// <summary>Contacts by uuid, in the order asked, with what was not found; 100 uuids a call, in parallel.</summary>
    public Task<BatchResult<ConnectraContact>> GetManyAsync(
        IReadOnlyList<string> uuids, VqlCompanyConfig? companyConfig, CancellationToken ct) =>
        BatchLookup.RunAsync(
            uuids,
            (chunk, c) => SearchRawAsync(new VqlQuery
            {
                Where = ByKeyword("uuid", VqlValue.Of(chunk)),
                Limit = BatchLookup.ChunkSize,
                CompanyConfig = companyConfig,
            }, c),
            contact => contact.Uuid,
            ct);

    /// <summary>C5: the uuids of contacts whose LinkedIn URL is exactly one of <paramref name="request"/>'s.</summary>
    public async Task<LinkedInContactIds> FindByLinkedInUrlsAsync(LinkedInUrlsRequest request, CancellationToken ct)
    {
        var urls = request.Urls.Select(u => u.Trim()).ToList();
        if (urls.FindIndex(u => u.Length == 0) is var blank and >= 0)
        {
            throw new VqlValidationException($"urls[{blank}]", "A LinkedIn URL cannot be empty.");
        }

        var found = await BatchLookup.RunAsync(
            urls,
            (chunk, c) => Scan.AllAsync(
                new VqlQuery { Where = ByKeyword("linkedin_url", VqlValue.Of(chunk)), SelectColumns = ["uuid", "linkedin_url"] },
                SearchRawAsync, contact => contact.Cursor, int.MaxValue, c),
            contact => contact.LinkedinUrl,
            ct);
        var ids = found.Found.Select(c => c.Uuid).OfType<string>().Distinct().ToList();
        return new LinkedInContactIds(ids, ids.Count);
    }

    internal Task<IReadOnlyList<ConnectraContact>> SearchRawAsync(VqlQuery query, CancellationToken ct) =>
        call.RunAsync<IReadOnlyList<ConnectraContact>>(Unavailable, async c => (await connectra.SearchContactsAsync(query, c)).Items, ct);

    internal static VqlWhere ByKeyword(string field, JsonElement value) =>
        new() { KeywordMatch = new VqlKeywordMatch { Must = new Dictionary<string, JsonElement> { [field] = value } } };

    private async Task<CountResponse> CountAsync(VqlWhere? where, CancellationToken ct)
    {
        var count = await call.RunAsync(Unavailable, c => connectra.CountContactsAsync(new VqlQuery { Where = where }, c), ct);
        return new CountResponse(count.Count);
    }

    private async Task<(VqlWhere Where, CompanyContactFilterParams Filters)> ScopeAsync(
        string companyUuid, CompanyContactQuery query, CancellationToken ct)
    {
        var uuid = Uuids.Parse(companyUuid, "company_uuid");
        var filters = CompanyContactFilterParams.From(query.Parameters);
        var where = VqlConverter.CompanyContactsWhere(uuid, filters);
        await companies.EnsureExistsAsync(uuid, ct);
        return (where, filters);
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
