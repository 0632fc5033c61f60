using Connectra.Backend.Application.Filters;
using Connectra.Backend.Application.Upstream;
using Connectra.Client;
using Connectra.Client.Filters;

namespace Connectra.Backend.Application.Contacts;

/// <summary>Contact reads, all through Connectra.</summary>
public sealed class ContactsService(IConnectraApi connectra, ConnectraCall call)
{
    public const string Unavailable = "Contact service temporarily unavailable";

    public async Task<FilterCatalogue> GetFiltersAsync(CancellationToken ct)
    {
        var filters = await call.RunAsync(Unavailable, c => connectra.GetFiltersAsync(ConnectraService.Contact, c), ct);
        return new FilterCatalogue([.. filters.Items.Select(FilterDefinition.From)]);
    }
}
