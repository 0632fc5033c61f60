using Connectra.Backend.Application.Upstream;
using Connectra.Backend.Application.Vql;
using Connectra.Client;
using Connectra.Client.Filters;

namespace Connectra.Backend.Application.Filters;

/// <summary>The filter routes of both entities: Connectra's catalogue and values, unwrapped.</summary>
internal static class FilterReads
{
    public static async Task<FilterCatalogue> CatalogueAsync(
        IConnectraApi connectra, ConnectraCall call, string service, string unavailable, CancellationToken ct)
    {
        var filters = await call.RunAsync(unavailable, c => connectra.GetFiltersAsync(service, c), ct);
        return new FilterCatalogue([.. filters.Items.Select(FilterDefinition.From)]);
    }

    public static async Task<FilterValuesPage> ValuesAsync(
        IConnectraApi connectra, ConnectraCall call, string service, FilterValuesRequest request, string unavailable, CancellationToken ct)
    {
        var query = ToConnectra(request, service);
        var values = await call.RunAsync(unavailable, c => connectra.GetFilterValuesAsync(service, query, c), ct);
        return FilterValuesPage.From(values.Items, request.Page, request.Limit);
    }

    /// <summary>The route decides the entity; a body that names another one is refused, not obeyed.</summary>
    public static void EnsureService(FilterValuesRequest request, string service)
    {
        if (request.Service is { } asked && !string.Equals(asked, service, StringComparison.Ordinal))
        {
            throw new VqlValidationException("service", $"This route serves '{service}' filters; omit service or send '{service}'.");
        }
    }

    private static ConnectraFilterValuesRequest ToConnectra(FilterValuesRequest request, string service)
    {
        EnsureService(request, service);
        return new ConnectraFilterValuesRequest
        {
            FilterKey = request.FilterKey,
            SearchText = string.IsNullOrWhiteSpace(request.SearchText) ? null : request.SearchText,
            Page = request.Page,
            Limit = request.Limit,
        };
    }
}
