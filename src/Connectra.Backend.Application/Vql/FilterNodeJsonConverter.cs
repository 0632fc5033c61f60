using System.Text.Json;
using System.Text.Json.Serialization;

namespace Connectra.Backend.Application.Vql;

/// <summary>Reads a filter node by its keys: field/operator/value make a condition, and/or make a group.</summary>
internal sealed class FilterNodeJsonConverter : JsonConverter<FilterNode>
{
    public override FilterNode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return FilterJson.ReadNode(document.RootElement, "", options.PropertyNameCaseInsensitive, allowEmpty: false);
    }

    public override void Write(Utf8JsonWriter writer, FilterNode value, JsonSerializerOptions options) =>
        FilterJson.Write(writer, value);
}

/// <summary>The top-level <c>filters</c> object, which must be a group; <c>{}</c> means no filter.</summary>
internal sealed class FilterGroupJsonConverter : JsonConverter<FilterGroup>
{
    public override FilterGroup Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var node = FilterJson.ReadNode(document.RootElement, "", options.PropertyNameCaseInsensitive, allowEmpty: true);
        return node as FilterGroup
            ?? throw new JsonException("filters must be a group {\"and\": [...], \"or\": [...]}, not a single condition.");
    }

    public override void Write(Utf8JsonWriter writer, FilterGroup value, JsonSerializerOptions options) =>
        FilterJson.Write(writer, value);
}

internal static class FilterJson
{
    private static readonly string[] Keys = ["field", "operator", "value", "and", "or"];
    private const int Field = 0, Operator = 1, Value = 2, And = 3, Or = 4;

    // The reader works on a parsed subtree, so a problem deep inside is named by its path from the node that
    // System.Text.Json reports in JsonException.Path. One pass over a node's keys, whatever their number: a node has
    // at most five known keys, and the first unknown one is all a refusal needs.
    public static FilterNode ReadNode(JsonElement element, string path, bool caseInsensitive, bool allowEmpty)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"expected a condition {{field, operator, value}} or a group {{and, or}}, found {Describe(element.ValueKind)}");
        }

        var comparison = caseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var slots = new JsonElement?[Keys.Length];
        string? unknown = null;
        var empty = true;
        foreach (var property in element.EnumerateObject())
        {
            empty = false;
            var slot = Array.FindIndex(Keys, k => string.Equals(k, property.Name, comparison));
            if (slot < 0)
            {
                unknown ??= property.Name;
            }
            else if (slots[slot] is not null)
            {
                throw Error(path, $"the key '{property.Name}' is given twice");
            }
            else
            {
                slots[slot] = property.Value;
            }
        }

        var isCondition = slots[Field] is not null || slots[Operator] is not null || slots[Value] is not null;
        var isGroup = slots[And] is not null || slots[Or] is not null;
        if (isCondition && isGroup)
        {
            throw Error(path, "a node is either a condition {field, operator, value} or a group {and, or}, not both");
        }

        if (isCondition)
        {
            return unknown is null
                ? ReadCondition(slots, path)
                : throw Error(path, $"unknown key '{unknown}' in a condition, which has exactly field, operator and value");
        }

        if (unknown is not null)
        {
            throw Error(path, $"unknown key '{unknown}': a node is either a condition {{field, operator, value}} or a group {{and, or}}");
        }

        if (empty && !allowEmpty)
        {
            throw Error(path, "an empty object is neither a condition {field, operator, value} nor a group {and, or}");
        }

        return new FilterGroup
        {
            And = slots[And] is { } and ? ReadList(and, Join(path, "and"), caseInsensitive) : null,
            Or = slots[Or] is { } or ? ReadList(or, Join(path, "or"), caseInsensitive) : null,
        };
    }

    private static FilterCondition ReadCondition(JsonElement?[] slots, string path) => new(
        slots[Field] is { } field ? RequireString(field, Join(path, "field")) : throw Error(path, "the condition has no 'field'"),
        slots[Operator] is { } op ? RequireString(op, Join(path, "operator")) : throw Error(path, "the condition has no 'operator'"),
        slots[Value]?.Clone() ?? throw Error(path, "the condition has no 'value' (send null for exists/nexists)"));

    private static List<FilterNode>? ReadList(JsonElement element, string path, bool caseInsensitive)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Error(path, $"expected an array of conditions or groups, found {Describe(element.ValueKind)}");
        }

        var nodes = new List<FilterNode>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            nodes.Add(ReadNode(item, $"{path}[{index++}]", caseInsensitive, allowEmpty: false));
        }

        return nodes;
    }

    private static string RequireString(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw Error(path, $"expected a string, found {Describe(element.ValueKind)}");

    public static void Write(Utf8JsonWriter writer, FilterNode node)
    {
        writer.WriteStartObject();
        switch (node)
        {
            case FilterCondition condition:
                writer.WriteString("field", condition.Field);
                writer.WriteString("operator", condition.Operator);
                writer.WritePropertyName("value");
                if (condition.Value.ValueKind == JsonValueKind.Undefined)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    condition.Value.WriteTo(writer);
                }

                break;
            case FilterGroup group:
                WriteList(writer, "and", group.And);
                WriteList(writer, "or", group.Or);
                break;
            default:
                throw new JsonException($"Unknown filter node type {node.GetType().Name}.");
        }

        writer.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter writer, string key, IReadOnlyList<FilterNode>? nodes)
    {
        if (nodes is null)
        {
            return;
        }

        writer.WriteStartArray(key);
        foreach (var node in nodes)
        {
            Write(writer, node);
        }

        writer.WriteEndArray();
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static JsonException Error(string path, string message) =>
        new(path.Length == 0 ? $"Invalid filter: {message}." : $"Invalid filter at {path}: {message}.");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
