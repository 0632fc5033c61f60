using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connectra.Backend.Application;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Importing;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;

namespace Connectra.Backend.Api.OpenApi;

/// <summary>
/// The served OpenAPI document: Swashbuckle's, completed by the steps below. Built once per host: everything it
/// depends on (routes, field tables, limits) is fixed when the host starts.
/// </summary>
internal sealed class ApiDocument
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // The document is read by people in review as much as by tools: no \u escapes for quotes or non-ASCII.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Lazy<string> _json;

    public ApiDocument(
        ISwaggerProvider swagger,
        IApiDescriptionGroupCollectionProvider descriptions,
        IServiceScopeFactory scopes,
        IOptions<RequestLimits> limits,
        IOptions<ExportOptions> exports,
        IOptions<ImportOptions> imports)
    {
        _json = new Lazy<string>(() => Build(swagger, descriptions, scopes, limits.Value, exports.Value, imports.Value));
    }

    /// <summary>The document as served and as committed in docs/openapi.json.</summary>
    public string Json => _json.Value;

    private static string Build(
        ISwaggerProvider swagger, IApiDescriptionGroupCollectionProvider descriptions, IServiceScopeFactory scopes,
        RequestLimits limits, ExportOptions exports, ImportOptions imports)
    {
        var generated = swagger.GetSwagger(SwaggerSetup.DocumentName);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        generated.SerializeAsV3(new OpenApiJsonWriter(text));
        var document = JsonNode.Parse(text.ToString())!.AsObject();

        var operations = OperationFacts.Read(descriptions);
        DocumentText.Apply(document, operations);
        ErrorResponses.Apply(document, operations);
        using (var scope = scopes.CreateScope())
        {
            WriteBodies.Apply(document, scope.ServiceProvider);
        }

        ImportUploads.Apply(document, imports);
        QueryParameters.Apply(document, limits);
        SchemaLimits.Apply(document, limits, exports);
        AnswerShapes.Apply(document);
        Examples.Apply(document);
        return document.ToJsonString(Indented) + "\n";
    }
}
