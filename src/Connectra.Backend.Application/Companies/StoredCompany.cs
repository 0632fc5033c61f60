namespace Connectra.Backend.Application.Companies;

/// <summary>
/// A company as a write stored it (docs/writes.md#companies): the row and its metadata, with the version its ETag
/// carries. The write routes answer with this, never with a read from Connectra.
/// </summary>
public sealed class StoredCompany(Company company, CompanyMetadata metadata)
{
    public string Uuid { get; } = company.Uuid;
    public string? Name { get; } = Values.Clean(company.Name);
    public long? EmployeesCount { get; } = company.EmployeesCount;
    public IReadOnlyList<string> Industries { get; } = Values.CleanList(company.Industries);
    public IReadOnlyList<string> Keywords { get; } = Values.CleanList(company.Keywords);
    public string? Address { get; } = Values.Clean(company.Address);
    public long? AnnualRevenue { get; } = company.AnnualRevenue;
    public long? TotalFunding { get; } = company.TotalFunding;
    public IReadOnlyList<string> Technologies { get; } = Values.CleanList(company.Technologies);
    public string? TextSearch { get; } = Values.Clean(company.TextSearch);
    public StoredCompanyMetadata Metadata { get; } = new(metadata);
    public long Version { get; } = company.Version;
    public DateTimeOffset CreatedAt { get; } = company.CreatedAt;
    public DateTimeOffset? UpdatedAt { get; } = company.UpdatedAt;
}

/// <summary>The company's secondary fields as stored.</summary>
public sealed class StoredCompanyMetadata(CompanyMetadata metadata)
{
    public string? LinkedinUrl { get; } = Values.Clean(metadata.LinkedinUrl);
    public string? LinkedinSalesUrl { get; } = Values.Clean(metadata.LinkedinSalesUrl);
    public string? FacebookUrl { get; } = Values.Clean(metadata.FacebookUrl);
    public string? TwitterUrl { get; } = Values.Clean(metadata.TwitterUrl);
    public string? Website { get; } = Values.Clean(metadata.Website);
    public string? NormalizedDomain { get; } = Values.Clean(metadata.NormalizedDomain);
    public string? CompanyNameForEmails { get; } = Values.Clean(metadata.CompanyNameForEmails);
    public string? PhoneNumber { get; } = Values.Clean(metadata.PhoneNumber);
    public string? LatestFunding { get; } = Values.Clean(metadata.LatestFunding);
    public long? LatestFundingAmount { get; } = metadata.LatestFundingAmount;
    public string? LastRaisedAt { get; } = Values.Clean(metadata.LastRaisedAt);
    public string? City { get; } = Values.Clean(metadata.City);
    public string? State { get; } = Values.Clean(metadata.State);
    public string? Country { get; } = Values.Clean(metadata.Country);
}
