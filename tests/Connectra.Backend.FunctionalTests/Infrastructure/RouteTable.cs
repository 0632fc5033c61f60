using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>The least a caller needs to be let through a route.</summary>
public enum Access
{
    Anonymous,
    Reader,
    Writer,
    Admin,
}

/// <summary>
/// One route as the endpoint data source names it (<see cref="Template"/>), who may call it, and a body that gets past
/// authorization into the action. <see cref="Case"/> tells two rows of one route apart when the body decides access.
/// </summary>
public sealed record RouteRule(string Method, string Template, Access Access, string? Body = null, string? Case = null)
{
    /// <summary>Routes that name an export or an import answer only its owner.</summary>
    public bool OwnerScoped => Template.Contains("{exportId}", StringComparison.Ordinal) || Template.Contains("{importId}", StringComparison.Ordinal);

    /// <summary>Routing ignores a trailing slash, and the endpoint data source drops it.</summary>
    public string Key => $"{Method} {Template.TrimEnd('/')}";

    /// <param name="jobId">The export or import the route names.</param>
    public string Path(string jobId) => Template
        .Replace("{contactUuid}", FakeConnectra.Contact, StringComparison.Ordinal)
        .Replace("{companyUuid}", FakeConnectra.Company, StringComparison.Ordinal)
        .Replace("{exportId}", jobId, StringComparison.Ordinal)
        .Replace("{importId}", jobId, StringComparison.Ordinal)
        .Replace("{id}", SavedSearch, StringComparison.Ordinal)
        .Replace("{scheduleId}", Schedule, StringComparison.Ordinal);

    /// <summary>A saved search and schedule no one has: routes that name one answer 404 to everyone let through.</summary>
    public const string SavedSearch = "5a7ed5ea-0000-4000-8000-000000000001";
    public const string Schedule = "5c4ed01e-0000-4000-8000-000000000001";

    public override string ToString() => Case is null ? Key : $"{Key} ({Case})";
}

/// <summary>
/// Every route of the API, one line each. The authorization matrix requires this table and the app's endpoints to
/// name the same routes, so a new route fails the tests until it has a row here.
/// </summary>
public static class RouteTable
{
    private const string Contact = FakeConnectra.Contact;
    private const string Company = FakeConnectra.Company;

