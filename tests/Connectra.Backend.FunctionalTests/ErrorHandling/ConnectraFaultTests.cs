using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Connectra.Backend.FunctionalTests.ErrorHandling;

/// <summary>The API over a <see cref="FakeConnectra"/>, with short timeouts so that slow modes stay quick to test.</summary>
public sealed class FaultyConnectraFactory : FakeConnectraHost
{
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromMilliseconds(1500);
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromMilliseconds(350);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Connectra:Resilience:AttemptTimeout:Timeout", AttemptTimeout.ToString());
        builder.UseSetting("Connectra:Resilience:TotalRequestTimeout:Timeout", TotalTimeout.ToString());
        builder.UseSetting("Connectra:Resilience:CircuitBreaker:SamplingDuration", "00:00:05");
        builder.UseSetting("Connectra:HealthProbeTimeout", ProbeTimeout.ToString());
    }
}

/// <summary>
/// Every read route against a Connectra that fails in every way we know of: each answers its documented status (503,
/// or 502 when Connectra calls our query a bad request) within the total timeout, never a 500, and /health/vql
/// tells the truth about each mode. The modes answer every route's calls the same way, so all routes run at once.
/// </summary>
public sealed class ConnectraFaultTests(FaultyConnectraFactory api) : IClassFixture<FaultyConnectraFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Longer than the budget by the retries' last attempt and this machine's scheduling; well short of a hang.
    private static readonly TimeSpan Budget = FaultyConnectraFactory.TotalTimeout + TimeSpan.FromSeconds(2);

    public static TheoryData<string, int, string> Modes => new()
    {
        // mode, status of every route (200 = served), what /health/vql reports as connectra_status
        { "healthy", 200, "healthy" },
        { "slow-under-the-attempt-timeout", 200, "healthy" },
        { "slow-over-the-attempt-timeout", 503, "unavailable" },
        { "stalled-body", 503, "unavailable" },
        { "reset", 503, "unavailable" },
        { "500", 503, "unhealthy" },
        { "429", 503, "unhealthy" },
        { "401", 503, "unhealthy" },
        { "404", 502, "unhealthy" },
        { "html", 503, "unhealthy" },
        { "truncated-json", 503, "unhealthy" },
        { "empty-body", 503, "unhealthy" },
        { "no-envelope", 503, "unhealthy" },
        { "data-not-a-list", 503, "unhealthy" },
        { "success-false", 503, "unhealthy" },
        { "wrongly-typed-records", 503, "unhealthy" },
        { "records-without-uuid", 503, "unhealthy" },
        { "data-null", 0, "unhealthy" },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Every_read_route_answers_its_documented_status_within_the_budget(string mode, int status, string health)
    {
        api.Connectra.Behaviour = Behaviour(mode);
        using var client = Tokens.Authorize(api.CreateClient());

        var answers = await Task.WhenAll(ReadRoutes.All.Select(route => TimedAsync(client, route)));
        using var probe = await client.GetAsync("/health/vql", Ct);

        Assert.All(answers, answer =>
        {
            var expected = status != 0 ? status : DataNullStatus(answer.Route);
            Assert.True((int)answer.Status == expected, $"{answer.Route.Path} answered {(int)answer.Status}, expected {expected}");
            Assert.True(answer.Elapsed < Budget, $"{answer.Route.Path} took {answer.Elapsed}");
            if (expected >= 400)
            {
                Assert.Equal("application/problem+json", answer.ContentType);
            }
        });
        var report = await probe.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(health, report.GetProperty("connectra_status").GetString());
        Assert.Equal(health == "healthy" ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, probe.StatusCode);
    }

    [Fact]
    public async Task A_refused_connection_is_a_503_on_every_read_route_and_unavailable_in_health()
    {
        using var factory = api.WithWebHostBuilder(b => b.UseSetting("Connectra:BaseUrl", $"http://127.0.0.1:{LoopbackPorts.Free()}"));
        using var client = Tokens.Authorize(factory.CreateClient());

        var answers = await Task.WhenAll(ReadRoutes.All.Select(route => TimedAsync(client, route)));
        var report = await (await client.GetAsync("/health/vql", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status));
        Assert.All(answers, answer => Assert.True(answer.Elapsed < Budget, $"{answer.Route.Path} took {answer.Elapsed}"));
        Assert.Equal("unavailable", report.GetProperty("connectra_status").GetString());
    }

    /// <summary>
    /// <c>"data": null</c> is how Connectra says "no filters" or "no values" (a Go nil slice), so the filter catalogue is
    /// an empty list and a filter key cannot be in it (400); on every other route it breaks the contract.
    /// </summary>
    private static int DataNullStatus(ReadRoute route) => route.Path switch
    {
        "/api/v3/contacts/filters" or "/api/v3/companies/filters" => 200,
        "/api/v3/contacts/filters/data" or "/api/v3/companies/filters/data" => 400,
        _ => 503,
    };

    private static Func<HttpContext, Task> Behaviour(string mode) => mode switch
    {
        "healthy" => FakeConnectra.Healthy,
        "slow-under-the-attempt-timeout" => FakeConnectra.Slow(FaultyConnectraFactory.AttemptTimeout / 3),
        "slow-over-the-attempt-timeout" => FakeConnectra.Slow(FaultyConnectraFactory.AttemptTimeout + TimeSpan.FromMilliseconds(150)),
        "stalled-body" => FakeConnectra.Stall,
        "reset" => FakeConnectra.Reset,
        "500" => FakeConnectra.Status(500),
        "429" => FakeConnectra.Status(429, """{"error":"rate limit exceeded","message":"try later"}"""),
        "401" => FakeConnectra.Status(401, """{"error":"unauthorized","message":"invalid API key"}"""),
        "404" => FakeConnectra.Status(404, "404 page not found"),
        "html" => FakeConnectra.Body("<html><body>502 Bad Gateway</body></html>", "text/html"),
        "truncated-json" => FakeConnectra.Body("""{"data":[{"uuid":"a0000001-0000-4000-8000-0000"""),
        "empty-body" => FakeConnectra.Body(""),
        "no-envelope" => FakeConnectra.Body("{}"),
        "data-not-a-list" => FakeConnectra.Body("""{"data":"x","count":"x","status":"x","success":true}"""),
        "success-false" => FakeConnectra.Body("""{"data":[],"count":1,"success":false}"""),
        "wrongly-typed-records" => FakeConnectra.Body("""{"data":[{"uuid":5,"key":null,"value":7}],"success":true}"""),
        "records-without-uuid" => FakeConnectra.Body("""{"data":[{"first_name":"Ada","name":"Acme","key":"","value":"x"}],"success":true}"""),
        "data-null" => FakeConnectra.Body("""{"data":null,"success":true}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    private static async Task<(ReadRoute Route, HttpStatusCode Status, string? ContentType, TimeSpan Elapsed)> TimedAsync(
        HttpClient client, ReadRoute route)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(route.Request(), Ct);
        return (route, response.StatusCode, response.Content.Headers.ContentType?.MediaType, clock.Elapsed);
    }
}
