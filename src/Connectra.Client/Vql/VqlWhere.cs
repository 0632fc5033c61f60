using System.Text.Json;

namespace Connectra.Client.Vql;

/// <summary>The <c>where</c> object: three clause families, each with must / must_not (docs/connectra.md#the-where-object).</summary>
public sealed record VqlWhere
{
    public VqlTextMatches? TextMatches { get; init; }

    public VqlKeywordMatch? KeywordMatch { get; init; }

    public VqlRangeQuery? RangeQuery { get; init; }
}

public sealed record VqlTextMatches
{
    public IReadOnlyList<VqlTextMatch>? Must { get; init; }

    public IReadOnlyList<VqlTextMatch>? MustNot { get; init; }
}

/// <summary>An analysed text condition. Set every member explicitly: Connectra's defaults differ from old clients'.</summary>
public sealed record VqlTextMatch
{
    public required string TextValue { get; init; }

    public required string FilterKey { get; init; }

    /// <summary>One of <see cref="VqlSearchType"/>; Connectra drops a condition with any other value.</summary>
    public required string SearchType { get; init; }

    /// <summary>exact only: how many position moves the phrase may take.</summary>
    public int? Slop { get; init; }

    /// <summary>shuffle and substring only: "and" (every token) or "or" (any token).</summary>
    public string? Operator { get; init; }

    /// <summary>shuffle only: Elasticsearch fuzziness AUTO.</summary>
    public bool? Fuzzy { get; init; }
}

public static class VqlSearchType
{
    public const string Exact = "exact";
    public const string Shuffle = "shuffle";
    public const string Substring = "substring";
}

public static class VqlOperator
{
    public const string And = "and";
    public const string Or = "or";
}

/// <summary>
/// Field → value. A value is a JSON string, number or bool (Elasticsearch <c>term</c>) or a non-empty array of them
/// (<c>terms</c>); an empty array makes Connectra answer 500, so never send one.
/// </summary>
public sealed record VqlKeywordMatch
{
    public IReadOnlyDictionary<string, JsonElement>? Must { get; init; }

    public IReadOnlyDictionary<string, JsonElement>? MustNot { get; init; }
}

public sealed record VqlRangeQuery
{
    public IReadOnlyDictionary<string, VqlRange>? Must { get; init; }
}

/// <summary>
/// Range bounds, forwarded by Connectra verbatim to Elasticsearch: numbers for long fields, ISO-8601 strings or
/// epoch millis (date math allowed) for dates, strings for keywords.
/// </summary>
public sealed record VqlRange
{
    public JsonElement? Gte { get; init; }

    public JsonElement? Gt { get; init; }

    public JsonElement? Lte { get; init; }

    public JsonElement? Lt { get; init; }
}
