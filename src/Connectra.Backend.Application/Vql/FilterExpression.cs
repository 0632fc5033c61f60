using System.Text.Json;

namespace Connectra.Backend.Application.Vql;

internal enum FilterOperator
{
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    Nin,
    Contains,
    NContains,
    Exists,
    NExists,
}

/// <summary>One resolved condition, with the locations that refusals name.</summary>
internal sealed record FilterLeaf(
    FieldDefinition Field,
    FilterOperator Operator,
    JsonElement Value,
    string Path,
    string FieldPath,
    string OperatorPath,
    string ValuePath)
{
    public string OperatorName => FilterExpression.OperatorName(Operator);

    /// <summary>A condition built by the backend itself, located by the name of the parameter it came from.</summary>
    public static FilterLeaf Internal(FieldDefinition field, FilterOperator op, JsonElement value, string location) =>
        new(field, op, value, location, location, location, location);
}

/// <summary>The client's filter tree after validation and normalisation: nested and-in-and / or-in-or flattened,
/// single-child groups collapsed, empty groups reduced to "no condition".</summary>
internal abstract record FilterExpression(string Path)
{
    public static string OperatorName(FilterOperator op) => op switch
    {
        FilterOperator.NContains => "ncontains",
        FilterOperator.NExists => "nexists",
        _ => op.ToString().ToLowerInvariant(),
    };

    public static FilterOperator? ParseOperator(string text) => text.Trim().ToLowerInvariant() switch
    {
        "eq" => FilterOperator.Eq,
        "ne" => FilterOperator.Ne,
        "gt" => FilterOperator.Gt,
        "gte" => FilterOperator.Gte,
        "lt" => FilterOperator.Lt,
        "lte" => FilterOperator.Lte,
        "in" => FilterOperator.In,
        "nin" => FilterOperator.Nin,
        "contains" => FilterOperator.Contains,
        "ncontains" => FilterOperator.NContains,
        "exists" => FilterOperator.Exists,
        "nexists" => FilterOperator.NExists,
        _ => null,
    };

    public IEnumerable<FilterLeaf> Leaves() => this switch
    {
        LeafExpression leaf => [leaf.Leaf],
        AndExpression and => and.Children.SelectMany(c => c.Leaves()),
        OrExpression or => or.Children.SelectMany(c => c.Leaves()),
        _ => [],
    };

    public static FilterExpression And(IEnumerable<FilterExpression> children, string path)
    {
        var flat = new List<FilterExpression>();
        foreach (var child in children)
        {
            switch (child)
            {
                case TrueExpression:
                    break;
                case AndExpression and:
                    flat.AddRange(and.Children);
                    break;
                default:
                    flat.Add(child);
                    break;
            }
        }

        return flat.Count switch
        {
            0 => new TrueExpression(path),
            1 => flat[0],
            _ => new AndExpression(flat, path),
        };
    }

    public static FilterExpression Or(IEnumerable<FilterExpression> children, string path)
    {
        var flat = new List<FilterExpression>();
        TrueExpression? empty = null;
        foreach (var child in children)
        {
            switch (child)
            {
                case TrueExpression none:
                    empty ??= none;
                    break;
                case OrExpression or:
                    flat.AddRange(or.Children);
                    break;
                default:
                    flat.Add(child);
                    break;
            }
        }

        if (empty is not null && flat.Count > 0)
        {
            // Mathematically the whole OR would match everything; far more likely the group is a leftover.
            throw new VqlValidationException(empty.Path,
                "an empty group inside 'or' would make the whole 'or' match everything; remove it");
        }

        return flat.Count switch
        {
            0 => new TrueExpression(path),
            1 => flat[0],
            _ => new OrExpression(flat, path),
        };
    }

    /// <summary>
    /// Validates and resolves the client's tree; refusals name the offending location. The tree's size and depth are
    /// checked as it is walked, so an oversized tree costs no more than its first refused part.
    /// </summary>
    public static FilterExpression FromGroup(FieldCatalogue catalogue, FilterGroup group, string path, RequestLimits limits) =>
        FromGroup(catalogue, group, path, new TreeBudget(limits), depth: 1);

