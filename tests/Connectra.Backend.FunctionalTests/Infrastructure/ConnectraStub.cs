using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>Short-hands for WireMock standing in for Connectra, and for reading what the backend sent it.</summary>
public static class ConnectraStub
{
    public static void Answer(this WireMockServer connectra, string method, string path, int status, string body) =>
        connectra.Given(Request.Create().WithPath(path).UsingMethod(method))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    public static void AnswerPost(this WireMockServer connectra, string path, string body) =>
        connectra.Answer("POST", path, 200, body);

    /// <summary>A filter catalogue of <paramref name="service"/> holding active filters with these keys.</summary>
    public static void AnswerFilters(this WireMockServer connectra, string service, params string[] keys) =>
        connectra.Answer("GET", $"/common/{service}/filters", 200,
            $$"""{"data":[{{string.Join(",", keys.Select((key, i) =>
                $$"""{"id":{{i + 1}},"key":"{{key}}","service":"{{service}}","filter_type":"keyword_match","display_name":"{{key}}","direct_derived":false,"active":true,"deleted_at":null}"""))}}],"success":true}""");

    /// <summary>The JSON bodies the backend sent to <paramref name="path"/>, in order.</summary>
    public static List<JsonNode> Sent(this WireMockServer connectra, string path) =>
        [.. connectra.LogEntries.Where(e => e.RequestMessage.Path == path).Select(e => JsonNode.Parse(e.RequestMessage.Body!)!)];

    /// <summary>Structural JSON equality, with both sides shown when it fails.</summary>
    public static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expected), actual),
            $"expected {JsonNode.Parse(expected)!.ToJsonString()}\n  actual {actual.ToJsonString()}");

    public static JsonElement Json(this string text) => JsonDocument.Parse(text).RootElement.Clone();
}
