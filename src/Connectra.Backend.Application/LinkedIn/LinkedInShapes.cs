using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Client.Records;

namespace Connectra.Backend.Application.LinkedIn;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LinkedInSearchRequest
{
    [Required, StringLength(RequestStrings.Url)]
    public string? Url { get; init; }
}

/// <summary>
/// Contacts and companies whose LinkedIn URL is exactly the one asked for (docs/api.md#linkedin): contacts with their
/// company, companies with their contacts (the first <see cref="LinkedInService.ContactsPerCompany"/> by uuid).
/// </summary>
public sealed record LinkedInSearchResponse(
    IReadOnlyList<LinkedInContactEntry> Contacts,
    IReadOnlyList<LinkedInCompanyEntry> Companies,
    int TotalContacts,
    int TotalCompanies);

public sealed record LinkedInContactEntry(
    ContactRecord Contact, ContactMetadataOut Metadata, CompanyRecord? Company, CompanyMetadataOut? CompanyMetadata);

public sealed record LinkedInCompanyEntry(CompanyRecord Company, CompanyMetadataOut Metadata, IReadOnlyList<ContactRecord> Contacts);

/// <summary>A contact's main row (the original's ContactDB shape). <c>text_search</c> is its location.</summary>
public sealed class ContactRecord(ConnectraContact contact)
{
    public string Uuid { get; } = contact.Uuid ?? "";
    public string? FirstName { get; } = Values.Clean(contact.FirstName);
    public string? LastName { get; } = Values.Clean(contact.LastName);
    public string? CompanyId { get; } = Values.Clean(contact.CompanyId);
    public string? Email { get; } = Values.Clean(contact.Email);
    public string? Title { get; } = Values.Clean(contact.Title);
    public IReadOnlyList<string> Departments { get; } = Values.CleanList(contact.Departments);
    public string? MobilePhone { get; } = Values.Clean(contact.MobilePhone);
    public string? EmailStatus { get; } = Values.Clean(contact.EmailStatus);
    public string? TextSearch { get; } = Values.Location(contact.City, contact.State, contact.Country);
    public string? Seniority { get; } = Values.Clean(contact.Seniority);
    public DateTimeOffset? CreatedAt { get; } = contact.CreatedAt;
    public DateTimeOffset? UpdatedAt { get; } = contact.UpdatedAt;
}

/// <summary>A company's main row (the original's CompanyDB shape). <c>text_search</c> is its location.</summary>
public sealed class CompanyRecord(ConnectraCompany company)
{
    public string Uuid { get; } = company.Uuid ?? "";
    public string? Name { get; } = Values.Clean(company.Name);
    public long? EmployeesCount { get; } = company.EmployeesCount;
    public IReadOnlyList<string> Industries { get; } = Values.CleanList(company.Industries);
    public IReadOnlyList<string> Keywords { get; } = Values.CleanList(company.Keywords);
    public string? Address { get; } = Values.Clean(company.Address);
    public long? AnnualRevenue { get; } = company.AnnualRevenue;
    public long? TotalFunding { get; } = company.TotalFunding;
    public IReadOnlyList<string> Technologies { get; } = Values.CleanList(company.Technologies);
    public string? TextSearch { get; } = Values.Location(company.City, company.State, company.Country);
    public DateTimeOffset? CreatedAt { get; } = company.CreatedAt;
    public DateTimeOffset? UpdatedAt { get; } = company.UpdatedAt;
}
