using System.Diagnostics;
using System.Net;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connectra.Backend.FunctionalTests.ErrorHandling;

public sealed class ConnectraFailureTests(ApiFactory api) : ApiTestBase(api)
{
    private const string FiltersPath = "/common/contact/filters";
    private const string Route = "/api/v3/contacts/filters";
    private const string OneFilter =
        """{"data":[{"id":7,"key":"seniority","service":"contact","filter_type":"keyword_match","display_name":"Seniority","direct_derived":false,"active":true,"deleted_at":null}],"success":true}""";

    [Fact]
    public async Task A_healthy_connectra_answer_is_served_with_the_api_key_sent()
    {
        Api.Connectra.Given(Request.Create().WithPath(FiltersPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(OneFilter));
        using var client = AuthorizedClient();

        var body = await client.GetStringAsync(Route, Ct);

        Assert.Contains("\"key\":\"seniority\"", body, StringComparison.Ordinal);
        var sent = Assert.Single(Api.Connectra.LogEntries);
        Assert.Equal(ApiFactory.ConnectraApiKey, sent.RequestMessage.Headers!["X-API-Key"].Single());
    }

    [Fact]
    public async Task A_catalogue_entry_without_a_key_is_a_broken_answer_and_a_503_not_a_500()
    {
        // Connectra's JSON may simply lack the member; the client must not trip over the null it reads.
        Api.Connectra.Given(Request.Create().WithPath(FiltersPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"data":[{"id":7}],"success":true}"""));
        using var client = AuthorizedClient();

        using var response = await client.GetAsync(Route, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, ProblemTypes.ConnectraUnavailable);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task A_transient_status_is_retried_then_answered_with_503(int status)
    {
        Api.Connectra.Given(Request.Create().WithPath(FiltersPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithBody("""{"error":"boom","success":false}"""));
        using var client = AuthorizedClient();

        using var response = await client.GetAsync(Route, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, ProblemTypes.ConnectraUnavailable);
        Assert.Equal("Contact service temporarily unavailable", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("boom", problem.GetRawText(), StringComparison.Ordinal);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(4, Api.Connectra.LogEntries.Count); // first attempt + 3 retries
    }

    [Fact]
    public async Task A_transient_failure_followed_by_success_is_retried_into_a_200()
    {
        Api.Connectra.Given(Request.Create().WithPath(FiltersPath).UsingGet())
            .InScenario("flaky").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(503));
        Api.Connectra.Given(Request.Create().WithPath(FiltersPath).UsingGet())
            .InScenario("flaky").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(OneFilter));
        using var client = AuthorizedClient();

        using var response = await client.GetAsync(Route, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, Api.Connectra.LogEntries.Count);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"data":[{"id":7,"key":"senio""")]
    [InlineData("<html>gateway error</html>")]
    public async Task An_unparseable_or_truncated_body_is_a_503(string body)
    {
        Api.Connectra.Given(Request.Create().WithPath(FiltersPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));
        using var client = AuthorizedClient();

        using var response = await client.GetAsync(Route, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, ProblemTypes.ConnectraUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task A_connectra_rejection_of_our_query_is_a_502_that_does_not_leak_its_body()
    {
        Api.Connectra.Given(Request.Create().WithPath(FiltersPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("""{"error":"ERR_PAGE_SIZE_EXCEEDED: internal detail","success":false}"""));
        using var client = AuthorizedClient();

        using var response = await client.GetAsync(Route, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadGateway, ProblemTypes.ConnectraRejected);
        Assert.DoesNotContain("internal detail", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Single(Api.Connectra.LogEntries); // a 4xx is not retried
    }

    [Fact]
    public async Task A_refused_connection_is_a_503_within_the_budget()
    {
        using var factory = Api.WithWebHostBuilder(b =>
            b.UseSetting("Connectra:BaseUrl", $"http://127.0.0.1:{LoopbackPorts.Free()}"));
        using var client = Tokens.Authorize(factory.CreateClient());
        var clock = Stopwatch.StartNew();

        using var response = await client.GetAsync(Route, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, ProblemTypes.ConnectraUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task An_open_circuit_answers_503_at_once_without_calling_connectra()
    {
        Api.Connectra.Given(Request.Create().WithPath(FiltersPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(500));
        using var factory = Api.WithWebHostBuilder(b => b
            .UseSetting("Connectra:Resilience:CircuitBreaker:MinimumThroughput", "2")
            .UseSetting("Connectra:Resilience:CircuitBreaker:FailureRatio", "0.5")
            .UseSetting("Connectra:Resilience:CircuitBreaker:BreakDuration", "00:00:42"));
        using var client = Tokens.Authorize(factory.CreateClient());

        using var tripping = await client.GetAsync(Route, Ct);
        var callsWhileTripping = Api.Connectra.LogEntries.Count;
        var clock = Stopwatch.StartNew();
        using var rejected = await client.GetAsync(Route, Ct);

        await Problems.AssertProblemAsync(tripping, HttpStatusCode.ServiceUnavailable, ProblemTypes.ConnectraUnavailable);
        await Problems.AssertProblemAsync(rejected, HttpStatusCode.ServiceUnavailable, ProblemTypes.ConnectraUnavailable);
        Assert.Equal(callsWhileTripping, Api.Connectra.LogEntries.Count);
        Assert.Equal(TimeSpan.FromSeconds(42), rejected.Headers.RetryAfter?.Delta);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}"); // no retries, no waiting
    }
}
