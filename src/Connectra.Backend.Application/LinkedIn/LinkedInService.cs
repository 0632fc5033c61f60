using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Reading;
using Connectra.Backend.Application.Upstream;
using Connectra.Backend.Application.Vql;
using Connectra.Client.Records;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.LinkedIn;

/// <summary>L1: everything Connectra holds under one LinkedIn URL. Read-only: two searches plus each company's contacts.</summary>
public sealed class LinkedInService(EntityReader<ConnectraContact> contacts, EntityReader<ConnectraCompany> companies)
{
    public const string Unavailable = "LinkedIn search service temporarily unavailable";
    public const int ContactsPerCompany = 100;

    /// <summary>One URL should name one person or one company; more rows than this means bad data, not a need.</summary>
    private const int MaxMatches = 1_000;

    public async Task<LinkedInSearchResponse> SearchAsync(LinkedInSearchRequest request, CancellationToken ct)
    {
        var url = request.Url?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            throw new VqlValidationException("url", "LinkedIn URL cannot be empty");
        }

        try
        {
            var byUrl = NativeWhere.Keyword("linkedin_url", VqlValue.Of(url));
            var contactsTask = contacts.AllAsync(contacts.ByUuid(byUrl, RowSelection.WithCompany), MaxMatches, ct);
            var companiesTask = companies.AllAsync(companies.ByUuid(byUrl, RowSelection.All), MaxMatches, ct);
            // Both searches finish before a failure surfaces: none keeps running once the request has answered.
            await Task.WhenAll(contactsTask, companiesTask);
            var (matchedContacts, matchedCompanies) = (contactsTask.Result, companiesTask.Result);

            var companyEntries = await Task.WhenAll(matchedCompanies.Select(async company =>
            {
                var ofCompany = contacts.ByUuid(NativeWhere.Keyword("company_id", VqlValue.Of(company.Uuid ?? "")), RowSelection.All);
                var people = await contacts.AllAsync(ofCompany, ContactsPerCompany, ct);
                return new LinkedInCompanyEntry(
                    new CompanyRecord(company), new CompanyMetadataOut(company), [.. people.Select(p => new ContactRecord(p))]);
            }));

            return new LinkedInSearchResponse(
                [.. matchedContacts.Select(Entry)], companyEntries, matchedContacts.Count, companyEntries.Length);
        }
        catch (UpstreamUnavailableException unavailable)
        {
            throw new UpstreamUnavailableException(Unavailable, unavailable.Reason, unavailable.RetryAfter, unavailable);
        }
    }

    private static LinkedInContactEntry Entry(ConnectraContact contact) => new(
        new ContactRecord(contact),
        new ContactMetadataOut(contact),
        contact.Company is { } company ? new CompanyRecord(company) : null,
        contact.Company is { } metadata ? new CompanyMetadataOut(metadata) : null);
}
