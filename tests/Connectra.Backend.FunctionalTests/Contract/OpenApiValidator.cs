using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Connectra.Backend.FunctionalTests.Contract;

/// <summary>
/// Checks real answers against an OpenAPI 3.0 document with a JSON Schema validator: each schema is turned into
/// JSON Schema 2020-12 (<c>nullable</c> becomes a "null" type, component references become <c>$defs</c>), formats
/// are enforced, and a status or media type the operation does not declare is a violation too.
/// </summary>
public sealed class OpenApiValidator(JsonObject document)
{
    private readonly JsonObject _defs = Convert(document["components"]!["schemas"]!.DeepClone()).AsObject();
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    private static readonly EvaluationOptions Strict = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    /// <summary>The operations of the document as "METHOD /template".</summary>
    public IEnumerable<string> Operations() =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"));

    /// <summary>What is wrong with this answer to "METHOD /template", or nothing.</summary>
    public IReadOnlyList<string> Check(string operation, int status, string? mediaType, string body)
    {
        var (method, path) = (operation.Split(' ')[0].ToLowerInvariant(), operation.Split(' ')[1].TrimEnd('/'));
        if (document["paths"]?[path]?[method]?["responses"] is not JsonObject responses)
        {
            return [$"{operation} is not in the document"];
        }

        var key = responses.ContainsKey(status.ToString(System.Globalization.CultureInfo.InvariantCulture)) ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        if (key is null)
        {
            return [$"{operation} answered {status}, which the document does not declare"];
        }

        if (responses[key]!["content"] is not JsonObject content)
        {
            return body.Length == 0 ? [] : [$"{operation} {status} sent a body the document does not declare"];
        }

        if (mediaType is null || content[mediaType] is not JsonObject media)
        {
            return [$"{operation} {status} answered {mediaType ?? "no content type"}; the document declares {string.Join(", ", content.Select(c => c.Key))}"];
        }

        if (!mediaType.EndsWith("json", StringComparison.Ordinal) || media["schema"] is not { } schema)
        {
            return [];
        }

        var validator = _schemas.GetOrAdd($"{operation} {key} {mediaType}", _ => Build(schema));
        var result = validator.Evaluate(JsonNode.Parse(body), Strict);
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{operation} {status} at {d.InstanceLocation}: {e.Value} ({e.Key})"))
                .Take(20)
                .DefaultIfEmpty($"{operation} {status}: invalid")];
    }

    private JsonSchema Build(JsonNode schema)
    {
        var root = Convert(schema.DeepClone());
        var wrapper = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = _defs.DeepClone(),
            ["allOf"] = new JsonArray(root),
        };
        wrapper["$id"] = $"https://contract.invalid/{Guid.NewGuid():N}";
        return JsonSchema.FromText(wrapper.ToJsonString());
    }

    /// <summary>OpenAPI 3.0 schema keywords to JSON Schema 2020-12.</summary>
    private static JsonNode Convert(JsonNode node)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = array[i] is { } item ? Convert(item.DeepClone()) : null;
                }

                return array;
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key == "$ref")
                    {
                        obj[key] = value!.GetValue<string>().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                    }
                    else if (key is not ("example" or "enum" or "default") && value is not null)
                    {
                        obj[key] = Convert(value.DeepClone());
                    }
                }

                if (obj["nullable"] is JsonValue nullable && nullable.TryGetValue<bool>(out var isNullable))
                {
                    obj.Remove("nullable");
                    if (isNullable)
                    {
                        // Only the "may be null" part is added: the rest of the schema applies to non-null values.
                        var copy = obj.DeepClone();
                        obj.Clear();
                        obj["anyOf"] = new JsonArray(new JsonObject { ["type"] = "null" }, copy);
                    }
                }

                return obj;
            default:
                return node;
        }
    }
}
