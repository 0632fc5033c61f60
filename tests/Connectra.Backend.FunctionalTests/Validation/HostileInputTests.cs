using System.Net;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.EndToEnd;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.Validation;

/// <summary>
/// The end-to-end stack with a breaker that opens after a single counted failure: if any hostile request reached
/// Connectra in a form that made it fail, the breaker would say so.
/// </summary>
public sealed class HostileInputHost(EmulatorApiFactory stack) : IDisposable
{
    public WebApplicationFactory<Program> Api { get; } = stack.WithWebHostBuilder(b => b
        .UseSetting("Connectra:Resilience:CircuitBreaker:MinimumThroughput", "2")
        .UseSetting("Connectra:Resilience:CircuitBreaker:FailureRatio", "0.01"));

    public string BreakerState => Api.Services.GetRequiredService<ConnectraCircuitBreaker>().State;

    public void Dispose() => Api.Dispose();
}

/// <summary>
/// Every request of the hostile corpus (<see cref="HostileInput"/>) gets a 4xx problem document that names the
/// problem — never a 5xx — and leaves the emulator and the breaker as they were.
/// </summary>
public sealed class HostileInputTests(EmulatorApiFactory stack, HostileInputHost host) : EndToEndTestBase(stack), IClassFixture<HostileInputHost>
{
    public static TheoryData<string> Cases => [.. HostileInput.All.Keys];

    [Fact]
    public void The_corpus_holds_at_least_three_hundred_requests_on_every_input_route()
    {
        Assert.True(HostileInput.All.Count >= 300, $"{HostileInput.All.Count} cases");
        Assert.All(ReadRoutes.All.Where(r => r.Body is not null || r.Path.Contains('{', StringComparison.Ordinal) || r.Path.Contains("company/", StringComparison.Ordinal)),
            route => Assert.Contains(HostileInput.All.Values, c => c.Path.StartsWith(route.Path.Split('?')[0].Replace(FakeConnectra.Company, HostileInput.Company, StringComparison.Ordinal), StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_route_the_app_maps_with_a_json_body_has_every_json_case()
    {
        var routes = RouteTable.WithJsonBody(host.Api.Services);

        Assert.NotEmpty(routes);
        Assert.All(routes, route => Assert.All(HostileInput.JsonCaseClasses,
            id => Assert.True(HostileInput.All.ContainsKey(HostileInput.JsonRouteCase(route, id)), $"{route} lacks '{id}'")));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_request_is_refused_with_a_problem_naming_it(string id)
    {
        var hostile = HostileInput.All[id];
        using var client = Tokens.Authorize(host.Api.CreateClient(), "hostile", "writer");

        using var response = await client.SendAsync(hostile.Message(), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.True((int)response.StatusCode == hostile.Status, $"{id}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), text);
        if (hostile.Status == 400)
        {
            Assert.NotEmpty(problem.GetProperty("errors").EnumerateObject());
        }

        if (hostile.Field is { } field)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{id}: errors do not name '{field}': {text}");
        }

        if (hostile.Says is { } phrase)
        {
            Assert.Contains(phrase, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.NotEqual("open", host.BreakerState);
    }

    [Fact]
    public async Task After_the_whole_corpus_a_normal_query_is_served_and_the_breaker_is_closed()
    {
        using var client = Tokens.Authorize(host.Api.CreateClient(), "hostile", "writer");
        foreach (var hostile in HostileInput.All.Values)
        {
            using var response = await client.SendAsync(hostile.Message(), Ct);
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{hostile.Id}: {(int)response.StatusCode}");
        }

        using var normal = await client.PostAsJsonAsync("/api/v3/contacts/query", new { limit = 5 }, Ct);
        var page = await normal.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var health = await (await client.GetAsync("/health/vql", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
        Assert.Equal(5, page.GetProperty("results").GetArrayLength());
        Assert.Equal("closed", health.GetProperty("circuit_breaker").GetString());
        Assert.Equal("healthy", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Injection_strings_as_values_are_plain_text_that_matches_nothing()
    {
        using var client = Tokens.Authorize(host.Api.CreateClient(), "hostile", "writer");
        foreach (var injection in HostileInput.Injections)
        {
            using var response = await client.PostAsJsonAsync("/api/v3/contacts/count",
                new { filters = new { and = new[] { new { field = "email", @operator = "eq", value = injection } } } }, Ct);
            var count = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(0, count.GetProperty("count").GetInt64());
        }

        var all = await (await client.PostAsJsonAsync("/api/v3/contacts/count", new { }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(DataSet.Contacts.Count, all.GetProperty("count").GetInt64());
    }
}
