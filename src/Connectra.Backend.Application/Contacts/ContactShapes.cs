using System.Globalization;
using Connectra.Backend.Application.Companies;
using Connectra.Client.Records;

namespace Connectra.Backend.Application.Contacts;

/// <summary>
/// A contact in a list (C1, S1): the 42 fields of docs/api.md#contactlistitem, each from its real source — the contact,
/// or its company when the query populated it. Every field is present; unknown is null.
/// </summary>
public class ContactListItem(ConnectraContact contact)
{
    private readonly ConnectraCompany? _company = contact.Company;

    public string Uuid { get; } = contact.Uuid ?? "";
    public string? FirstName { get; } = Values.Clean(contact.FirstName);
    public string? LastName { get; } = Values.Clean(contact.LastName);
    public string? Title { get; } = Values.Clean(contact.Title);
    public string? Company => Values.Clean(_company?.Name);
    public string? CompanyNameForEmails => Values.Clean(_company?.CompanyNameForEmails);
    public string? Email { get; } = Values.Clean(contact.Email);
    public string? EmailStatus { get; } = Values.Clean(contact.EmailStatus);

    /// <summary>No source holds it (Connectra has no such field); kept for the frontend's shape.</summary>
    public string? PrimaryEmailCatchAllStatus { get; }
    public string? Seniority { get; } = Values.Clean(contact.Seniority);
    public string? Departments { get; } = Values.Join(contact.Departments);
    public string? WorkDirectPhone { get; } = Values.Clean(contact.WorkDirectPhone);
    public string? HomePhone { get; } = Values.Clean(contact.HomePhone);
    public string? MobilePhone { get; } = Values.Clean(contact.MobilePhone);

    /// <summary>The company's switchboard: its phone number.</summary>
    public string? CorporatePhone => Values.Clean(_company?.PhoneNumber);
    public string? OtherPhone { get; } = Values.Clean(contact.OtherPhone);
    public string? Stage { get; } = Values.Clean(contact.Stage);
    public long? Employees => _company?.EmployeesCount;
    public string? Industry => Values.Join(_company?.Industries);
    public string? Keywords => Values.Join(_company?.Keywords);
    public string? PersonLinkedinUrl { get; } = Values.Clean(contact.LinkedinUrl);
    public string? Website { get; } = Values.Clean(contact.Website);
    public string? CompanyLinkedinUrl => Values.Clean(_company?.LinkedinUrl);
    public string? FacebookUrl { get; } = Values.Clean(contact.FacebookUrl);
    public string? TwitterUrl { get; } = Values.Clean(contact.TwitterUrl);
    public string? City { get; } = Values.Clean(contact.City);
    public string? State { get; } = Values.Clean(contact.State);
    public string? Country { get; } = Values.Clean(contact.Country);
    public string? CompanyAddress => Values.Clean(_company?.Address);
    public string? CompanyCity => Values.Clean(_company?.City);
    public string? CompanyState => Values.Clean(_company?.State);
    public string? CompanyCountry => Values.Clean(_company?.Country);
    public string? CompanyPhone => Values.Clean(_company?.PhoneNumber);
    public string? Technologies => Values.Join(_company?.Technologies);
    public long? AnnualRevenue => _company?.AnnualRevenue;
    public long? TotalFunding => _company?.TotalFunding;
    public string? LatestFunding => Values.Clean(_company?.LatestFunding);
    public long? LatestFundingAmount => _company?.LatestFundingAmount;
    public string? LastRaisedAt => Values.Clean(_company?.LastRaisedAt);

    /// <summary>The legacy <c>{"latest_funding_amount": "…"}</c> object, for clients that still read it.</summary>
    public IReadOnlyDictionary<string, string>? MetaData => _company?.LatestFundingAmount is { } amount
        ? new Dictionary<string, string> { ["latest_funding_amount"] = amount.ToString(CultureInfo.InvariantCulture) }
        : null;
    public DateTimeOffset? CreatedAt { get; } = contact.CreatedAt;
    public DateTimeOffset? UpdatedAt { get; } = contact.UpdatedAt;
}

/// <summary>A contact by uuid (C6): the list item, its company and its secondary fields filled (docs/api.md#other-shapes).</summary>
public sealed class ContactDetail(ConnectraContact contact) : ContactListItem(contact)
{
    public CompanySummary? CompanyDetail { get; } = contact.Company is { } company ? new CompanySummary(company) : null;
    public ContactMetadataOut Metadata { get; } = new(contact);
}

/// <summary>The contact's secondary fields, as the original's contacts_metadata table held them.</summary>
public sealed class ContactMetadataOut(ConnectraContact contact)
{
    public string Uuid { get; } = contact.Uuid ?? "";
    public string? LinkedinUrl { get; } = Values.Clean(contact.LinkedinUrl);

    /// <summary>Connectra holds no Sales Navigator URL; null rather than a guess.</summary>
    public string? LinkedinSalesUrl { get; }
    public string? FacebookUrl { get; } = Values.Clean(contact.FacebookUrl);
    public string? TwitterUrl { get; } = Values.Clean(contact.TwitterUrl);
    public string? Website { get; } = Values.Clean(contact.Website);
    public string? WorkDirectPhone { get; } = Values.Clean(contact.WorkDirectPhone);
    public string? HomePhone { get; } = Values.Clean(contact.HomePhone);
    public string? City { get; } = Values.Clean(contact.City);
    public string? State { get; } = Values.Clean(contact.State);
    public string? Country { get; } = Values.Clean(contact.Country);
    public string? OtherPhone { get; } = Values.Clean(contact.OtherPhone);
    public string? Stage { get; } = Values.Clean(contact.Stage);
}
