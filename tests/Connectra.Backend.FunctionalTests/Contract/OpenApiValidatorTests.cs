using System.Text.Json.Nodes;

namespace Connectra.Backend.FunctionalTests.Contract;

/// <summary>The validator the contract tests rely on must see the violations it is there to catch.</summary>
public sealed class OpenApiValidatorTests
{
    private static readonly OpenApiValidator Validator = new(JsonNode.Parse("""
        {"paths": {"/things/{id}": {"get": {"responses": {
            "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
            "204": {"description": "none"}}}}},
         "components": {"schemas": {
            "Thing": {"type": "object", "additionalProperties": false, "required": ["id", "meta"], "properties": {
                "id": {"type": "string", "format": "uuid"},
                "name": {"type": "string", "nullable": true, "maxLength": 3},
                "meta": {"allOf": [{"$ref": "#/components/schemas/Meta"}], "type": "object", "nullable": true}}},
            "Meta": {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}}}}}}
        """)!.AsObject());

    [Theory]
    [InlineData(200, "application/json", """{"id": "0badc0de-0000-4000-8000-000000000000", "name": null, "meta": null}""", 0)]
    [InlineData(200, "application/json", """{"id": "0badc0de-0000-4000-8000-000000000000", "name": "abc", "meta": {"n": 1}}""", 0)]
    [InlineData(200, "application/json", """{"id": "not-a-uuid", "meta": null}""", 1)]
    [InlineData(200, "application/json", """{"id": "0badc0de-0000-4000-8000-000000000000", "name": "abcd", "meta": null}""", 1)]
    [InlineData(200, "application/json", """{"id": "0badc0de-0000-4000-8000-000000000000", "meta": null, "extra": 1}""", 1)]
    [InlineData(200, "application/json", """{"id": "0badc0de-0000-4000-8000-000000000000"}""", 1)]
    [InlineData(200, "application/json", """{"id": "0badc0de-0000-4000-8000-000000000000", "meta": {"n": -1}}""", 1)]
    [InlineData(200, "text/csv", "a,b", 1)]
    [InlineData(404, "application/problem+json", "{}", 1)]
    [InlineData(204, null, "", 0)]
    [InlineData(204, "application/json", "{}", 1)]
    public void Reports_what_the_document_does_not_allow(int status, string? mediaType, string body, int violations)
    {
        var found = Validator.Check("GET /things/{id}", status, mediaType, body);

        Assert.True(violations == 0 ? found.Count == 0 : found.Count > 0, string.Join("\n", found));
    }
}
