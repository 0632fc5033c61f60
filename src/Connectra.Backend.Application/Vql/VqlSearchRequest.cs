using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Connectra.Backend.Application.Vql;

/// <summary>
/// The client dialect of C1/C2/K1/K2 (docs/vql.md#client-dialect), accepted unchanged because the frontend speaks it.
/// Unknown keys are refused: the original forwarded whatever came and Connectra dropped it without a word.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record VqlSearchRequest
{
    public FilterGroup? Filters { get; init; }

    public IReadOnlyList<string>? SelectColumns { get; init; }

    public PopulateConfig? CompanyConfig { get; init; }

    public PopulateConfig? ContactConfig { get; init; }

    [Range(1, 100)]
    public int? Limit { get; init; }

    [Range(0, int.MaxValue)]
    public int? Offset { get; init; }

    /// <summary><c>field</c>, <c>-field</c>, <c>field:desc</c> or a comma-separated list of those (docs/vql.md#ordering).</summary>
    public string? SortBy { get; init; }

    /// <summary><c>asc</c> or <c>desc</c>: the direction of sort clauses that do not state their own.</summary>
    [StringLength(RequestStrings.Direction)]
    public string? SortDirection { get; init; }

    /// <summary>An opaque token from a previous page, for paging past Connectra's 1,000-row offset window.</summary>
    [StringLength(RequestStrings.Cursor)]
    public string? Cursor { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PopulateConfig
{
    public bool Populate { get; init; }

    public IReadOnlyList<string>? SelectColumns { get; init; }
}

/// <summary>A condition or a group; the JSON decides which by its keys.</summary>
[JsonConverter(typeof(FilterNodeJsonConverter))]
public abstract record FilterNode;

/// <summary>
/// <c>{"and": [...], "or": [...]}</c>. With both lists, the group means (all of <c>and</c>) AND (any of <c>or</c>);
/// an absent or empty list adds no condition.
/// </summary>
/// <remarks>
/// Read by its own converter, which refuses unknown keys itself: System.Text.Json does not allow
/// JsonUnmappedMemberHandling on a type with a custom converter.
/// </remarks>
[JsonConverter(typeof(FilterGroupJsonConverter))]
public sealed record FilterGroup : FilterNode
{
    public IReadOnlyList<FilterNode>? And { get; init; }

    public IReadOnlyList<FilterNode>? Or { get; init; }
}

/// <summary><c>{"field": ..., "operator": ..., "value": ...}</c>; all three keys are required.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FilterCondition(string Field, string Operator, JsonElement Value) : FilterNode
{
    /// <summary>Operators of the client dialect; matched case-insensitively.</summary>
    public static IReadOnlyList<string> Operators { get; } =
        ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "contains", "ncontains", "exists", "nexists"];
}