    public static IReadOnlyList<RouteRule> All { get; } =
    [
        new("GET", "/health", Access.Anonymous),
        new("GET", "/api/v1/health/", Access.Anonymous),
        new("GET", "/health/db", Access.Anonymous),
        new("GET", "/health/outbox", Access.Anonymous),
        new("GET", "/health/vql", Access.Anonymous),
        new("GET", "/api/v1/health/vql", Access.Anonymous),
        new("GET", "/metrics", Access.Anonymous),

        new("POST", "/api/v3/contacts/query", Access.Reader, "{}"),
        new("POST", "/api/v3/contacts/count", Access.Reader, "{}"),
        new("GET", "/api/v3/contacts/filters", Access.Reader),
        new("POST", "/api/v3/contacts/filters/data", Access.Reader, """{"filter_key":"seniority"}"""),
        new("POST", "/api/v3/contacts/linkedin/search", Access.Reader, """{"urls":["https://linkedin.com/in/x"]}"""),
        new("GET", "/api/v3/contacts/{contactUuid}/", Access.Reader),
        new("POST", "/api/v3/contacts", Access.Writer, """{"first_name":"Ada"}"""),
        new("PUT", "/api/v3/contacts/{contactUuid}/", Access.Writer, """{"first_name":"Ada"}"""),
        new("PATCH", "/api/v3/contacts/{contactUuid}/", Access.Writer, """{"first_name":"Ada"}"""),
        new("DELETE", "/api/v3/contacts/{contactUuid}/", Access.Writer),

        new("POST", "/api/v3/companies/query", Access.Reader, "{}"),
        new("POST", "/api/v3/companies/count", Access.Reader, "{}"),
        new("GET", "/api/v3/companies/filters", Access.Reader),
        new("POST", "/api/v3/companies/filters/data", Access.Reader, """{"filter_key":"industries"}"""),
        new("GET", "/api/v3/companies/{companyUuid}/", Access.Reader),
        new("GET", "/api/v3/companies/company/{companyUuid}/contacts/", Access.Reader),
        new("GET", "/api/v3/companies/company/{companyUuid}/contacts/count/", Access.Reader),
        new("GET", "/api/v3/companies/company/{companyUuid}/contacts/filters", Access.Reader),
        new("POST", "/api/v3/companies/company/{companyUuid}/contacts/filters/data", Access.Reader, """{"filter_key":"seniority"}"""),
        new("POST", "/api/v3/companies", Access.Writer, """{"name":"Acme"}"""),
        new("PUT", "/api/v3/companies/{companyUuid}/", Access.Writer, """{"name":"Acme"}"""),
        new("PATCH", "/api/v3/companies/{companyUuid}/", Access.Writer, """{"name":"Acme"}"""),
        new("DELETE", "/api/v3/companies/{companyUuid}/", Access.Writer),

        new("POST", "/api/v3/linkedin", Access.Reader, """{"url":"https://linkedin.com/in/x"}"""),

        new("GET", "/api/v3/changes", Access.Reader),

        new("POST", "/api/v3/exports/contacts/export", Access.Reader, $$"""{"contact_uuids":["{{Contact}}"]}"""),
        new("POST", "/api/v3/exports/companies/export", Access.Reader, $$"""{"company_uuids":["{{Company}}"]}"""),
        new("POST", "/api/v3/exports/contacts/export/chunked", Access.Reader, $$"""{"chunks":[["{{Contact}}"]]}"""),
        new("GET", "/api/v3/exports", Access.Reader),
        new("GET", "/api/v3/exports/{exportId}/status", Access.Reader),
        new("GET", "/api/v3/exports/{exportId}/download", Access.Reader),
        new("DELETE", "/api/v3/exports/{exportId}/cancel", Access.Reader),
        new("DELETE", "/api/v3/exports/files", Access.Admin),

        new("POST", "/api/v3/saved-searches", Access.Reader, """{"name":"n","entity":"contacts","query":{}}"""),
        new("GET", "/api/v3/saved-searches", Access.Reader),
        new("GET", "/api/v3/saved-searches/{id}", Access.Reader),
        new("PUT", "/api/v3/saved-searches/{id}", Access.Reader, """{"name":"n","entity":"contacts","query":{}}"""),
        new("DELETE", "/api/v3/saved-searches/{id}", Access.Reader),
        new("POST", "/api/v3/saved-searches/{id}/run", Access.Reader, "{}"),
        new("POST", "/api/v3/saved-searches/{id}/count", Access.Reader),
        new("POST", "/api/v3/saved-searches/{id}/export", Access.Reader, "{}"),
        new("GET", "/api/v3/saved-searches/{id}/schedules", Access.Reader),
        new("POST", "/api/v3/saved-searches/{id}/schedules", Access.Reader, """{"cron":"0 9 * * 1"}"""),
        new("PUT", "/api/v3/saved-searches/{id}/schedules/{scheduleId}", Access.Reader, """{"cron":"0 9 * * 1"}"""),
        new("DELETE", "/api/v3/saved-searches/{id}/schedules/{scheduleId}", Access.Reader),
        new("GET", "/api/v3/saved-searches/{id}/schedules/{scheduleId}/runs", Access.Reader),
        new("POST", "/api/v3/imports/contacts", Access.Writer),
        new("POST", "/api/v3/imports/companies", Access.Writer),
        new("GET", "/api/v3/imports", Access.Writer),
        new("GET", "/api/v3/imports/{importId}", Access.Writer),
        new("GET", "/api/v3/imports/{importId}/errors", Access.Writer),
        new("GET", "/api/v3/imports/{importId}/errors.csv", Access.Writer),
        new("DELETE", "/api/v3/imports/{importId}/cancel", Access.Writer),

        new("POST", "/api/v3/webhooks", Access.Writer, """{"url":"https://203.0.113.10/hook","event_types":["contact.created"]}"""),
        new("GET", "/api/v3/webhooks", Access.Writer),
        new("GET", "/api/v3/webhooks/{id}", Access.Writer),
        new("PUT", "/api/v3/webhooks/{id}", Access.Writer, """{"url":"https://203.0.113.10/hook","event_types":["contact.created"]}"""),
        new("DELETE", "/api/v3/webhooks/{id}", Access.Writer),
        new("POST", "/api/v3/webhooks/{id}/rotate-secret", Access.Writer),
        new("GET", "/api/v3/webhooks/{id}/deliveries", Access.Writer),
        new("POST", "/api/v3/webhooks/{id}/replay", Access.Writer, """{"from_sequence":1}"""),
        new("POST", "/api/v3/webhooks/{id}/test", Access.Writer),

        new("POST", "/api/v3/sales-navigator/scrape", Access.Reader, """{"html":"<html><body><p>No leads</p></body></html>"}""", Case: "parse only"),
        new("POST", "/api/v3/sales-navigator/scrape", Access.Writer, """{"html":"<html><body><p>No leads</p></body></html>","save":true}""", Case: "save"),
    ];

    public static RouteRule Named(string name) => All.Single(r => r.ToString() == name);

    /// <summary>
    /// The rows of every route whose action binds a JSON body, found from the running app's endpoints rather than
    /// listed, so a new JSON route is covered as soon as it exists. One row per route; fails on a JSON route whose row
    /// has no body to send.
    /// </summary>
    public static IReadOnlyList<RouteRule> WithJsonBody(IServiceProvider services)
    {
        var keys = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<ControllerActionDescriptor>()?.Parameters
                .Any(parameter => parameter.BindingInfo?.BindingSource == BindingSource.Body) == true)
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => $"{method} /{endpoint.RoutePattern.RawText?.Trim('/')}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        return [.. keys.Select(key => All.FirstOrDefault(row => row.Key == key && row.Body is not null)
            ?? throw new InvalidOperationException($"{key} takes a JSON body: give it a row with a valid body in RouteTable"))];
    }

    /// <summary>"METHOD /template" for every route endpoint the running app maps.</summary>
    public static IReadOnlyList<string> Mapped(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => $"{method} /{endpoint.RoutePattern.RawText?.Trim('/')}"))
            .Order(StringComparer.Ordinal)];
}
