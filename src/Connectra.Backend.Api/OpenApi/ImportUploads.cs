using System.Text.Json.Nodes;
using Connectra.Backend.Application.Importing;

namespace Connectra.Backend.Api.OpenApi;

/// <summary>
/// The import uploads, which the actions stream by hand so Swashbuckle sees no body (docs/imports.md#uploading): a
/// raw <c>text/csv</c> body with the options as query parameters, or <c>multipart/form-data</c> with a <c>file</c> part
/// and an <c>options</c> JSON part. The option names and values come from <see cref="ImportSettings"/> and its enums.
/// </summary>
internal static class ImportUploads
{
    public static void Apply(JsonObject document, ImportOptions imports)
    {
        var paths = document["paths"]!.AsObject();
        var schemas = document["components"]!["schemas"]!.AsObject();
        schemas["ImportUploadOptions"] = OptionsSchema();
        foreach (var entity in new[] { "contacts", "companies" })
        {
            if (paths[$"/api/v3/imports/{entity}"]?["post"] is not JsonObject operation)
            {
                continue;
            }

            operation["parameters"] = new JsonArray([.. Parameters(entity)]);
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["description"] = $"The CSV file, at most {imports.MaxFileBytes} bytes (Imports:MaxFileBytes).",
                ["content"] = new JsonObject
                {
                    ["text/csv"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } },
                    ["multipart/form-data"] = new JsonObject
                    {
                        ["schema"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["required"] = new JsonArray("file"),
                            ["properties"] = new JsonObject
                            {
                                ["file"] = new JsonObject { ["type"] = "string", ["format"] = "binary", ["description"] = "The CSV file." },
                                ["options"] = new JsonObject { ["$ref"] = "#/components/schemas/ImportUploadOptions" },
                            },
                            ["additionalProperties"] = false,
                        },
                        ["encoding"] = new JsonObject { ["options"] = new JsonObject { ["contentType"] = "application/json" } },
                    },
                },
            };
        }
    }

    private static IEnumerable<JsonNode> Parameters(string entity)
    {
        var keys = ImportColumns.MatchKeys(entity == "contacts" ? ImportEntity.Contacts : ImportEntity.Companies);
        yield return Query("mode", "With a text/csv body: what a row may do to the records (default upsert).", Choices(Enum.GetValues<ImportMode>()));
        yield return Query("match_on", "With a text/csv body: the field that finds a row's record (default uuid).", Choices(keys));
        yield return Query("mapping", "With a text/csv body: a JSON object of CSV header → field path (or null to leave a column out).",
            new JsonObject { ["type"] = "string", ["maxLength"] = 65_536 });
        yield return Query("blank_values", "With a text/csv body: what an empty cell means (default ignore).", Choices(Enum.GetValues<ImportBlankValues>()));
        yield return Query("dry_run", "With a text/csv body: validate and report, write nothing.", new JsonObject { ["type"] = "boolean" });
    }

    private static JsonObject OptionsSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "The options of a multipart upload; each is optional.",
        ["properties"] = new JsonObject
        {
            ["mode"] = Choices(Enum.GetValues<ImportMode>()),
            ["match_on"] = Choices(Enum.GetValues<ImportMatchKey>()),
            ["mapping"] = new JsonObject
            {
                ["type"] = "object",
                ["maxProperties"] = ImportSettings.MaxMappingEntries,
                ["additionalProperties"] = new JsonObject { ["type"] = "string", ["nullable"] = true, ["maxLength"] = 64 },
            },
            ["blank_values"] = Choices(Enum.GetValues<ImportBlankValues>()),
            ["dry_run"] = new JsonObject { ["type"] = "boolean" },
        },
        ["additionalProperties"] = false,
    };

    private static JsonObject Query(string name, string description, JsonObject schema) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["description"] = description,
        ["schema"] = schema,
    };

    private static JsonObject Choices<T>(IEnumerable<T> values)
        where T : struct, Enum => new()
        {
            ["type"] = "string",
            ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)ImportSettings.Word(v))]),
        };
}
