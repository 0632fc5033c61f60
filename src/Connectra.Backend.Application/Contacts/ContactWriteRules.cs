using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.Writing;

namespace Connectra.Backend.Application.Contacts;

/// <summary>How contacts are written (docs/writes.md#contacts): the field table, the company check, the outbox message.</summary>
public sealed class ContactWriteRules(ICompanyRepository companies) : IWriteRules<Contact, ContactMetadata>
{
    /// <summary>The seniority levels a contact may have.</summary>
    public static IReadOnlyList<string> Seniorities { get; } =
        ["intern", "entry", "junior", "mid", "senior", "senior_ic", "lead", "manager", "head", "director", "vp", "executive", "c_suite", "partner", "owner", "founder"];

    /// <summary>The states of a contact's e-mail address.</summary>
    public static IReadOnlyList<string> EmailStatuses { get; } = ["verified", "unverified", "invalid", "catch_all", "unknown"];

    private static readonly WriteValue Name = new(WriteKind.Text, 255);
    private static readonly WriteValue Place = new(WriteKind.Text, 128);
    private static readonly WriteValue Phone = new(WriteKind.Phone, 64);
    private static readonly WriteValue Link = new(WriteKind.Url, 2048);

    public string NotFound => "Contact not found";

    public string Entity => OutboxEntity.Contact;

    public IReadOnlyList<WriteField<Contact, ContactMetadata>> Fields { get; } =
    [
        Main("first_name", Name, c => c.FirstName, (c, v) => c.FirstName = v),
        Main("last_name", Name, c => c.LastName, (c, v) => c.LastName = v),
        Main("company_id", new WriteValue(WriteKind.Uuid, 64), c => c.CompanyId, (c, v) => c.CompanyId = v),
        Main("email", new WriteValue(WriteKind.Email, 320), c => c.Email, (c, v) => c.Email = v),
        Main("title", new WriteValue(WriteKind.Text, 512), c => c.Title, (c, v) => c.Title = v),
        new("departments", false, new WriteValue(WriteKind.List, 64), (c, _) => c.Departments, (c, _, v) => c.Departments = (List<string>)v!),
        Main("mobile_phone", Phone, c => c.MobilePhone, (c, v) => c.MobilePhone = v),
        Main("email_status", new WriteValue(WriteKind.Choice, 32, EmailStatuses), c => c.EmailStatus, (c, v) => c.EmailStatus = v),
        Main("seniority", new WriteValue(WriteKind.Choice, 32, Seniorities), c => c.Seniority, (c, v) => c.Seniority = v ?? Contact.Unknown),
        Main("status", new WriteValue(WriteKind.Text, 64), c => c.Status, (c, v) => c.Status = v ?? Contact.Unknown),
        Main("text_search", new WriteValue(WriteKind.Text, 512), c => c.TextSearch, (c, v) => c.TextSearch = v),
        Meta("linkedin_url", Link, m => m.LinkedinUrl, (m, v) => m.LinkedinUrl = v),
        Meta("linkedin_sales_url", Link, m => m.LinkedinSalesUrl, (m, v) => m.LinkedinSalesUrl = v),
        Meta("facebook_url", Link, m => m.FacebookUrl, (m, v) => m.FacebookUrl = v),
        Meta("twitter_url", Link, m => m.TwitterUrl, (m, v) => m.TwitterUrl = v),
        Meta("website", Link, m => m.Website, (m, v) => m.Website = v),
        Meta("work_direct_phone", Phone, m => m.WorkDirectPhone, (m, v) => m.WorkDirectPhone = v),
        Meta("home_phone", Phone, m => m.HomePhone, (m, v) => m.HomePhone = v),
        Meta("city", Place, m => m.City, (m, v) => m.City = v),
        Meta("state", Place, m => m.State, (m, v) => m.State = v),
        Meta("country", Place, m => m.Country, (m, v) => m.Country = v),
        Meta("other_phone", Phone, m => m.OtherPhone, (m, v) => m.OtherPhone = v),
        Meta("stage", new WriteValue(WriteKind.Text, 64), m => m.Stage, (m, v) => m.Stage = v),
    ];

    public (Contact Row, ContactMetadata Metadata) Empty(string uuid) => (new Contact { Uuid = uuid }, new ContactMetadata { Uuid = uuid });

    public (Contact Row, ContactMetadata Metadata) Copy(Contact row, ContactMetadata metadata) => (row.Copy(), metadata.Copy());

    public async Task CheckAsync(Contact row, ContactMetadata metadata, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.CompanyId is { } company && !await companies.ExistsAsync(company, ct))
        {
            throw new WriteRefusedException(WriteRefusal.Unprocessable, "company_id", $"no company has the uuid {company}");
        }
    }

    public IReadOnlyList<OutboxMessage> Outbox(Contact row, ContactMetadata metadata, Contact? before, DateTimeOffset now) =>
        ConnectraRecords.For(row, metadata, now);

    private static WriteField<Contact, ContactMetadata> Main(string name, WriteValue value, Func<Contact, string?> get, Action<Contact, string?> set) =>
        new(name, false, value, (c, _) => Values.Clean(get(c)), (c, _, v) => set(c, (string?)v));

    // Metadata columns hold "_" for unknown (the original schema); the API says null.
    private static WriteField<Contact, ContactMetadata> Meta(string name, WriteValue value, Func<ContactMetadata, string?> get, Action<ContactMetadata, string> set) =>
        new(name, true, value, (_, m) => Values.Clean(get(m)), (_, m, v) => set(m, (string?)v ?? Contact.Unknown));
}
