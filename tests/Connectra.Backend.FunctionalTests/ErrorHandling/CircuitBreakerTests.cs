using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Connectra.Backend.FunctionalTests.ErrorHandling;

/// <summary>
/// The breaker is shared by every user of a replica, so only Connectra's own failures may open it: never a request
/// that Connectra refused because of what it asked. Each test builds a host whose breaker opens after two failures.
/// </summary>
public sealed class CircuitBreakerTests(FaultyConnectraFactory api) : IClassFixture<FaultyConnectraFactory>
{
    /// <summary>Long enough that the requests made while the breaker is open all fall inside it on a busy machine.</summary>
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(3);

    /// <summary>
    /// An open breaker answers without calling Connectra; a request that went through the retries instead would wait
    /// for their first delay (a second), so anything well under it is failing fast whatever the machine's load.
    /// </summary>
    private static readonly TimeSpan FailingFast = TimeSpan.FromMilliseconds(100);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private WebApplicationFactory<Program> SensitiveBreaker() => api.WithWebHostBuilder(b => b
        .UseSetting("Connectra:Resilience:CircuitBreaker:MinimumThroughput", "2")
        .UseSetting("Connectra:Resilience:CircuitBreaker:FailureRatio", "0.5")
        .UseSetting("Connectra:Resilience:CircuitBreaker:BreakDuration", BreakDuration.ToString()));

    [Theory]
    [InlineData("elasticsearch: [400 Bad Request] query_shard_exception: failed to create query: For input string: \"x\"")]
    [InlineData("elasticsearch: [400 Bad Request] too_many_clauses: maxClauseCount is set to 1024")]
    [InlineData("sql: no rows in result set")]
    [InlineData("ERR_UNSUPPORTED_SERVICE: unsupported service: contacts")]
    [InlineData("ERR_DATA_FETCH_FAILED: ERROR #42703 column \"nickname\" does not exist")]
    public async Task A_500_the_request_itself_caused_is_not_retried_and_never_opens_the_breaker(string error)
    {
        api.Connectra.Behaviour = FakeConnectra.Status(500, JsonSerializer.Serialize(new { error, success = false }));
        using var factory = SensitiveBreaker();
        using var client = Tokens.Authorize(factory.CreateClient());
        api.Connectra.ResetCalls();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/v3/contacts/count", new { }, Ct);
            answers.Add(response.StatusCode);
        }

        api.Connectra.Behaviour = FakeConnectra.Healthy;
        using var afterwards = await client.PostAsJsonAsync("/api/v3/contacts/count", new { }, Ct);
        var health = await (await client.GetAsync("/health/vql", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.BadGateway, status));
        Assert.Equal(6 + 1 + 1, api.Connectra.Calls); // one call each, no retries, plus the probe
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Equal("closed", health.GetProperty("circuit_breaker").GetString());
    }

    [Fact]
    public async Task Connectra_failing_opens_the_breaker_answers_at_once_health_says_so_and_recovery_is_automatic()
    {
        api.Connectra.Behaviour = FakeConnectra.Status(503);
        using var factory = SensitiveBreaker();
        using var client = Tokens.Authorize(factory.CreateClient());

        using (var tripping = await client.PostAsJsonAsync("/api/v3/contacts/count", new { }, Ct))
        {
            await Problems.AssertProblemAsync(tripping, HttpStatusCode.ServiceUnavailable, ProblemTypes.ConnectraUnavailable);
        }

        // Connectra recovers at once, but this replica keeps failing fast until the break is over.
        api.Connectra.Behaviour = FakeConnectra.Healthy;
        var timings = new List<TimeSpan>();
        for (var i = 0; i < 21; i++)
        {
            var clock = Stopwatch.StartNew();
            using var open = await client.PostAsJsonAsync("/api/v3/contacts/count", new { }, Ct);
            timings.Add(clock.Elapsed);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, open.StatusCode);
        }

        using var whileOpen = await client.GetAsync("/health/vql", Ct);
        var openReport = await whileOpen.Content.ReadFromJsonAsync<JsonElement>(Ct);

        await Task.Delay(BreakDuration + TimeSpan.FromMilliseconds(200), Ct);
        using var recovered = await client.PostAsJsonAsync("/api/v3/contacts/count", new { }, Ct);
        using var afterwards = await client.GetAsync("/health/vql", Ct);
        var closedReport = await afterwards.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.True(timings.Order().ElementAt(timings.Count / 2) < FailingFast,
            $"median answer with the breaker open: {timings.Order().ElementAt(timings.Count / 2).TotalMilliseconds} ms");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileOpen.StatusCode);
        Assert.Equal("healthy", openReport.GetProperty("connectra_status").GetString());
        Assert.Equal("open", openReport.GetProperty("circuit_breaker").GetString());
        Assert.Contains("circuit breaker is open", openReport.GetProperty("connectra_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Equal("closed", closedReport.GetProperty("circuit_breaker").GetString());
    }

    [Fact]
    public async Task Client_input_connectra_could_not_take_never_reaches_it()
    {
        api.Connectra.Behaviour = FakeConnectra.Status(500);
        using var factory = SensitiveBreaker();
        using var client = Tokens.Authorize(factory.CreateClient());
        api.Connectra.ResetCalls();
        string[] bodies =
        [
            """{"filters":{"and":[{"field":"first_name","operator":"in","value":[""" + string.Join(",", Enumerable.Range(0, 2000).Select(i => $"\"n{i}\"")) + "]}]}}",
            """{"filters":{"and":[{"field":"title","operator":"contains","value":""" + JsonSerializer.Serialize(string.Join(' ', Enumerable.Repeat("engineering", 500))) + "}]}}",
            """{"filters":{"and":[{"field":"title","operator":"contains","value":""" + JsonSerializer.Serialize(new string('x', 200)) + "}]}}",
        ];

        foreach (var body in bodies)
        {
            using var response = await client.PostAsync("/api/v3/contacts/query", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
            var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation);
            Assert.True(problem.GetProperty("errors").TryGetProperty("filters.and[0].value", out _), problem.GetRawText());
        }

        Assert.Equal(0, api.Connectra.Calls);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("../../x")]
    [InlineData("industries")]
    public async Task A_filter_key_outside_the_catalogue_is_a_400_and_its_values_are_never_asked_for(string key)
    {
        api.Connectra.Behaviour = FakeConnectra.Healthy;
        using var client = Tokens.Authorize(api.CreateClient());
        api.Connectra.ResetCalls();

        using var response = await client.PostAsJsonAsync("/api/v3/contacts/filters/data", new { filter_key = key }, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Contains("seniority", problem.GetProperty("errors").GetProperty("filter_key")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(["/common/contact/filters"], api.Connectra.Paths);
    }
}
