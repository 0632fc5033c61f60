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
    private static readonly string[] ConditionKeys = ["field", "operator", "value"];
    private static readonly string[] GroupKeys = ["and", "or"];

    // The reader works on a parsed subtree, so a problem deep inside is named by its path from the node that
    // System.Text.Json reports in JsonException.Path.
    public static FilterNode ReadNode(JsonElement element, string path, bool caseInsensitive, bool allowEmpty)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"expected a condition {{field, operator, value}} or a group {{and, or}}, found {Describe(element.ValueKind)}");
        }

        var comparison = caseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var properties = new List<JsonProperty>();
        foreach (var property in element.EnumerateObject())
        {
            if (properties.Exists(p => string.Equals(p.Name, property.Name, comparison)))
            {
                throw Error(path, $"the key '{property.Name}' is given twice");
            }

            properties.Add(property);
        }

        var isCondition = properties.Exists(p => IsOneOf(p.Name, ConditionKeys, comparison));
        var isGroup = properties.Exists(p => IsOneOf(p.Name, GroupKeys, comparison));
        if (isCondition && isGroup)
        {
            throw Error(path, "a node is either a condition {field, operator, value} or a group {and, or}, not both");
        }

        if (isCondition)
        {
            return ReadCondition(properties, path, comparison);
        }

        var unknown = properties.FindIndex(p => !IsOneOf(p.Name, GroupKeys, comparison));
        if (unknown >= 0)
        {
            throw Error(path, $"unknown key '{properties[unknown].Name}': a node is either a condition {{field, operator, value}} or a group {{and, or}}");
        }

        if (properties.Count == 0 && !allowEmpty)
        {
            throw Error(path, "an empty object is neither a condition {field, operator, value} nor a group {and, or}");
        }

        return ReadGroup(properties, path, caseInsensitive, comparison);
    }

    private static FilterCondition ReadCondition(List<JsonProperty> properties, string path, StringComparison comparison)
    {
        string? field = null, op = null;
        JsonElement? value = null;
        foreach (var property in properties)
        {
            if (string.Equals(property.Name, "field", comparison))
            {
                field = RequireString(property.Value, Join(path, "field"));
            }
            else if (string.Equals(property.Name, "operator", comparison))
            {
                op = RequireString(property.Value, Join(path, "operator"));
            }
            else if (string.Equals(property.Name, "value", comparison))
            {
                value = property.Value.Clone();
            }
            else
            {
                throw Error(path, $"unknown key '{property.Name}' in a condition, which has exactly field, operator and value");
            }
        }

        return new FilterCondition(
            field ?? throw Error(path, "the condition has no 'field'"),
            op ?? throw Error(path, "the condition has no 'operator'"),
            value ?? throw Error(path, "the condition has no 'value' (send null for exists/nexists)"));
    }

    private static FilterGroup ReadGroup(
        List<JsonProperty> properties, string path, bool caseInsensitive, StringComparison comparison)
    {
        IReadOnlyList<FilterNode>? and = null, or = null;
        foreach (var property in properties)
        {
            var key = string.Equals(property.Name, "and", comparison) ? "and" : "or";
            var list = ReadList(property.Value, Join(path, key), caseInsensitive);
            if (key == "and")
            {
                and = list;
            }
            else
            {
                or = list;
            }
        }

        return new FilterGroup { And = and, Or = or };
    }

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

    private static bool IsOneOf(string name, string[] keys, StringComparison comparison) =>
        Array.Exists(keys, k => string.Equals(k, name, comparison));

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
