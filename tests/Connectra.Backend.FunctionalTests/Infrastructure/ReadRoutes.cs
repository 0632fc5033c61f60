using System.Net.Http.Headers;
using System.Text;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>One route of the API with a valid request for it.</summary>
public sealed record ReadRoute(string Method, string Path, string? Body)
{
    public HttpRequestMessage Request() => Request(Body);

    public HttpRequestMessage Request(string? body, string contentType = "application/json") => new(new HttpMethod(Method), Path)
    {
        Content = body is null ? null : new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(contentType)),
    };

    public override string ToString() => $"{Method} {Path}";
}

/// <summary>The sixteen read routes, each with a request that is valid against <see cref="FakeConnectra.Healthy"/>.</summary>
public static class ReadRoutes
{
    private const string Company = FakeConnectra.Company;
    private const string Contact = FakeConnectra.Contact;

    public static IReadOnlyList<ReadRoute> All { get; } =
    [
        new("POST", "/api/v3/contacts/query", "{}"),
        new("POST", "/api/v3/contacts/count", "{}"),
        new("GET", "/api/v3/contacts/filters", null),
        new("POST", "/api/v3/contacts/filters/data", """{"filter_key":"seniority"}"""),
        new("POST", "/api/v3/contacts/linkedin/search", """{"urls":["https://linkedin.com/in/x"]}"""),
        new("GET", $"/api/v3/contacts/{Contact}/", null),
        new("POST", "/api/v3/companies/query", "{}"),
        new("POST", "/api/v3/companies/count", "{}"),
        new("GET", "/api/v3/companies/filters", null),
        new("POST", "/api/v3/companies/filters/data", """{"filter_key":"industries"}"""),
        new("GET", $"/api/v3/companies/{Company}/", null),
        new("GET", $"/api/v3/companies/company/{Company}/contacts/", null),
        new("GET", $"/api/v3/companies/company/{Company}/contacts/count/", null),
        new("GET", $"/api/v3/companies/company/{Company}/contacts/filters", null),
        new("POST", $"/api/v3/companies/company/{Company}/contacts/filters/data", """{"filter_key":"seniority"}"""),
        new("POST", "/api/v3/linkedin/", """{"url":"https://linkedin.com/in/x"}"""),
    ];
}
