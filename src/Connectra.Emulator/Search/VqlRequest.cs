using System.Text.Json;

namespace Connectra.Emulator.Search;

/// <summary>
/// A VQL query as Connectra's Go server holds it after binding (docs/connectra.md#top-level-keys). Unlike the client's
/// <c>VqlQuery</c> it keeps Go's 64-bit integers and each range bounds object verbatim, since Connectra forwards
/// those to Elasticsearch untouched.
/// </summary>
internal sealed record VqlRequest
{
    public VqlConditions Where { get; init; } = new();

    public IReadOnlyList<VqlSort> OrderBy { get; init; } = [];

    public IReadOnlyList<string> Cursor { get; init; } = [];

    public long Page { get; init; }

    public long Limit { get; init; }

    public IReadOnlyList<string> SelectColumns { get; init; } = [];

    public bool PopulateCompany { get; init; }

    public IReadOnlyList<string> CompanySelectColumns { get; init; } = [];
}

internal sealed record VqlConditions
{
    public IReadOnlyList<VqlText> TextMust { get; init; } = [];

    public IReadOnlyList<VqlText> TextMustNot { get; init; } = [];

    /// <summary>Go maps: one value per key (the last one sent), case-sensitive keys.</summary>
    public IReadOnlyDictionary<string, JsonElement> KeywordMust { get; init; } = new Dictionary<string, JsonElement>();

    public IReadOnlyDictionary<string, JsonElement> KeywordMustNot { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>Field → bounds object, or null when the JSON said null.</summary>
    public IReadOnlyDictionary<string, JsonElement?> RangeMust { get; init; } = new Dictionary<string, JsonElement?>();
}

internal sealed record VqlText(string TextValue, string FilterKey, string SearchType, long Slop, string Operator, bool Fuzzy);

internal sealed record VqlSort(string Field, bool Descending);
