using System.Text.Json.Nodes;
using Connectra.Backend.Api.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.RateLimiting;

namespace Connectra.Backend.Api.OpenApi;

/// <summary>What the document must say about one operation, read from its action's metadata.</summary>
internal sealed record OperationFacts(
    string Controller, string Action, bool Anonymous, string? RateLimit, bool TakesBody, bool LargeBody)
{
    /// <summary>Routes whose answer Connectra gives: its outages and refusals reach the caller as 503 and 502.</summary>
    public bool ReadsConnectra => Controller is "Contacts" or "Companies" or "LinkedIn" && Action is not ("Create" or "Replace" or "Patch" or "Delete");

    public bool IsHealth => Controller == "Health";

    /// <summary>Keyed by "get /path" as the document spells paths (no trailing slash).</summary>
    public static IReadOnlyDictionary<string, OperationFacts> Read(IApiDescriptionGroupCollectionProvider provider) =>
        provider.ApiDescriptionGroups.Items.SelectMany(group => group.Items)
            .ToDictionary(Key, Facts, StringComparer.Ordinal);

    public static string Key(string method, string path) => $"{method.ToLowerInvariant()} {path.TrimEnd('/')}";

    /// <summary>Each operation of the document with its facts.</summary>
    public static IEnumerable<(string Path, string Method, JsonObject Operation, OperationFacts Facts)> Each(
        JsonObject document, IReadOnlyDictionary<string, OperationFacts> facts)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().ToList())
            {
                if (operation is JsonObject op && facts.TryGetValue(Key(method, path), out var fact))
                {
                    yield return (path, method, op, fact);
                }
            }
        }
    }

    private static string Key(ApiDescription api) => Key(api.HttpMethod ?? "get", "/" + api.RelativePath);

    private static OperationFacts Facts(ApiDescription api)
    {
        var action = (ControllerActionDescriptor)api.ActionDescriptor;
        var metadata = action.EndpointMetadata;
        // The nearest attribute wins: an action's [DisableRateLimiting] or policy overrides its controller's.
        var limit = metadata.LastOrDefault(m => m is EnableRateLimitingAttribute or DisableRateLimitingAttribute) as EnableRateLimitingAttribute;
        return new OperationFacts(
            action.ControllerName,
            action.ActionName,
            metadata.OfType<IAllowAnonymous>().Any(),
            limit?.PolicyName,
            api.ParameterDescriptions.Any(p => p.Source == BindingSource.Body),
            metadata.OfType<LargeBodyAttribute>().Any());
    }
}
