using System.Text.Json;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Filters;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Reading;
using Connectra.Backend.Application.Vql;
using Connectra.Backend.Application.Writing;
using Connectra.Client.Records;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Contacts;

/// <summary>
/// Contact reads (C1–C6), all through Connectra — including the contacts of one company (S1–S4) — and contact
/// writes, which go to PostgreSQL and reach Connectra through the outbox (docs/writes.md).
/// </summary>
public sealed class ContactsService(
    EntityReader<ConnectraContact> contacts, CompaniesService companies, RecordWriter<Contact, ContactMetadata> writer)
{
    /// <summary>S4 reads every contact of the company; beyond this many it stops.</summary>
    internal const int CompanyScanLimit = 20_000;

    public async Task<CursorPage<ContactListItem>> SearchAsync(VqlSearchRequest request, CancellationToken ct)
    {
        var page = await contacts.QueryAsync(request, CompanyPopulation(request), ct);
        return page.Map(contact => new ContactListItem(contact));
    }

    /// <summary>
    /// C1 as the route serves it: the same page as <see cref="SearchAsync"/>, its rows read straight from Connectra's
    /// answer into the list items' JSON (<see cref="ContactPageReader"/>), with no records in between.
    /// </summary>
    public Task<CursorPage<ContactListRow>> QueryRowsAsync(VqlSearchRequest request, CancellationToken ct) =>
        contacts.QueryRowsAsync(request, CompanyPopulation(request), ContactPageReader.Read, row => row.Cursor, ct);

    /// <summary>C2: checks the body exactly as C1 does (docs/api.md#count-routes), then counts.</summary>
    public Task<CountResponse> CountAsync(VqlSearchRequest request, CancellationToken ct) =>
        contacts.CountAsync(request, CompanyPopulation(request), ct);

    /// <summary>Checks a body exactly as C1 does, without searching (a saved search is checked when it is saved).</summary>
    public void Check(VqlSearchRequest request) => contacts.Check(request, CompanyPopulation(request));

    public async Task<ContactDetail> GetAsync(string contactUuid, CancellationToken ct) =>
        new(await contacts.FindAsync(Uuids.Parse(contactUuid, "contact_uuid"), RowSelection.WithCompany, ct)
            ?? throw new ResourceNotFoundException(contacts.Entity.NotFound));

    public Task<FilterCatalogue> GetFiltersAsync(CancellationToken ct) => contacts.FiltersAsync(ct);

    public async Task<Written<StoredContact>> CreateAsync(JsonElement body, CancellationToken ct) =>
        Written(await writer.CreateAsync(body, ct));

    public async Task<Written<StoredContact>> ReplaceAsync(string contactUuid, JsonElement body, long? ifMatch, CancellationToken ct) =>
        Written(await writer.ReplaceAsync(Uuids.Parse(contactUuid, "contact_uuid"), body, ifMatch, ct));

    public async Task<Written<StoredContact>> PatchAsync(string contactUuid, JsonElement body, long? ifMatch, CancellationToken ct) =>
        Written(await writer.PatchAsync(Uuids.Parse(contactUuid, "contact_uuid"), body, ifMatch, ct));

    public Task DeleteAsync(string contactUuid, long? ifMatch, CancellationToken ct) =>
        writer.DeleteAsync(Uuids.Parse(contactUuid, "contact_uuid"), ifMatch, ct);

    private static Written<StoredContact> Written(Stored<Contact, ContactMetadata> stored) =>
        new(new StoredContact(stored.Row, stored.Metadata), stored.Row.Version, stored.Created);

    public Task<FilterValuesPage> GetFilterValuesAsync(FilterValuesRequest request, CancellationToken ct) =>
        contacts.FilterValuesAsync(request, ct);

    /// <summary>S1: a company's contacts, filtered by query-string parameters, paged like C1 (no meta).</summary>
    public async Task<CursorPage<ContactListItem>> ListForCompanyAsync(
        string companyUuid, IReadOnlyDictionary<string, IReadOnlyList<string>> queryString, CancellationToken ct)
    {
        var (spec, page) = await ScopeAsync(companyUuid, queryString, ct);
        var found = await contacts.PageAsync(spec, page, ct);
        return new CursorPage<ContactListItem>(found.Next, found.Previous, [.. found.Items.Select(c => new ContactListItem(c))], null);
    }

    /// <summary>
    /// S2: how many contacts of the company match; 404 for an unknown company (the original counted all). The query
    /// string is checked exactly as S1 checks it (docs/api.md#count-routes).
    /// </summary>
    public async Task<CountResponse> CountForCompanyAsync(
        string companyUuid, IReadOnlyDictionary<string, IReadOnlyList<string>> queryString, CancellationToken ct)
    {
        var (spec, _) = await ScopeAsync(companyUuid, queryString, ct);
        return new CountResponse(await contacts.CountAsync(spec.Where, ct));
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
        var column = contacts.Entity.Catalogue.Resolve(request.FilterKey)?.SelectColumn is { } known && ContactColumns.HasValues(known)
            ? known
            : throw new VqlValidationException("filter_key", $"'{request.FilterKey}' is not a contact field with text values.");
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
        if (request.Urls.Count > contacts.Limits.MaxListValues)
        {
            throw new VqlValidationException("urls", $"at most {contacts.Limits.MaxListValues} URLs per request (Limits:MaxListValues), not {request.Urls.Count}");
        }

        var urls = new List<string>(request.Urls.Count);
        for (var i = 0; i < request.Urls.Count; i++)
        {
            var url = request.Urls[i]?.Trim();
            if (string.IsNullOrEmpty(url))
            {
                throw new VqlValidationException($"urls[{i}]", "A LinkedIn URL cannot be empty.");
            }

            if (url.Length > RequestStrings.Url)
            {
                throw new VqlValidationException($"urls[{i}]", $"A LinkedIn URL is at most {RequestStrings.Url} characters long.");
            }

            urls.Add(url);
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

    /// <summary>The search and page S1 and S2 ask for, checked in full before the company is looked up.</summary>
    private async Task<(SearchSpec Spec, PageRequest Page)> ScopeAsync(
        string companyUuid, IReadOnlyDictionary<string, IReadOnlyList<string>> queryString, CancellationToken ct)
    {
        var uuid = Uuids.Parse(companyUuid, "company_uuid");
        var query = CompanyContactQuery.Parse(queryString);
        var where = VqlConverter.CompanyContactsWhere(uuid, query, contacts.Limits);
        var spec = SearchPlanner.Plan(
            contacts.Entity.Catalogue, where, query.Ordering, null, null, new VqlCompanyConfig { Populate = true }, contacts.Limits, "ordering");
        var page = query.RequestedPage();
        contacts.ValidatePage(spec, page);
        await companies.EnsureExistsAsync(uuid, ct);
        return (spec, page);
    }

    /// <summary>
    /// A list item carries company fields, so companies are attached unless the client chose otherwise: an explicit
    /// company_config wins; a column selection without one means "just these contact columns".
    /// </summary>
    private VqlCompanyConfig? CompanyPopulation(VqlSearchRequest request)
    {
        if (request.ContactConfig is { Populate: true })
        {
            throw new VqlValidationException("contact_config", "contact_config applies to company queries only.");
        }

        return request.CompanyConfig switch
        {
            null when request.SelectColumns is { Count: > 0 } => null,
            null => new VqlCompanyConfig { Populate = true },
            { Populate: false } => null,
            var config => new VqlCompanyConfig
            {
                Populate = true,
                SelectColumns = VqlConverter.ToSelectColumns(
                    FieldCatalogue.Companies, config.SelectColumns, "company_config.select_columns", contacts.Limits),
            },
        };
    }
}
