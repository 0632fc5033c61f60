using System.Text.Json;
using System.Text.Json.Nodes;
using Connectra.Backend.Application.Vql;
using Connectra.Client;
using Connectra.Client.Vql;

namespace Connectra.Backend.UnitTests.Vql;

/// <summary>JSON helpers: the client dialect read as the API reads it, the native dialect written as the client sends it.</summary>
internal static class VqlJson
{
    /// <summary>What the API's controllers use: web defaults with snake_case names.</summary>
    public static JsonSerializerOptions ClientOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Test tables write JSON with single quotes to stay readable; none of their values holds one.</summary>
    public static string Quote(string json) => json.Replace('\'', '"');

    public static FilterGroup Filters(string json) =>
        JsonSerializer.Deserialize<FilterGroup>(Quote(json), ClientOptions)!;

    public static VqlSearchRequest Request(string json) =>
        JsonSerializer.Deserialize<VqlSearchRequest>(Quote(json), ClientOptions)!;

    public static string Native(VqlWhere? where) =>
        where is null ? "null" : JsonSerializer.Serialize(where, ConnectraJsonContext.Default.VqlWhere);

    public static string Native(IReadOnlyList<VqlOrder> orders) =>
        JsonSerializer.Serialize(new VqlQuery { OrderBy = orders }, ConnectraJsonContext.Default.VqlQuery);

    /// <summary>Re-serialised compactly; key order is kept, so it is compared too.</summary>
    public static string Normalise(string json) => JsonNode.Parse(Quote(json))?.ToJsonString() ?? "null";

    public static FieldCatalogue Catalogue(string entity) => entity switch
    {
        "contacts" => FieldCatalogue.Contacts,
        "companies" => FieldCatalogue.Companies,
        _ => throw new ArgumentOutOfRangeException(nameof(entity), entity, null),
    };

    public static string Where(string entity, string filters) =>
        Native(VqlConverter.ToWhere(Catalogue(entity), Filters(filters)));
}
