using System.Globalization;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Application.Contacts;

/// <summary>
/// The query string of S1/S2: filter parameters (§5.4) plus <c>limit</c>, <c>offset</c>, <c>page</c>,
/// <c>page_size</c> and <c>cursor</c>, resolved as backend-api.md §6.2 says — but every page is capped at 100 and
/// a cursor keeps working however deep it goes.
/// </summary>
public sealed record CompanyContactQuery(IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters)
{
    internal PageRequest Page(CompanyContactFilterParams filters)
    {
        var limit = Integer("limit", 1);
        var size = limit ?? (filters.PageSize is { } pageSize ? Math.Min(pageSize, PageRequest.MaxLimit) : null);
        var offset = Integer("offset", 0) is { } explicitOffset and > 0
            ? explicitOffset
            : filters.Page is { } page ? (page - 1) * (size ?? PageRequest.DefaultLimit) : 0;
        return new PageRequest(size, offset == 0 ? null : offset, filters.Cursor);
    }

    private int? Integer(string key, int minimum)
    {
        if (!Parameters.TryGetValue(key, out var values) || values.Count == 0 || values[^1].Length == 0)
        {
            return null;
        }

        return int.TryParse(values[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new VqlValidationException(key, $"{key} must be a whole number, at least {minimum}.");
    }
}
