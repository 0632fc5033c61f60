using Connectra.Backend.Application.Vql;
using Connectra.Client.Filters;

namespace Connectra.Backend.Application.Filters;

internal static class FilterValueQueries
{
    public static ConnectraFilterValuesRequest ToConnectra(FilterValuesRequest request, string service)
    {
        if (request.Service is { } asked && !string.Equals(asked, service, StringComparison.Ordinal))
        {
            throw new VqlValidationException("service", $"This route serves '{service}' filters; omit service or send '{service}'.");
        }

        return new ConnectraFilterValuesRequest
        {
            FilterKey = request.FilterKey,
            SearchText = string.IsNullOrWhiteSpace(request.SearchText) ? null : request.SearchText,
            Page = request.Page,
            Limit = request.Limit,
        };
    }
}
