using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;

namespace Connectra.Backend.Application.SalesNavigator;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SalesNavigatorScrapeRequest
{
    /// <summary>The results page's HTML source; whitespace-only is refused.</summary>
    [Required, StringLength(SalesNavigatorLimits.MaxHtmlChars)]
    public string? Html { get; init; }

    /// <summary>Also store the leads as contacts and companies (writer or admin role).</summary>
    public bool Save { get; init; }
}

/// <summary>What a scrape answers (docs/sales-navigator.md#response): the parsed page and, when saved, the stored rows.</summary>
public sealed record SalesNavigatorScrapeResponse(
    ExtractionMetadata ExtractionMetadata,
    PageMetadata PageMetadata,
    IReadOnlyList<SalesNavigatorProfile> Profiles,
    IReadOnlyList<SavedContact> SavedContacts,
    IReadOnlyList<SavedContactMetadata> SavedContactsMetadata,
    IReadOnlyList<SavedCompany> SavedCompanies,
    IReadOnlyList<SavedCompanyMetadata> SavedCompaniesMetadata,
    SaveSummary SaveSummary);

public sealed record ExtractionMetadata(DateTimeOffset Timestamp, string Version, string SourceFile)
{
    public static ExtractionMetadata At(DateTimeOffset now) => new(now, "2.0", "api_request");
}

public sealed record PageMetadata(SearchContext SearchContext, Pagination Pagination, UserInfo UserInfo, ApplicationInfo ApplicationInfo);

public sealed record SearchContext(IReadOnlyDictionary<string, string> SearchFilters, string? SearchId, string? SessionId);

public sealed record Pagination(int CurrentPage, int TotalPages, int ResultsPerPage);

public sealed record UserInfo(string? UserMemberUrn, string? UserName);

public sealed record ApplicationInfo(string? ApplicationVersion, string? ClientPageInstanceId, string? RequestIpCountry, string? TrackingId, string? TreeId);

/// <summary>A group the viewer shares with the lead.</summary>
public sealed record SharedGroup(string Name, string? Url);

/// <summary>One lead of the results page, as read from its markup (docs/sales-navigator.md#profiles).</summary>
public sealed record SalesNavigatorProfile
{
    public string? Name { get; init; }
    public string? Title { get; init; }
    public string? Company { get; init; }
    public string? Location { get; init; }
    public string? ProfileUrl { get; init; }
    public string? ImageUrl { get; init; }
    public string? ConnectionDegree { get; init; }
    public string? About { get; init; }
    public string? TimeInRole { get; init; }
    public string? TimeInCompany { get; init; }
    public string? LeadId { get; init; }
    public string? LeadUrn { get; init; }
    public string? SearchType { get; init; }
    public string? SearchId { get; init; }
    public string? CompanyId { get; init; }
    public string? CompanyUrl { get; init; }
    public bool IsPremiumMember { get; init; }
    public bool IsReachable { get; init; }
    public string? LastActive { get; init; }
    public bool IsViewed { get; init; }
    public int? MutualConnectionsCount { get; init; }
    public IReadOnlyList<string> MutualConnections { get; init; } = [];
    public bool IsRecentlyHired { get; init; }
    public string? RecentlyHiredCompanyLogo { get; init; }
    public int? RecentPostsCount { get; init; }
    public IReadOnlyList<SharedGroup> SharedGroupsDetails { get; init; } = [];
    public IReadOnlyList<string> SharedGroups { get; init; } = [];
    public int DataQualityScore { get; init; }
    public IReadOnlyList<string> MissingFields { get; init; } = [];
}

public sealed record SaveSummary(
    int TotalProfiles, int ContactsCreated, int ContactsUpdated, int CompaniesCreated, int CompaniesUpdated, IReadOnlyList<string> Errors);

/// <summary>A contact's main row as stored by the save.</summary>
public sealed class SavedContact(Contact contact)
{
    public string Uuid { get; } = contact.Uuid;
    public string? FirstName { get; } = Values.Clean(contact.FirstName);
    public string? LastName { get; } = Values.Clean(contact.LastName);
    public string? CompanyId { get; } = Values.Clean(contact.CompanyId);
    public string? Email { get; } = Values.Clean(contact.Email);
    public string? Title { get; } = Values.Clean(contact.Title);
    public IReadOnlyList<string> Departments { get; } = Values.CleanList(contact.Departments);
    public string? MobilePhone { get; } = Values.Clean(contact.MobilePhone);
    public string? EmailStatus { get; } = Values.Clean(contact.EmailStatus);
    public string? TextSearch { get; } = Values.Clean(contact.TextSearch);
    public string? Seniority { get; } = Values.Clean(contact.Seniority);
    public DateTimeOffset CreatedAt { get; } = contact.CreatedAt;
    public DateTimeOffset? UpdatedAt { get; } = contact.UpdatedAt;
}

/// <summary>A contact's metadata row as stored by the save.</summary>
public sealed class SavedContactMetadata(ContactMetadata metadata)
{
    public string Uuid { get; } = metadata.Uuid;
    public string? LinkedinUrl { get; } = Values.Clean(metadata.LinkedinUrl);
    public string? LinkedinSalesUrl { get; } = Values.Clean(metadata.LinkedinSalesUrl);
    public string? FacebookUrl { get; } = Values.Clean(metadata.FacebookUrl);
    public string? TwitterUrl { get; } = Values.Clean(metadata.TwitterUrl);
    public string? Website { get; } = Values.Clean(metadata.Website);
    public string? WorkDirectPhone { get; } = Values.Clean(metadata.WorkDirectPhone);
    public string? HomePhone { get; } = Values.Clean(metadata.HomePhone);
    public string? City { get; } = Values.Clean(metadata.City);
    public string? State { get; } = Values.Clean(metadata.State);
    public string? Country { get; } = Values.Clean(metadata.Country);
    public string? OtherPhone { get; } = Values.Clean(metadata.OtherPhone);
    public string? Stage { get; } = Values.Clean(metadata.Stage);
}

/// <summary>A company's main row as stored by the save.</summary>
public sealed class SavedCompany(Company company)
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
    public DateTimeOffset CreatedAt { get; } = company.CreatedAt;
    public DateTimeOffset? UpdatedAt { get; } = company.UpdatedAt;
}

/// <summary>A company's metadata row as stored by the save.</summary>
public sealed class SavedCompanyMetadata(CompanyMetadata metadata)
{
    public string Uuid { get; } = metadata.Uuid;
    public string? LinkedinUrl { get; } = Values.Clean(metadata.LinkedinUrl);
    public string? LinkedinSalesUrl { get; } = Values.Clean(metadata.LinkedinSalesUrl);
    public string? FacebookUrl { get; } = Values.Clean(metadata.FacebookUrl);
    public string? TwitterUrl { get; } = Values.Clean(metadata.TwitterUrl);
    public string? Website { get; } = Values.Clean(metadata.Website);
    public string? CompanyNameForEmails { get; } = Values.Clean(metadata.CompanyNameForEmails);
    public string? PhoneNumber { get; } = Values.Clean(metadata.PhoneNumber);
    public string? LatestFunding { get; } = Values.Clean(metadata.LatestFunding);
    public long? LatestFundingAmount { get; } = metadata.LatestFundingAmount;
    public string? LastRaisedAt { get; } = Values.Clean(metadata.LastRaisedAt);
    public string? City { get; } = Values.Clean(metadata.City);
    public string? State { get; } = Values.Clean(metadata.State);
    public string? Country { get; } = Values.Clean(metadata.Country);
}
