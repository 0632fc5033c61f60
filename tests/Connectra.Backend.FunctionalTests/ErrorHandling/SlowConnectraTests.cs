using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Connectra.Backend.FunctionalTests.ErrorHandling;

/// <summary>
/// A Connectra that does not answer in time. On its own fake server: its answers stop with the client that gave up,
/// so no late request lands in another test's log.
/// </summary>
public sealed class SlowConnectraTests(FaultyConnectraFactory api) : IClassFixture<FaultyConnectraFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_connectra_that_never_answers_is_a_503_within_the_total_timeout()
    {
        api.Connectra.Behaviour = FakeConnectra.Slow(TimeSpan.FromSeconds(20));
        using var factory = api.WithWebHostBuilder(b => b
            .UseSetting("Connectra:Resilience:AttemptTimeout:Timeout", "00:00:00.300")
            .UseSetting("Connectra:Resilience:TotalRequestTimeout:Timeout", "00:00:01.500"));
        using var client = Tokens.Authorize(factory.CreateClient());
        var clock = Stopwatch.StartNew();

        using var response = await client.GetAsync("/api/v3/contacts/filters", Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, ProblemTypes.ConnectraUnavailable);
        // Longer than one 300 ms attempt: timed-out attempts were retried until the 1.5 s total budget ran out.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task A_slow_connectra_probe_is_cut_at_the_probe_timeout()
    {
        api.Connectra.Behaviour = FakeConnectra.Slow(TimeSpan.FromSeconds(30));
        using var factory = api.WithWebHostBuilder(b => b.UseSetting("Connectra:HealthProbeTimeout", "00:00:00.500"));
        using var client = factory.CreateClient();
        var clock = Stopwatch.StartNew();

        using var response = await client.GetAsync("/health/vql", Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unavailable", body.GetProperty("connectra_status").GetString());
        Assert.Contains("500 ms", body.GetProperty("connectra_error").GetString(), StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(3));
    }
}
