using System.Text.Json.Nodes;
using Connectra.Backend.Application;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Api.OpenApi;

/// <summary>
/// Limits on every value of the document. Request schemas take theirs from the options the server enforces
/// (<see cref="RequestLimits"/>, <see cref="ExportOptions"/>), so a deployment's document states its own values.
/// Whatever no rule covers gets an outer bound: the type's range, or the ceilings below for what the API answers.
/// </summary>
internal static class SchemaLimits
{
    /// <summary>Longest text in an answer: Connectra's stored values and our messages stay far below it.</summary>
    public const int AnswerText = 65_536;

    /// <summary>Longest list in an answer that no page size bounds.</summary>
    public const int AnswerList = 100_000;

    /// <summary>Most keys of a map in an answer.</summary>
    public const int AnswerMap = 1_000;

    public static void Apply(JsonObject document, RequestLimits limits, ExportOptions exports)
    {
        var schemas = document["components"]!["schemas"]!.AsObject();
        Filters(schemas, limits);

        Property(schemas, "VqlSearchRequest", "select_columns", p => Strings(p, limits.MaxColumns, limits.MaxStringLength));
        Property(schemas, "VqlSearchRequest", "sort_by", p => p["maxLength"] = limits.MaxStringLength);
        Property(schemas, "PopulateConfig", "select_columns", p => Strings(p, limits.MaxColumns, limits.MaxStringLength));
        Property(schemas, "LinkedInUrlsRequest", "urls", p => Strings(p, limits.MaxListValues, limits.MaxStringLength));
        Property(schemas, "ContactExportRequest", "contact_uuids", p => Uuids(p, exports.MaxUuids));
        Property(schemas, "CompanyExportRequest", "company_uuids", p => Uuids(p, exports.MaxUuids));
        Property(schemas, "ContactExportRequest", "columns", p => Columns(p, ExportColumns.Contacts.Select(c => c.Name)));
        Property(schemas, "CompanyExportRequest", "columns", p => Columns(p, ExportColumns.Companies.Select(c => c.Name)));
        Property(schemas, "ChunkedExportRequest", "columns", p => Columns(p, ExportColumns.Contacts.Select(c => c.Name)));
        Property(schemas, "ChunkedExportRequest", "chunks", p =>
        {
            p["maxItems"] = exports.MaxChunks;
            Uuids(p["items"]!.AsObject(), exports.MaxChunkSize);
            p["description"] = $"At most {exports.MaxChunks} chunks (Exports:MaxChunks) of at most {exports.MaxChunkSize} uuids each (Exports:MaxChunkSize), {exports.MaxUuids} in all (Exports:MaxUuids).";
        });

        foreach (var (name, schema) in schemas)
        {
            if (name.EndsWith("CursorPage", StringComparison.Ordinal))
            {
                Property(schemas, name, "results", p => p["maxItems"] = PageRequest.MaxLimit);
            }
        }

        Property(schemas, "FilterValuesPage", "data", p => p["maxItems"] = PageRequest.MaxLimit);
        Property(schemas, "ExportList", "exports", p => p["maxItems"] = PageRequest.MaxLimit);

        TypeNullableReferences(document, schemas);
        Bound(document);
    }

