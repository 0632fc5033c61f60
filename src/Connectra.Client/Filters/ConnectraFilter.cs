using System.Text.Json.Serialization;

namespace Connectra.Client.Filters;

/// <summary>A row of Connectra's filter catalogue (docs/connectra.md#catalogue).</summary>
public sealed record ConnectraFilter
{
    public long Id { get; init; }
    public string Key { get; init; } = "";
    public string Service { get; init; } = "";

    /// <summary>The VQL clause family the filter is meant for: text_matches, keyword_match or range_query.</summary>
    public string FilterType { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public bool DirectDerived { get; init; }
    public bool Active { get; init; }

    // Connectra always sends the key, as null for live rows.
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTimeOffset? DeletedAt { get; init; }
}

/// <summary>Body of <c>POST /common/{service}/filters/data</c>.</summary>
public sealed record ConnectraFilterValuesRequest
{
    public required string FilterKey { get; init; }

    public string? SearchText { get; init; }

    public int? Page { get; init; }

    public int? Limit { get; init; }
}

public sealed record ConnectraFilterValue
{
    public string Value { get; init; } = "";

    public string DisplayValue { get; init; } = "";
}

/// <summary>The <c>{service}</c> path segment: singular, lower-case.</summary>
public static class ConnectraService
{
    public const string Contact = "contact";
    public const string Company = "company";
}
