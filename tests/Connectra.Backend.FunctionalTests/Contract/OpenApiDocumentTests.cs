using System.Text.Json.Nodes;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Writing;
using Connectra.Backend.FunctionalTests.Documentation;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.Contract;

/// <summary>
/// The served OpenAPI document against docs/openapi.json (docs/api.md#openapi-document) and against the tables and
/// options it is generated from.
/// </summary>
public sealed class OpenApiDocumentTests(ApiFactory api) : ApiTestBase(api)
{
    /// <summary>Set to 1 to rewrite docs/openapi.json from the served document instead of comparing.</summary>
    public const string UpdateVariable = "UPDATE_OPENAPI";

    [Fact]
    public async Task The_committed_document_is_the_one_the_app_serves()
    {
        using var client = Api.CreateClient();
        var served = await client.GetStringAsync(OpenApiDocument.Path, Ct);
        var committed = Path.Combine(RepositoryFiles.Root, "docs", "openapi.json");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(committed, served, Ct);
        }

        var expected = File.Exists(committed) ? await File.ReadAllTextAsync(committed, Ct) : "";
        Assert.True(expected == served,
            $"docs/openapi.json differs from the served document; regenerate it with scripts/update-openapi.sh ({UpdateVariable}=1) and review the diff.");
    }

    [Fact]
    public async Task Limits_in_the_document_follow_the_configuration()
    {
        using var factory = Api.WithWebHostBuilder(b => b
            .UseSetting("Limits:MaxColumns", "7")
            .UseSetting("Limits:MaxListValues", "33")
            .UseSetting("Exports:MaxUuids", "1234"));
        using var client = factory.CreateClient();

        var schemas = (await OpenApiDocument.ReadAsync(client, Ct))["components"]!["schemas"]!;

        Assert.Equal(7, schemas["VqlSearchRequest"]!["properties"]!["select_columns"]!["maxItems"]!.GetValue<int>());
        Assert.Equal(33, schemas["LinkedInUrlsRequest"]!["properties"]!["urls"]!["maxItems"]!.GetValue<int>());
        Assert.Equal(1234, schemas["ContactExportRequest"]!["properties"]!["contact_uuids"]!["maxItems"]!.GetValue<int>());
    }

    [Fact]
    public async Task Write_bodies_hold_exactly_the_fields_of_the_write_tables()
    {
        using var client = Api.CreateClient();
        var schemas = (await OpenApiDocument.ReadAsync(client, Ct))["components"]!["schemas"]!;
        using var scope = Api.Services.CreateScope();
        var contacts = scope.ServiceProvider.GetRequiredService<IWriteRules<Contact, ContactMetadata>>().Fields
            .Select(f => (f.Name, f.InMetadata, f.Value)).ToList();
        var companies = scope.ServiceProvider.GetRequiredService<IWriteRules<Company, CompanyMetadata>>().Fields
            .Select(f => (f.Name, f.InMetadata, f.Value)).ToList();

        foreach (var (entity, fields) in new[] { ("Contact", contacts), ("Company", companies) })
        {
            foreach (var body in new[] { "Create", "Replace", "Patch" })
            {
                var main = schemas[entity + body]!;
                var metadata = schemas[entity + (body == "Patch" ? "Patch" : "Write") + "Metadata"]!;
                Assert.Equal(
                    [.. fields.Where(f => !f.InMetadata).Select(f => f.Name).Append("uuid").Append("metadata").Order(StringComparer.Ordinal)],
                    Keys(main["properties"]!));
                Assert.Equal([.. fields.Where(f => f.InMetadata).Select(f => f.Name).Order(StringComparer.Ordinal)], Keys(metadata["properties"]!));
                Assert.False(main["additionalProperties"]!.GetValue<bool>());
                foreach (var (name, inMetadata, value) in fields)
                {
                    var property = (inMetadata ? metadata : main)["properties"]![name]!;
                    var limit = value.Kind == WriteKind.List ? property["items"]!["maxLength"] : property["maxLength"];
                    Assert.Equal(value.Kind == WriteKind.Count ? null : value.MaxLength, limit?.GetValue<int>());
                    Assert.Equal(value.Kind switch { WriteKind.Count => "integer", WriteKind.List => "array", _ => "string" }, property["type"]!.GetValue<string>());
                    Assert.True(property["nullable"]!.GetValue<bool>(), $"{entity}{body}.{name} may be null");
                }
            }
        }

        Assert.Equal(["catch_all", "invalid", "unknown", "unverified", "verified"],
            schemas["ContactCreate"]!["properties"]!["email_status"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_operation_has_an_id_a_summary_a_description_and_a_described_tag()
    {
        using var client = Api.CreateClient();
        var document = await OpenApiDocument.ReadAsync(client, Ct);
        var tags = document["tags"]!.AsArray().ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!["description"]!.GetValue<string>());
        var ids = new List<string>();

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                ids.Add(operation!["operationId"]!.GetValue<string>());
                Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), $"{method} {path} has a summary");
                Assert.False(string.IsNullOrWhiteSpace(operation["description"]?.GetValue<string>()), $"{method} {path} has a description");
                Assert.All(operation["tags"]!.AsArray(), tag => Assert.NotEmpty(tags[tag!.GetValue<string>()]));
                Assert.True(operation["responses"]!["500"] is not null, $"{method} {path} declares 500");
            }
        }

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    private static List<string> Keys(JsonNode properties) => [.. properties.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];
}

/// <summary>Where the document is served and committed.</summary>
public static class OpenApiDocument
{
    public const string Path = "/swagger/v3/swagger.json";

    public static async Task<JsonObject> ReadAsync(HttpClient client, CancellationToken ct) =>
        JsonNode.Parse(await client.GetStringAsync(Path, ct))!.AsObject();
}