    private static FilterExpression FromGroup(FieldCatalogue catalogue, FilterGroup group, string path, TreeBudget budget, int depth)
    {
        budget.Enter(path, depth);
        var parts = new List<FilterExpression>();
        if (group.And is { } and)
        {
            parts.Add(And(and.Select((node, i) => FromNode(catalogue, node, $"{path}.and[{i}]", budget, depth)).ToList(), $"{path}.and"));
        }

        if (group.Or is { } or)
        {
            parts.Add(Or(or.Select((node, i) => FromNode(catalogue, node, $"{path}.or[{i}]", budget, depth)).ToList(), $"{path}.or"));
        }

        return And(parts, path);
    }

    private static FilterExpression FromNode(FieldCatalogue catalogue, FilterNode? node, string path, TreeBudget budget, int depth) => node switch
    {
        FilterGroup group => FromGroup(catalogue, group, path, budget, depth + 1),
        FilterCondition condition => new LeafExpression(FromCondition(catalogue, condition, path, budget)),
        _ => throw new VqlValidationException(path, "expected a condition {field, operator, value} or a group {and, or}"),
    };

    /// <summary>Counts the tree's nodes and checks its nesting while it is resolved.</summary>
    private sealed class TreeBudget(RequestLimits limits)
    {
        private int _nodes;

        /// <summary>A group at <paramref name="depth"/> (the top-level filters object is depth 1).</summary>
        public void Enter(string path, int depth)
        {
            if (depth > 1)
            {
                Count(path);
            }

            if (depth > limits.MaxGroupDepth)
            {
                throw new VqlValidationException(path,
                    $"filters are nested {depth} groups deep; at most {limits.MaxGroupDepth} levels are accepted (Limits:MaxGroupDepth)");
            }
        }

        public void Count(string path)
        {
            if (++_nodes > limits.MaxConditions)
            {
                throw new VqlValidationException(path,
                    $"a filter may hold at most {limits.MaxConditions} conditions and groups (Limits:MaxConditions); split the query");
            }
        }
    }

    private static FilterLeaf FromCondition(FieldCatalogue catalogue, FilterCondition condition, string path, TreeBudget budget)
    {
        budget.Count(path);
        var fieldPath = $"{path}.field";
        var operatorPath = $"{path}.operator";
        if (string.IsNullOrWhiteSpace(condition.Field))
        {
            throw new VqlValidationException(fieldPath, "the condition names no field");
        }

        var field = catalogue.Resolve(condition.Field)
            ?? throw new VqlValidationException(fieldPath,
                $"unknown field '{condition.Field}' for {catalogue.Entity}; see docs/vql.md for the fields Connectra can filter");
        RequireFilterable(field, fieldPath);
        var op = ParseOperator(condition.Operator ?? "")
            ?? throw new VqlValidationException(operatorPath,
                $"unknown operator '{condition.Operator}'; use one of {string.Join(", ", FilterCondition.Operators)}");
        return new FilterLeaf(field, op, condition.Value, path, fieldPath, operatorPath, $"{path}.value");
    }

    public static void RequireFilterable(FieldDefinition field, string location)
    {
        switch (field.Kind)
        {
            case FieldKind.ResponseOnly:
                throw new VqlValidationException(location,
                    $"'{field.Name}' is not filterable in Connectra: it is returned but not indexed for search");
            case FieldKind.Unavailable:
                throw new VqlValidationException(location, $"'{field.Name}' cannot be filtered: {field.Note}");
            default:
                return;
        }
    }
}

internal sealed record LeafExpression(FilterLeaf Leaf) : FilterExpression(Leaf.Path);

internal sealed record AndExpression(IReadOnlyList<FilterExpression> Children, string Path) : FilterExpression(Path);

internal sealed record OrExpression(IReadOnlyList<FilterExpression> Children, string Path) : FilterExpression(Path);

/// <summary>No condition at all: an absent or empty group.</summary>
internal sealed record TrueExpression(string Path) : FilterExpression(Path);
