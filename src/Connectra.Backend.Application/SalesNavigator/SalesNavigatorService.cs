namespace Connectra.Backend.Application.SalesNavigator;

/// <summary>The Sales Navigator scrape route (docs/sales-navigator.md): parse a results page, and store its leads when asked.</summary>
public sealed class SalesNavigatorService(SalesNavigatorImporter importer, TimeProvider clock)
{
    public async Task<SalesNavigatorScrapeResponse> ScrapeAsync(SalesNavigatorScrapeRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = SalesNavigatorParser.Parse(request.Html?.Trim() ?? "", clock.GetUtcNow(), ct);
        if (!request.Save)
        {
            return new SalesNavigatorScrapeResponse(page.ExtractionMetadata, page.PageMetadata, page.Profiles, [], [], [], [],
                new SaveSummary(page.Profiles.Count, 0, 0, 0, 0, []));
        }

        var saved = await importer.SaveAsync(page.Profiles, ct);
        return new SalesNavigatorScrapeResponse(page.ExtractionMetadata, page.PageMetadata, page.Profiles,
            [.. saved.Contacts.Select(c => new SavedContact(c.Row))],
            [.. saved.Contacts.Select(c => new SavedContactMetadata(c.Metadata))],
            [.. saved.Companies.Select(c => new SavedCompany(c.Row))],
            [.. saved.Companies.Select(c => new SavedCompanyMetadata(c.Metadata))],
            saved.Summary);
    }
}
