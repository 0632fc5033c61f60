using Connectra.Client.Records;

namespace Connectra.Backend.Application.Companies;

/// <summary>The company fields a contact detail embeds (docs/api.md#other-shapes). <c>industry</c> joins every industry.</summary>
public class CompanySummary(ConnectraCompany company)
{
    public string Uuid { get; } = company.Uuid ?? "";
    public string? Name { get; } = Values.Clean(company.Name);
    public long? EmployeesCount { get; } = company.EmployeesCount;
    public long? AnnualRevenue { get; } = company.AnnualRevenue;
    public long? TotalFunding { get; } = company.TotalFunding;
    public string? Industry { get; } = Values.Join(company.Industries);
    public string? City { get; } = Values.Clean(company.City);
    public string? State { get; } = Values.Clean(company.State);
    public string? Country { get; } = Values.Clean(company.Country);
    public string? Website { get; } = Values.Clean(company.Website);
    public string? LinkedinUrl { get; } = Values.Clean(company.LinkedinUrl);
    public string? PhoneNumber { get; } = Values.Clean(company.PhoneNumber);
    public IReadOnlyList<string> Technologies { get; } = Values.CleanList(company.Technologies);
}

/// <summary>A company in a list (K1): the summary, its keywords and its secondary fields.</summary>
public class CompanyListItem(ConnectraCompany company) : CompanySummary(company)
{
    public IReadOnlyList<string> Keywords { get; } = Values.CleanList(company.Keywords);
    public CompanyMetadataOut Metadata { get; } = new(company);
}

/// <summary>A company by uuid (K5): the list item plus its timestamps.</summary>
public sealed class CompanyDetail(ConnectraCompany company) : CompanyListItem(company)
{
    public DateTimeOffset? CreatedAt { get; } = company.CreatedAt;
    public DateTimeOffset? UpdatedAt { get; } = company.UpdatedAt;
}

/// <summary>The company's secondary fields, as the original's companies_metadata table held them.</summary>
public sealed class CompanyMetadataOut(ConnectraCompany company)
{
    public string Uuid { get; } = company.Uuid ?? "";
    public string? LinkedinUrl { get; } = Values.Clean(company.LinkedinUrl);

    /// <summary>Connectra holds no Sales Navigator URL for companies; null rather than a guess.</summary>
    public string? LinkedinSalesUrl { get; }
    public string? FacebookUrl { get; } = Values.Clean(company.FacebookUrl);
    public string? TwitterUrl { get; } = Values.Clean(company.TwitterUrl);
    public string? Website { get; } = Values.Clean(company.Website);
    public string? CompanyNameForEmails { get; } = Values.Clean(company.CompanyNameForEmails);
    public string? PhoneNumber { get; } = Values.Clean(company.PhoneNumber);
    public string? LatestFunding { get; } = Values.Clean(company.LatestFunding);
    public long? LatestFundingAmount { get; } = company.LatestFundingAmount;
    public string? LastRaisedAt { get; } = Values.Clean(company.LastRaisedAt);
    public string? City { get; } = Values.Clean(company.City);
    public string? State { get; } = Values.Clean(company.State);
    public string? Country { get; } = Values.Clean(company.Country);
}
