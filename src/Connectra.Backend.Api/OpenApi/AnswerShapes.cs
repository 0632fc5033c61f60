using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Connectra.Backend.Api.OpenApi;

/// <summary>
/// Objects the API only sends have every property present (null where unknown): the serializer writes them all,
/// except the few marked to be left out when null. Saying so makes a generated client's fields non-optional.
/// </summary>
internal static class AnswerShapes
{
    public static void Apply(JsonObject document)
    {
        var schemas = document["components"]!["schemas"]!.AsObject();
        var sent = Reachable(schemas, document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject())
            .Select(o => o.Value?["responses"]));
        var received = Reachable(schemas, document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject())
            .SelectMany(o => new[] { o.Value?["requestBody"], o.Value?["parameters"] }));
        var omitted = OmittedWhenNull();

        foreach (var name in sent.Except(received).Order(StringComparer.Ordinal))
        {
            if (schemas[name] is JsonObject { } schema && schema["properties"] is JsonObject properties && schema["required"] is null
                && name is not (ErrorResponses.Problem or ErrorResponses.ValidationProblem))
            {
                schema["required"] = new JsonArray([.. properties.Select(p => p.Key)
                    .Where(p => !omitted.Contains((name, p)))
                    .Select(p => (JsonNode)JsonValue.Create(p))]);
            }
        }
    }

    /// <summary>Component names referenced, directly or through other components, from these nodes.</summary>
    private static HashSet<string> Reachable(JsonObject schemas, IEnumerable<JsonNode?> roots)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<JsonNode?>(roots);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case JsonArray array:
                    foreach (var item in array)
                    {
                        pending.Push(item);
                    }

                    break;
                case JsonObject obj:
                    foreach (var (key, child) in obj)
                    {
                        if (key == "$ref" && child!.GetValue<string>().Split('/')[^1] is var name && found.Add(name))
                        {
                            pending.Push(schemas[name]);
                        }
                        else
                        {
                            pending.Push(child);
                        }
                    }

                    break;
            }
        }

        return found;
    }

    /// <summary>(schema, property) pairs the serializer leaves out when null; schema ids are type names.</summary>
    private static HashSet<(string, string)> OmittedWhenNull() =>
    [
        .. typeof(AnswerShapes).Assembly.GetTypes()
            .SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault)
                .Select(p => (type.Name, JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)))),
    ];
}
