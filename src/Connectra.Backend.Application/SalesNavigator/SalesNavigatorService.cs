using Microsoft.Extensions.Logging;

namespace Connectra.Backend.Application.SalesNavigator;

/// <summary>The Sales Navigator scrape route (docs/sales-navigator.md): parse a results page, and store its leads when asked.</summary>
public sealed partial class SalesNavigatorService(SalesNavigatorImporter importer, ScrapeSlots slots, TimeProvider clock, ILogger<SalesNavigatorService> logger)
{
    public async Task<SalesNavigatorScrapeResponse> ScrapeAsync(SalesNavigatorScrapeRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        SalesNavigatorPage page;
        using (slots.Take())
        {
            // Only the parse holds a slot: its document is what costs memory; the leads it yields are small.
            page = SalesNavigatorParser.Parse(request.Html?.Trim() ?? "", clock.GetUtcNow(), ct);
        }

        if (!request.Save)
        {
            return new SalesNavigatorScrapeResponse(page.ExtractionMetadata, page.PageMetadata, page.Profiles, [], [], [], [],
                new SaveSummary(page.Profiles.Count, 0, 0, 0, 0, []));
        }

        var saved = await importer.SaveAsync(page.Profiles, ct);
        var summary = saved.Summary;
        LogSaved(logger, summary.TotalProfiles, summary.ContactsCreated, summary.ContactsUpdated, summary.CompaniesCreated,
            summary.CompaniesUpdated, summary.Errors.Count);
        return new SalesNavigatorScrapeResponse(page.ExtractionMetadata, page.PageMetadata, page.Profiles,
            [.. saved.Contacts.Select(c => new SavedContact(c.Row))],
            [.. saved.Contacts.Select(c => new SavedContactMetadata(c.Metadata))],
            [.. saved.Companies.Select(c => new SavedCompany(c.Row))],
            [.. saved.Companies.Select(c => new SavedCompanyMetadata(c.Metadata))],
            saved.Summary);
    }

    // Counts only: leads are personal data.
    [LoggerMessage(Level = LogLevel.Information, Message = "Sales Navigator save of {Profiles} leads: contacts {ContactsCreated} created, {ContactsUpdated} updated; companies {CompaniesCreated} created, {CompaniesUpdated} updated; {Problems} problems")]
    private static partial void LogSaved(ILogger logger, int profiles, int contactsCreated, int contactsUpdated, int companiesCreated, int companiesUpdated, int problems);
}
