using System.Text.RegularExpressions;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.Documentation;

/// <summary>
/// src/Connectra.Backend.Api/Connectra.Backend.Api.http has a sample for every route the app maps, so a new route
/// without one fails here. (The file may hold samples of routes this build lacks.)
/// </summary>
public sealed partial class HttpSamplesTests(ApiFactory api) : ApiTestBase(api)
{
    private const string SamplesFile = "src/Connectra.Backend.Api/Connectra.Backend.Api.http";

    [Fact]
    public void Every_route_of_the_app_has_a_sample()
    {
        var samples = Samples(RepositoryFiles.Read(SamplesFile));
        var routes = Routes();

        var missing = routes
            .Where(route => !samples.Any(sample => route.Methods.Contains(sample.Method) && route.Path.IsMatch(sample.Path)))
            .Select(route => $"{string.Join('|', route.Methods)} {route.Template}")
            .ToList();

        Assert.Contains(routes, route => route.Template.Trim('/') == "metrics");
        Assert.Contains(routes, route => route.Template.Trim('/') == "api/v3/contacts/{contactUuid}" && route.Methods.Contains(HttpMethods.Patch));
        Assert.Empty(missing);
    }

    [Fact]
    public void The_samples_take_the_base_url_and_the_token_from_variables()
    {
        var text = RepositoryFiles.Read(SamplesFile);

        Assert.Matches(@"(?m)^@baseUrl = http", text);
        Assert.Matches(@"(?m)^@token = ", text);
        Assert.DoesNotMatch(@"(?m)^(GET|POST|PUT|PATCH|DELETE) (?!\{\{baseUrl\}\})", text);
        Assert.DoesNotMatch(@"(?m)^Authorization: Bearer (?!\{\{token\}\})", text);
    }

    private sealed record Route(string Template, IReadOnlyList<string> Methods, Regex Path);

    private sealed record Sample(string Method, string Path);

    private List<Route> Routes() =>
        [.. Api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(endpoint => new Route(
                endpoint.RoutePattern.RawText ?? "",
                // A route without method metadata (the Prometheus endpoint) answers any method; GET is what it is for.
                endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToList() ?? [HttpMethods.Get],
                PatternOf(endpoint.RoutePattern.RawText ?? "")))];

    /// <summary>A route template as a regex over a path: each {parameter} is one segment; slashes at the ends do not count.</summary>
    private static Regex PatternOf(string template) =>
        new("^" + string.Join('/', template.Trim('/').Split('/')
            .Select(segment => segment.StartsWith('{') ? "[^/]+" : Regex.Escape(segment))) + "$", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static List<Sample> Samples(string text)
    {
        var variables = VariableLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim(), StringComparer.Ordinal);
        return [.. RequestLine().Matches(text).Select(m =>
        {
            var url = m.Groups[2].Value.Replace("{{baseUrl}}", "", StringComparison.Ordinal).Split('?')[0];
            var path = Placeholder().Replace(url, p => variables.GetValueOrDefault(p.Groups[1].Value, "x"));
            return new Sample(m.Groups[1].Value, path.Trim('/'));
        })];
    }

    [GeneratedRegex(@"(?m)^@([A-Za-z][A-Za-z0-9_]*)\s*=\s*(.*)$")]
    private static partial Regex VariableLine();

    [GeneratedRegex(@"(?m)^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+)")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"\{\{([^}]+)\}\}")]
    private static partial Regex Placeholder();
}
