using System.Net;
using Connectra.Backend.FunctionalTests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connectra.Backend.FunctionalTests.Metrics;

/// <summary>
/// What Prometheus reads at /metrics, from a host of its own that runs alone (see <see cref="MetricsTestGroup"/>).
/// Exact counts come from this host's own meters; the scrape must show the same series.
/// </summary>
[Collection(MetricsTestGroup.Name)]
public sealed class MetricsEndpointTests(MetricsHost api) : IAsyncLifetime
{
    private MetricsHost Api { get; } = api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await Api.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private HttpClient AuthorizedClient() => Tokens.Authorize(Api.CreateClient(), "metrics-user");

    private const string Requests = "http_server_request_duration_seconds_count";
    private const string ConnectraCalls = "connectra_client_call_duration_seconds_count";
    private const string FiltersPath = "/common/contact/filters";
    private const string OneFilter =
        """{"data":[{"id":7,"key":"seniority","service":"contact","filter_type":"keyword_match","display_name":"Seniority","direct_derived":false,"active":true,"deleted_at":null}],"success":true}""";

    [Fact]
    public async Task Requests_are_counted_by_route_template_and_a_uuid_never_becomes_a_label()
    {
        Api.Connectra.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(500));
        using var client = AuthorizedClient();
        var uuid = Guid.NewGuid().ToString();
        (string, string)[] route = [("http_route", "api/v3/contacts/{contactUuid}"), ("http_response_status_code", "503")];
        var before = await Scrape.TakeAsync(client, Ct);

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync($"/api/v3/contacts/{uuid}/", Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        var after = await Scrape.TakeAsync(client, Ct);
        Assert.True(after.Sum(Requests, route) - before.Sum(Requests, route) >= 3, after.Text);
        Assert.True(after.Sum(ConnectraCalls, ("outcome", "unavailable")) - before.Sum(ConnectraCalls, ("outcome", "unavailable")) >= 3);
        Assert.DoesNotContain(uuid, after.Text, StringComparison.Ordinal);
        Assert.All(after.Find(Requests), sample => Assert.DoesNotMatch("[0-9a-f]{8}-[0-9a-f]{4}-", sample.Labels.GetValueOrDefault("http_route", "")));
    }

    [Theory]
    [InlineData(200, OneFilter, "success")]
    [InlineData(200, "{}", "contract_breach")]
    [InlineData(200, """{"data":[{"id":1}],"success":true}""", "contract_breach")]
    [InlineData(400, """{"error":"bad","success":false}""", "rejected")]
    [InlineData(503, "", "unavailable")]
    [InlineData(429, "", "unavailable")]
    public async Task Each_connectra_call_is_counted_once_under_the_outcome_its_answer_means(int status, string body, string outcome)
    {
        Api.Connectra.Given(Request.Create().WithPath(FiltersPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithBody(body));
        using var meters = new HostMeters(Api.Services);
        using var client = AuthorizedClient();

        using var response = await client.GetAsync("/api/v3/contacts/filters", Ct);
        var answered = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}";

        // One call, retries included: the histogram measures what the caller waited for, not each attempt.
        Assert.True(meters.Count("connectra.client.call.duration") == 1, answered);
        Assert.Equal(1, meters.Count("connectra.client.call.duration", ("outcome", outcome)));
        var scrape = await Scrape.TakeAsync(client, Ct);
        Assert.True(scrape.Sum(ConnectraCalls, ("outcome", outcome)) >= 1);
    }

    [Fact]
    public async Task The_circuit_breaker_state_is_one_of_four_series_and_closed_after_a_good_call()
    {
        Api.Connectra.Given(Request.Create().WithPath(FiltersPath).UsingGet()).RespondWith(Response.Create().WithBody(OneFilter));
        using var meters = new HostMeters(Api.Services);
        using var client = AuthorizedClient();
        (await client.GetAsync("/api/v3/contacts/filters", Ct)).Dispose();

        Assert.Equal(1, meters.Observe("connectra.client.circuit_breaker.state", ("state", "closed")));
        Assert.Equal(0, meters.Observe("connectra.client.circuit_breaker.state", ("state", "open")));
        var scrape = await Scrape.TakeAsync(client, Ct);
        Assert.Equal(["closed", "half-open", "isolated", "open"],
            scrape.Find("connectra_client_circuit_breaker_state").Select(s => s.Labels["state"]).Order(StringComparer.Ordinal));
        Assert.All(scrape.Find("connectra_client_circuit_breaker_state"), s => Assert.Contains(s.Value, new[] { 0.0, 1.0 }));
    }

    [Fact]
    public async Task Outbox_lag_and_export_backlog_gauges_follow_the_tables_as_sampled()
    {
        using var meters = new HostMeters(Api.Services);
        using var writer = Tokens.Authorize(Api.CreateClient(), "writer-user", "writer");

        Assert.True(await EventuallyAsync(() => meters.Observe("outbox.pending") == 0));
        Assert.Equal(0, meters.Observe("outbox.oldest_pending.age"));
        Assert.Equal(0, meters.Observe("exports.jobs", ("status", "pending")));

        // The host runs no dispatcher, so the writes stay pending.
        for (var i = 0; i < 2; i++)
        {
            using var created = await writer.PostAsync("/api/v3/contacts/", new StringContent(
                $$"""{"first_name":"Gauge","last_name":"Metric{{i}}"}""", System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.True(await EventuallyAsync(() => meters.Observe("outbox.pending") == 2));
        Assert.True(meters.Observe("outbox.oldest_pending.age") > 0);
        var scrape = await Scrape.TakeAsync(writer, Ct);
        Assert.True(scrape.Has("outbox_pending"), scrape.Text);
        Assert.True(scrape.Has("outbox_oldest_pending_age_seconds"));
        Assert.True(scrape.Has("exports_jobs", ("status", "processing")));
        Assert.True(scrape.Has("db_client_connection_count", ("db_client_connection_pool_name", "backend"), ("db_client_connection_state", "used")));
        Assert.True(scrape.Has("db_client_connection_max", ("db_client_connection_pool_name", "backend")));
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50, Ct);
        }

        return false;
    }
}
