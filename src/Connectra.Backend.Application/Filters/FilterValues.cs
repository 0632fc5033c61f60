using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Connectra.Client.Filters;

namespace Connectra.Backend.Application.Filters;

/// <summary>
/// Body of the filters/data routes. The route decides the entity; <c>service</c> is optional and, when sent, must
/// agree with it (the original let the body override the route).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FilterValuesRequest
{
    [StringLength(RequestStrings.Service)]
    public string? Service { get; init; }

    [Required(AllowEmptyStrings = false), StringLength(RequestStrings.FilterKey)]
    public string FilterKey { get; init; } = "";

    [StringLength(RequestStrings.SearchText)]
    public string? SearchText { get; init; }

    /// <summary>Deep enough for any catalogue; the bound keeps page × limit far from overflowing.</summary>
    [Range(1, 100_000)]
    public int Page { get; init; } = 1;

    [Range(1, 100)]
    public int Limit { get; init; } = 25;
}

/// <summary>One value of a filter: <c>value</c> to filter with, <c>display_value</c> to show.</summary>
public sealed record FilterValue(string Value, string DisplayValue);

/// <summary>
/// A page of filter values, de-duplicated. <c>next_page</c> is the page to ask for next, null once a page came back
/// short (Connectra gives no total).
/// </summary>
public sealed record FilterValuesPage(IReadOnlyList<FilterValue> Data, int Page, int Limit, int? NextPage)
{
    internal static FilterValuesPage From(IReadOnlyList<ConnectraFilterValue> values, int page, int limit) => new(
        [.. values.Where(v => v.Value.Length > 0 && v.Value != Reading.Tombstones.Marker).DistinctBy(v => v.Value).Select(v => new FilterValue(v.Value, v.DisplayValue))],
        page,
        limit,
        values.Count >= limit ? page + 1 : null);
}
