using System.Net;
using System.Text;
using Connectra.Backend.Api.Auth;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.Api.Http;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.Http;

/// <summary>The API with limits low enough to reach in a few requests, behind one trusted proxy at <see cref="Proxy"/>.</summary>
public sealed class ThrottledHost : FakeConnectraHost
{
    public const int Reads = 3;
    public const int Health = 2;
    public const string Proxy = "10.0.0.1";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:Reads:PermitLimit", Reads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:Writes:PermitLimit", "1");
        builder.UseSetting("RateLimits:Exports:PermitLimit", "1");
        builder.UseSetting("RateLimits:Health:PermitLimit", Health.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("ForwardedHeaders:KnownProxies:0", Proxy);
    }
}

/// <summary>Each test meters callers of its own, so the buckets other tests emptied do not matter.</summary>
public sealed class RateLimitTests(ThrottledHost api) : IClassFixture<ThrottledHost>
{
    private const string Read = "/api/v3/contacts/filters";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewUser() => "user-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_caller_over_the_limit_gets_a_429_problem_with_retry_after_and_connectra_is_not_called()
    {
        using var client = Tokens.Authorize(api.CreateClient(), NewUser(), AuthSetup.ReaderRole);
        for (var i = 0; i < ThrottledHost.Reads; i++)
        {
            using var served = await client.GetAsync(Read, Ct);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        api.Connectra.ResetCalls();
        using var refused = await client.GetAsync(Read, Ct);

        var problem = await Problems.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, ProblemTypes.TooManyRequests);
        Assert.Contains("RateLimits:Reads", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        // Three reads a minute refill one every 20 s.
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        Assert.Equal(0, api.Connectra.Calls);
    }

    [Fact]
    public async Task One_users_limit_leaves_other_users_alone()
    {
        using var alice = Tokens.Authorize(api.CreateClient(), NewUser(), AuthSetup.ReaderRole);
        using var bob = Tokens.Authorize(api.CreateClient(), NewUser(), AuthSetup.ReaderRole);
        for (var i = 0; i < ThrottledHost.Reads; i++)
        {
            (await alice.GetAsync(Read, Ct)).Dispose();
        }

        using var aliceAgain = await alice.GetAsync(Read, Ct);
        using var bobFirst = await bob.GetAsync(Read, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, aliceAgain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bobFirst.StatusCode);
    }

    [Fact]
    public async Task Writes_and_export_creation_run_out_before_reads_and_apart_from_them()
    {
        using var client = Tokens.Authorize(api.CreateClient(), NewUser(), AuthSetup.WriterRole);

        using var write = await client.PostAsync("/api/v3/contacts/", Json("""{"first_name":"Ada"}"""), Ct);
        using var secondWrite = await client.PostAsync("/api/v3/contacts/", Json("""{"first_name":"Bea"}"""), Ct);
        using var export = await client.PostAsync("/api/v3/exports/contacts/export", Json($$"""{"contact_uuids":["{{FakeConnectra.Contact}}"]}"""), Ct);
        using var secondExport = await client.PostAsync("/api/v3/exports/contacts/export", Json($$"""{"contact_uuids":["{{FakeConnectra.Contact}}"]}"""), Ct);
        using var read = await client.GetAsync(Read, Ct);

        Assert.Equal(HttpStatusCode.Created, write.StatusCode);
        await Problems.AssertProblemAsync(secondWrite, HttpStatusCode.TooManyRequests, ProblemTypes.TooManyRequests);
        Assert.Equal(HttpStatusCode.Created, export.StatusCode);
        var problem = await Problems.AssertProblemAsync(secondExport, HttpStatusCode.TooManyRequests, ProblemTypes.TooManyRequests);
        Assert.Contains("RateLimits:Exports", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public void By_default_writes_and_exports_are_metered_tighter_than_reads()
    {
        var defaults = new RateLimitOptions();

        static double PerMinute(RateLimitRule rule) => rule.PermitLimit / rule.Window.TotalMinutes;

        Assert.True(PerMinute(defaults.Writes) < PerMinute(defaults.Reads));
        Assert.True(PerMinute(defaults.Exports) < PerMinute(defaults.Writes));
        Assert.True(defaults.Enabled);
    }

    [Fact]
    public async Task Anonymous_callers_are_metered_by_address_and_x_forwarded_for_counts_only_from_the_proxy()
    {
        var direct = "203.0.113." + Random.Shared.Next(1, 250);
        var statuses = new List<int>();
        for (var i = 0; i <= ThrottledHost.Health; i++)
        {
            // A client that makes up a new forwarded address each time must not get a new bucket each time.
            statuses.Add(await ProbeAsync(direct, forwardedFor: $"198.51.100.{i + 1}"));
        }

        var viaProxy = new List<int>();
        for (var i = 0; i <= ThrottledHost.Health; i++)
        {
            viaProxy.Add(await ProbeAsync(ThrottledHost.Proxy, forwardedFor: "192.0.2.10"));
        }

        var otherClientViaProxy = await ProbeAsync(ThrottledHost.Proxy, forwardedFor: "192.0.2.11");
        var otherAddress = await ProbeAsync("203.0.113.251", forwardedFor: null);

        Assert.Equal([200, 200, 429], statuses);
        Assert.Equal([200, 200, 429], viaProxy);
        Assert.Equal(200, otherClientViaProxy);
        Assert.Equal(200, otherAddress);
    }

    [Fact]
    public async Task Liveness_is_never_metered()
    {
        using var client = api.CreateClient();
        for (var i = 0; i < ThrottledHost.Health * 5; i++)
        {
            using var response = await client.GetAsync("/health", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public void Every_route_is_metered_by_the_policy_its_access_implies()
    {
        var endpoints = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        foreach (var route in RouteTable.All)
        {
            var endpoint = Assert.Single(endpoints, e =>
                e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(route.Method) == true
                && "/" + e.RoutePattern.RawText?.Trim('/') == route.Template.TrimEnd('/'));
            var policy = endpoint.Metadata.GetMetadata<DisableRateLimitingAttribute>() is null
                ? endpoint.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName
                : "none";
            var expected = route switch
            {
                { Template: "/health" or "/api/v1/health/" } => "none",
                { Access: Access.Anonymous } => "health",
                { Access: Access.Writer or Access.Admin } => "writes",
                // Parsing a page costs far more than a query, and a save is a write.
                { Template: "/api/v3/sales-navigator/scrape" } => "writes",
                { Method: "POST", Template: var t } when t.StartsWith("/api/v3/exports/", StringComparison.Ordinal) => "exports",
                { Method: "POST", Template: "/api/v3/saved-searches/{id}/export" } => "exports",
                _ => "reads",
            };
            Assert.True(expected == policy, $"{route}: metered by {policy ?? "nothing"}, expected {expected}");
        }
    }

    private async Task<int> ProbeAsync(string remoteAddress, string? forwardedFor)
    {
        var context = await api.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/health/outbox";
            c.Connection.RemoteIpAddress = IPAddress.Parse(remoteAddress);
            if (forwardedFor is not null)
            {
                c.Request.Headers["X-Forwarded-For"] = forwardedFor;
            }
        }, Ct);
        return context.Response.StatusCode;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
