using System.Text.Json.Nodes;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Persistence;
using Connectra.Backend.Application.Writing;

namespace Connectra.Backend.Api.OpenApi;

/// <summary>
/// The bodies of the write routes, generated from the field tables the write path checks bodies against
/// (<see cref="IWriteRules{TRow, TMeta}.Fields"/>): a field added there appears here, with its kind and limit, and
/// nothing else can. The routes still read the body as JSON against the same table (docs/writes.md#bodies).
/// </summary>
internal static class WriteBodies
{
    private const string Uuid = "uuid";

    public static void Apply(JsonObject document, IServiceProvider services)
    {
        Entity<Contact, ContactMetadata>(document, services, "Contact", "contacts");
        Entity<Company, CompanyMetadata>(document, services, "Company", "companies");
    }

    private static void Entity<TRow, TMeta>(JsonObject document, IServiceProvider services, string name, string controller)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        var fields = services.GetRequiredService<IWriteRules<TRow, TMeta>>().Fields
            .Select(f => (f.Name, f.InMetadata, f.Value)).ToList();
        var schemas = document["components"]!["schemas"]!.AsObject();
        var lower = name.ToLowerInvariant();

        schemas[$"{name}WriteMetadata"] = Object(
            $"The {lower}'s secondary fields. In a create or a replace, a field left out is empty; `null` or `\"\"` means no value.",
            fields.Where(f => f.InMetadata), patch: false);
        schemas[$"{name}PatchMetadata"] = Object(
            $"The secondary fields to change: a field left out keeps its value, `null` clears it.",
            fields.Where(f => f.InMetadata), patch: true);

        schemas[$"{name}Create"] = Body(name, fields, patch: false,
            $"A new {lower}. Every field is optional; a field left out is empty. With `uuid` the create is idempotent: the same body again answers 200 with the stored {lower}, another body for that uuid is a 409.");
        schemas[$"{name}Replace"] = Body(name, fields, patch: false,
            $"The whole {lower}: a field left out becomes empty. `uuid`, when given, must be the path's.");
        schemas[$"{name}Patch"] = Body(name, fields, patch: true,
            $"A JSON merge patch (RFC 7396) of the {lower}: a field left out keeps its value, a field set to `null` is cleared, `metadata` changes only the fields it names. `uuid`, when given, must be the path's.");

        foreach (var (action, schema) in new[] { ("Create", "Create"), ("Replace", "Replace"), ("Patch", "Patch") })
        {
            var operationId = controller + action;
            var operation = document["paths"]!.AsObject()
                .SelectMany(p => p.Value!.AsObject().Select(o => o.Value!.AsObject()))
                .Single(o => o["operationId"]?.GetValue<string>() == operationId);
            foreach (var (_, media) in operation["requestBody"]!["content"]!.AsObject())
            {
                media!["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{name}{schema}" };
            }

            operation["requestBody"]!["required"] = true;
            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                if (status is "200" or "201")
                {
                    var headers = new JsonObject
                    {
                        ["ETag"] = new JsonObject
                        {
                            ["description"] = "The record's version, quoted (\"3\"); send it back in If-Match to change only what you read (docs/writes.md#concurrency).",
                            ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = 32 },
                        },
                    };
                    if (status == "201")
                    {
                        headers["Location"] = new JsonObject
                        {
                            ["description"] = $"The new {lower}'s path, /api/v3/{controller}/{{uuid}}/.",
                            ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = 128 },
                        };
                    }

                    response!["headers"] = headers;
                }
            }

            operation["requestBody"]!["description"] = $"The {lower}'s fields (docs/writes.md#bodies); an unknown key or a value of the wrong kind is a 400 naming the field.";
        }
    }

    private static JsonObject Body(string name, List<(string Name, bool InMetadata, WriteValue Value)> fields, bool patch, string description)
    {
        var body = Object(description, fields.Where(f => !f.InMetadata), patch);
        var properties = new JsonObject
        {
            [Uuid] = new JsonObject
            {
                ["type"] = "string",
                ["format"] = "uuid",
                ["maxLength"] = 64,
                ["nullable"] = true,
                ["description"] = "The record's uuid; any spelling Guid reads, stored in canonical lower-case form.",
            },
        };
        foreach (var (key, value) in body["properties"]!.AsObject().ToList())
        {
            body["properties"]!.AsObject().Remove(key);
            properties[key] = value;
        }

        var metadata = new JsonObject { ["$ref"] = $"#/components/schemas/{name}{(patch ? "Patch" : "Write")}Metadata" };
        // A create or replace may send "metadata": null for none; a patch must send an object (null is refused).
        properties["metadata"] = patch ? metadata : new JsonObject { ["allOf"] = new JsonArray(metadata), ["nullable"] = true };
        body["properties"] = properties;
        body["maxProperties"] = properties.Count;
        return body;
    }

    private static JsonObject Object(string description, IEnumerable<(string Name, bool InMetadata, WriteValue Value)> fields, bool patch)
    {
        var properties = new JsonObject();
        foreach (var field in fields)
        {
            properties[field.Name] = Field(field.Value, patch);
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = description,
            ["properties"] = properties,
            ["additionalProperties"] = false,
            ["maxProperties"] = properties.Count,
        };
    }

    /// <summary>One field as its <see cref="WriteValue"/> reads it: kind, form, length and list size.</summary>
    private static JsonObject Field(WriteValue value, bool patch)
    {
        var none = patch ? "`null` clears it" : "`null` or `\"\"` for none";
        var schema = value.Kind switch
        {
            WriteKind.Count => new JsonObject
            {
                ["type"] = "integer", ["format"] = "int64", ["minimum"] = 0, ["maximum"] = long.MaxValue,
                ["description"] = $"A whole number, 0 or more; {none}.",
            },
            WriteKind.List => new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject { ["type"] = "string", ["maxLength"] = value.MaxLength },
                ["maxItems"] = WriteValue.MaxItems,
                ["description"] = $"Stored lower-case, each entry once, in the order given; {(patch ? "`null` empties it" : "`null` for none")}.",
            },
            _ => Text(value, none),
        };
        schema["nullable"] = true;
        return schema;
    }

    private static JsonObject Text(WriteValue value, string none)
    {
        var text = new JsonObject { ["type"] = "string" };
        switch (value.Kind)
        {
            case WriteKind.Email:
                text["format"] = "email";
                text["description"] = $"An e-mail address, stored lower-case; {none}.";
                break;
            case WriteKind.Url:
                text["format"] = "uri";
                text["description"] = $"An absolute http or https URL; {none}.";
                break;
            case WriteKind.Phone:
                text["pattern"] = @"^[0-9+ ().\-]*$";
                text["description"] = $"Digits, spaces and + - ( ) . only; {none}.";
                break;
            case WriteKind.Uuid:
                text["format"] = "uuid";
                text["description"] = $"A uuid, stored in canonical form; {none}.";
                break;
            case WriteKind.Choice:
                text["enum"] = new JsonArray([.. value.Choices!.Select(c => (JsonNode)JsonValue.Create(c))]);
                text["description"] = $"One of the listed values, any case (stored lower-case); {none}.";
                break;
            case WriteKind.Domain:
                text["format"] = "hostname";
                text["description"] = $"A domain name with a dot (acme.com), stored lower-case; {none}.";
                break;
            default:
                text["description"] = $"Text, trimmed; line breaks and tabs are the only control characters accepted; {none}.";
                break;
        }

        text["maxLength"] = value.MaxLength;
        return text;
    }
}
