using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.Writing;

namespace Connectra.Backend.Application.SalesNavigator;

/// <summary>What a save stored, with its counts and the problems it met on the way.</summary>
public sealed record SavedLeads(
    IReadOnlyList<(Contact Row, ContactMetadata Metadata)> Contacts,
    IReadOnlyList<(Company Row, CompanyMetadata Metadata)> Companies,
    SaveSummary Summary);

/// <summary>
/// Stores a page's leads as contacts and their companies (docs/sales-navigator.md#saving): keyed by name-based uuids,
/// companies matched to existing ones first, merged into what is stored, and written as two batches of the one write
/// path — companies, contacts and their outbox messages in one transaction — then handed to the outbox dispatcher.
/// </summary>
public sealed class SalesNavigatorImporter(
    WriteService<Contact, ContactMetadata> contacts,
    WriteService<Company, CompanyMetadata> companies,
    ICompanyRepository companyMatches,
    IWriteTransaction transaction,
    OutboxSignal outbox)
{
    private sealed record Lead(int Index, SalesNavigatorProfile Profile, string ContactUuid, string LinkedinUrl, string? CompanyKey);

    public async Task<SavedLeads> SaveAsync(IReadOnlyList<SalesNavigatorProfile> profiles, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var errors = new List<string>();
        var leads = new List<Lead>();
        for (var i = 0; i < profiles.Count; i++)
        {
            var profile = profiles[i];
            if (profile.ProfileUrl is not { } profileUrl)
            {
                errors.Add($"profiles[{i}]: has no profile URL, which identifies its contact; not saved");
                continue;
            }

            // The lead's link is its LinkedIn URL: a public profile link when the page has one, else the Sales Navigator
            // link. The key would also take the e-mail address; a results page shows none.
            var linkedinUrl = profileUrl;
            leads.Add(new Lead(i, profile, UuidV5.Text(UuidV5.UrlNamespace, linkedinUrl), linkedinUrl,
                profile.Company is { } name ? UuidV5.Text(UuidV5.UrlNamespace, name + (profile.CompanyUrl ?? "_")) : null));
        }

        var saved = await transaction.RunAsync(async inner =>
        {
            var (companyRows, companyOf, companiesCreated) = await CompaniesAsync(leads, errors, inner);
            var (contactRows, contactsCreated) = await ContactsAsync(leads, companyOf, errors, inner);
            return new SavedLeads(contactRows, companyRows, new SaveSummary(
                profiles.Count, contactsCreated, contactRows.Count - contactsCreated, companiesCreated, companyRows.Count - companiesCreated, errors));
        }, ct);
        // The write service woke the dispatcher before the commit; this wakes it for what the commit made visible.
        outbox.Notify();
        return saved;
    }

    private async Task<(List<(Company Row, CompanyMetadata Metadata)> Rows, Dictionary<string, string> CompanyOf, int Created)> CompaniesAsync(
        List<Lead> leads, List<string> errors, CancellationToken ct)
    {
        var withCompany = leads.Where(l => l.CompanyKey is not null).ToList();
        var matches = await companyMatches.FindMatchesAsync(
            [.. withCompany.Select(l => l.Profile.CompanyUrl).OfType<string>()], [.. withCompany.Select(l => l.Profile.Company!)], ct);

        // Each page company becomes the company it matches: by LinkedIn URL, then by a name only one company has.
        var companyOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var lead in withCompany)
        {
            var url = lead.Profile.CompanyUrl;
            var byName = matches.Where(m => string.Equals(m.Name, lead.Profile.Company, StringComparison.OrdinalIgnoreCase)).ToList();
            companyOf[lead.CompanyKey!] = matches.FirstOrDefault(m => url is not null && m.LinkedinUrl == url)?.Uuid
                ?? (byName.Count == 1 ? byName[0].Uuid : lead.CompanyKey!);
        }

        var rows = await MergeTargetsAsync(companies, [.. withCompany.Select(l => companyOf[l.CompanyKey!])], ct);
        foreach (var lead in withCompany)
        {
            var record = rows[companyOf[lead.CompanyKey!]];
            var profile = lead.Profile;
            var set = Setter(companies.Rules.Fields, record.Row, record.Metadata, lead.Index, "company", errors);
            set("name", profile.Company);
            set("text_search", profile.Company);
            set("metadata.company_name_for_emails", profile.Company);
            set("technologies", record.Row.Technologies.Union(LeadRules.TechnologiesOf(profile.About), StringComparer.Ordinal).ToList());
            if (profile.CompanyUrl is { } url)
            {
                set("metadata.linkedin_url", url);
                set("metadata.linkedin_sales_url", url);
            }
        }

        await companies.SaveAsync([.. rows.Values], ct);
        return ([.. rows.Values.Select(c => (c.Row, c.Metadata))], companyOf, Created(rows.Values));
    }

    private async Task<(List<(Contact Row, ContactMetadata Metadata)> Rows, int Created)> ContactsAsync(
        List<Lead> leads, Dictionary<string, string> companyOf, List<string> errors, CancellationToken ct)
    {
        var rows = await MergeTargetsAsync(contacts, [.. leads.Select(l => l.ContactUuid)], ct);
        foreach (var lead in leads)
        {
            var record = rows[lead.ContactUuid];
            var profile = lead.Profile;
            var set = Setter(contacts.Rules.Fields, record.Row, record.Metadata, lead.Index, "contact", errors);
            var (first, last) = LeadRules.Name(profile.Name);
            if (profile.Name is not null)
            {
                set("first_name", first);
                set("last_name", last);
            }

            if (profile.Title is not null)
            {
                set("title", profile.Title);
                if (LeadRules.Seniority(profile.Title) is { } seniority)
                {
                    set("seniority", seniority);
                }
            }

            if (LeadRules.DepartmentsOf(profile.Title, profile.About) is { Count: > 0 } departments)
            {
                set("departments", departments);
            }

            if (lead.CompanyKey is { } key)
            {
                set("company_id", companyOf[key]);
            }

            set("metadata.linkedin_url", lead.LinkedinUrl);
            set("metadata.linkedin_sales_url", profile.ProfileUrl);
            var (city, state, country) = LeadRules.Location(profile.Location);
            foreach (var (field, value) in new[] { ("metadata.city", city), ("metadata.state", state), ("metadata.country", country) })
            {
                if (value is not null)
                {
                    set(field, value);
                }
            }

            if (profile.Location is not null)
            {
                set("text_search", Values.Location(record.Metadata.City, record.Metadata.State, record.Metadata.Country));
            }
        }

        await contacts.SaveAsync([.. rows.Values], ct);
        return ([.. rows.Values.Select(c => (c.Row, c.Metadata))], Created(rows.Values));
    }

    /// <summary>
    /// One change per record, in first-seen order, each starting from the stored record (locked until the save
    /// commits). A deleted or never-written record starts empty: a save brings it back rather than merging into it.
    /// </summary>
    private static async Task<Dictionary<string, RecordChange<TRow, TMeta>>> MergeTargetsAsync<TRow, TMeta>(
        WriteService<TRow, TMeta> writes, IReadOnlyList<string> uuids, CancellationToken ct)
        where TRow : class, Persistence.IWritableRow
        where TMeta : class, Persistence.IUuidRow
    {
        var distinct = uuids.Distinct(StringComparer.Ordinal).ToList();
        var stored = await writes.LockAsync(distinct, ct);
        var changes = new Dictionary<string, RecordChange<TRow, TMeta>>(StringComparer.Ordinal);
        foreach (var uuid in distinct)
        {
            (TRow Row, TMeta Metadata)? found = stored.TryGetValue(uuid, out var record) ? record : null;
            var (row, metadata) = found is { Row.DeletedAt: null } live ? writes.Rules.Copy(live.Row, live.Metadata) : writes.Rules.Empty(uuid);
            changes[uuid] = new RecordChange<TRow, TMeta>(row, metadata, found);
        }

        return changes;
    }

    /// <summary>How many of the changes create a record: none was stored under the uuid, or only a deleted one.</summary>
    private static int Created<TRow, TMeta>(IEnumerable<RecordChange<TRow, TMeta>> changes)
        where TRow : class, Persistence.IWritableRow
        where TMeta : class, Persistence.IUuidRow =>
        changes.Count(c => c.Stored is not { Row.DeletedAt: null });

    /// <summary>Sets fields through the entity's field table, noting each value it refuses under the lead's index.</summary>
    private static Action<string, object?> Setter<TRow, TMeta>(
        IReadOnlyList<WriteField<TRow, TMeta>> fields, TRow row, TMeta metadata, int index, string record, List<string> errors)
        where TRow : class, Persistence.IWritableRow
        where TMeta : class, Persistence.IUuidRow =>
        (path, value) =>
        {
            if (ImportedValues.Set(fields, row, metadata, path, value) is { } refused)
            {
                errors.Add($"profiles[{index}]: {record} {path} left out: {refused}");
            }
        };
}