    /// <summary>
    /// OpenAPI 3.0 says "may be null" only beside a type: a nullable reference (allOf of one $ref) gets its
    /// target's type.
    /// </summary>
    private static void TypeNullableReferences(JsonNode? node, JsonObject schemas)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                TypeNullableReferences(item, schemas);
            }
        }
        else if (node is JsonObject schema)
        {
            if (schema["nullable"] is not null && schema["type"] is null
                && schema["allOf"] is JsonArray { Count: 1 } allOf
                && allOf[0]?["$ref"]?.GetValue<string>() is { } reference
                && schemas[reference.Split('/')[^1]]?["type"]?.DeepClone() is { } type)
            {
                schema["type"] = type;
            }

            foreach (var (_, child) in schema)
            {
                TypeNullableReferences(child, schemas);
            }
        }
    }

    /// <summary>
    /// The filter tree: a node is a group or a condition, told apart by its keys. Swashbuckle sees only the
    /// converter-read base type, so the shape is written out here.
    /// </summary>
    private static void Filters(JsonObject schemas, RequestLimits limits)
    {
        schemas["FilterNode"] = new JsonObject
        {
            ["description"] = "A condition (`field`, `operator`, `value`) or a group (`and`, `or`).",
            ["oneOf"] = new JsonArray(
                new JsonObject { ["$ref"] = "#/components/schemas/FilterCondition" },
                new JsonObject { ["$ref"] = "#/components/schemas/FilterGroup" }),
        };
        schemas["FilterCondition"] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = $"One condition (docs/vql.md#client-dialect). `value` is a string, number, boolean, or a list of up to {limits.MaxListValues} of those (Limits:MaxListValues) for `in`/`nin`; text is at most {limits.MaxTextLength} characters (Limits:MaxTextLength), other strings {limits.MaxStringLength} (Limits:MaxStringLength).",
            ["required"] = new JsonArray("field", "operator", "value"),
            ["properties"] = new JsonObject
            {
                ["field"] = new JsonObject { ["type"] = "string", ["maxLength"] = limits.MaxStringLength, ["description"] = "A field of the entity's catalogue (docs/vql.md#field-catalogues)." },
                ["operator"] = new JsonObject
                {
                    ["type"] = "string",
                    ["maxLength"] = 16,
                    ["enum"] = new JsonArray([.. FilterCondition.Operators.Select(o => (JsonNode)JsonValue.Create(o))]),
                    ["description"] = "The comparison; matched case-insensitively.",
                },
                ["value"] = new JsonObject { ["description"] = "What to compare with; `exists`/`nexists` ignore it." },
            },
            ["additionalProperties"] = false,
        };
        var group = schemas["FilterGroup"]!.AsObject();
        group["description"] = $"`and`: every node must hold; `or`: at least one must. At most {limits.MaxConditions} conditions in a tree (Limits:MaxConditions), nested at most {limits.MaxGroupDepth} groups deep (Limits:MaxGroupDepth).";
        foreach (var list in new[] { "and", "or" })
        {
            group["properties"]![list]!["maxItems"] = limits.MaxConditions;
        }
    }

    private static void Property(JsonObject schemas, string schema, string property, Action<JsonObject> change)
    {
        var target = schemas[schema]?["properties"]?[property] as JsonObject
            ?? throw new InvalidOperationException($"{schema}.{property} is not in the document; update {nameof(SchemaLimits)}.");
        change(target);
    }

    private static void Strings(JsonObject list, int maxItems, int maxLength)
    {
        list["maxItems"] = maxItems;
        list["items"]!["maxLength"] = maxLength;
    }

    private static void Uuids(JsonObject list, int maxItems)
    {
        list["maxItems"] = maxItems;
        list["items"] = new JsonObject { ["type"] = "string", ["format"] = "uuid", ["maxLength"] = 36 };
    }

    private static void Columns(JsonObject list, IEnumerable<string> names)
    {
        var all = names.ToList();
        list["maxItems"] = all.Count;
        list["items"] = new JsonObject
        {
            ["type"] = "string",
            ["maxLength"] = all.Max(n => n.Length),
            ["enum"] = new JsonArray([.. all.Select(n => (JsonNode)JsonValue.Create(n))]),
        };
        list["description"] = "CSV columns in order; all of them when absent (docs/exports.md#columns).";
    }

    /// <summary>Outer bounds on everything still unbounded, walking the whole document.</summary>
    private static void Bound(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Bound(item);
            }

            return;
        }

        if (node is not JsonObject schema)
        {
            return;
        }

        // A "properties" map may hold a property called "type": only a string names the schema's type.
        var type = schema["type"] is JsonValue value && value.TryGetValue<string>(out var name) ? name : null;
        switch (type)
        {
            case "string" when schema["maxLength"] is null && schema["enum"] is null:
                schema["maxLength"] = schema["format"]?.GetValue<string>() switch
                {
                    "date-time" => 64,
                    "uuid" => 36,
                    _ => AnswerText,
                };
                break;
            case "integer" when schema["minimum"] is null || schema["maximum"] is null:
                var wide = schema["format"]?.GetValue<string>() == "int64";
                schema["format"] ??= "int32";
                schema["minimum"] ??= wide ? long.MinValue : int.MinValue;
                schema["maximum"] ??= wide ? long.MaxValue : int.MaxValue;
                break;
            case "array" when schema["maxItems"] is null:
                schema["maxItems"] = AnswerList;
                break;
            case "object" when schema["additionalProperties"] is JsonObject && schema["maxProperties"] is null:
                schema["maxProperties"] = AnswerMap;
                break;
        }

        foreach (var (_, child) in schema)
        {
            Bound(child);
        }
    }
}
