using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.Writing;

namespace Connectra.Backend.Application.Companies;

/// <summary>
/// How companies are written (docs/writes.md#companies). A change reaches the company's contacts too: Connectra keeps a
/// copy of the company in each contact and never refreshes it itself (docs/connectra.md#x8).
/// </summary>
public sealed class CompanyWriteRules : IWriteRules<Company, CompanyMetadata>
{
    private static readonly WriteValue Words = new(WriteKind.List, 128);
    private static readonly WriteValue Link = new(WriteKind.Url, 2048);
    private static readonly WriteValue Place = new(WriteKind.Text, 128);

    public string NotFound => "Company not found";

    public string Entity => OutboxEntity.Company;

    public IReadOnlyList<WriteField<Company, CompanyMetadata>> Fields { get; } =
    [
        Main("name", new WriteValue(WriteKind.Text, 512), c => c.Name, (c, v) => c.Name = (string?)v),
        Main("employees_count", new WriteValue(WriteKind.Count), c => c.EmployeesCount, (c, v) => c.EmployeesCount = (long?)v),
        Main("industries", Words, c => c.Industries, (c, v) => c.Industries = (List<string>)v!),
        Main("keywords", Words, c => c.Keywords, (c, v) => c.Keywords = (List<string>)v!),
        Main("address", new WriteValue(WriteKind.Text, 1024), c => c.Address, (c, v) => c.Address = (string?)v),
        Main("annual_revenue", new WriteValue(WriteKind.Count), c => c.AnnualRevenue, (c, v) => c.AnnualRevenue = (long?)v),
        Main("total_funding", new WriteValue(WriteKind.Count), c => c.TotalFunding, (c, v) => c.TotalFunding = (long?)v),
        Main("technologies", Words, c => c.Technologies, (c, v) => c.Technologies = (List<string>)v!),
        Main("text_search", new WriteValue(WriteKind.Text, 512), c => c.TextSearch, (c, v) => c.TextSearch = (string?)v),
        Meta("linkedin_url", Link, m => m.LinkedinUrl, (m, v) => m.LinkedinUrl = (string?)v),
        Meta("linkedin_sales_url", Link, m => m.LinkedinSalesUrl, (m, v) => m.LinkedinSalesUrl = (string?)v),
        Meta("facebook_url", Link, m => m.FacebookUrl, (m, v) => m.FacebookUrl = (string?)v),
        Meta("twitter_url", Link, m => m.TwitterUrl, (m, v) => m.TwitterUrl = (string?)v),
        Meta("website", Link, m => m.Website, (m, v) => m.Website = (string?)v),
        Meta("normalized_domain", new WriteValue(WriteKind.Domain, 253), m => m.NormalizedDomain, (m, v) => m.NormalizedDomain = (string?)v),
        Meta("company_name_for_emails", new WriteValue(WriteKind.Text, 512), m => m.CompanyNameForEmails, (m, v) => m.CompanyNameForEmails = (string?)v),
        Meta("phone_number", new WriteValue(WriteKind.Phone, 64), m => m.PhoneNumber, (m, v) => m.PhoneNumber = (string?)v),
        Meta("latest_funding", new WriteValue(WriteKind.Text, 128), m => m.LatestFunding, (m, v) => m.LatestFunding = (string?)v),
        Meta("latest_funding_amount", new WriteValue(WriteKind.Count), m => m.LatestFundingAmount, (m, v) => m.LatestFundingAmount = (long?)v),
        Meta("last_raised_at", new WriteValue(WriteKind.Text, 64), m => m.LastRaisedAt, (m, v) => m.LastRaisedAt = (string?)v),
        Meta("city", Place, m => m.City, (m, v) => m.City = (string?)v),
        Meta("state", Place, m => m.State, (m, v) => m.State = (string?)v),
        Meta("country", Place, m => m.Country, (m, v) => m.Country = (string?)v),
    ];

    public (Company Row, CompanyMetadata Metadata) Empty(string uuid) => (new Company { Uuid = uuid }, new CompanyMetadata { Uuid = uuid });

    public (Company Row, CompanyMetadata Metadata) Copy(Company row, CompanyMetadata metadata) => (row.Copy(), metadata.Copy());

    public Task CheckAsync(Company row, CompanyMetadata metadata, CancellationToken ct) => Task.CompletedTask;

    public IReadOnlyList<OutboxMessage> Outbox(Company row, CompanyMetadata metadata, Company? before, DateTimeOffset now) =>
        ConnectraRecords.For(row, metadata, existed: before is not null, now);

    private static WriteField<Company, CompanyMetadata> Main(string name, WriteValue value, Func<Company, object?> get, Action<Company, object?> set) =>
        new(name, false, value, (c, _) => get(c), (c, _, v) => set(c, v));

    private static WriteField<Company, CompanyMetadata> Meta(string name, WriteValue value, Func<CompanyMetadata, object?> get, Action<CompanyMetadata, object?> set) =>
        new(name, true, value, (_, m) => get(m), (_, m, v) => set(m, v));
}
