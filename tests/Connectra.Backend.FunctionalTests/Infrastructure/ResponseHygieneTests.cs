using System.Net;
using System.Text;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.Application;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

public sealed class ResponseHygieneTests(ApiFactory api) : ApiTestBase(api)
{
    private const string Frontend = "https://app.example.com";

    [Fact]
    public async Task Answers_are_not_cached_sniffed_or_referred()
    {
        Api.Connectra.AnswerPost("/contacts/count", """{"count":3,"success":true}""");
        using var client = AuthorizedClient();

        using var data = await client.PostAsJsonAsync("/api/v3/contacts/count", new { }, Ct);
        using var problem = await client.GetAsync("/api/v3/contacts/not-a-uuid/", Ct);

        foreach (var response in new[] { data, problem })
        {
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage?.RequestUri}: {response.Headers.CacheControl}");
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_is_answered_without_a_token()
    {
        using var factory = Api.WithWebHostBuilder(b => b.UseSetting("Cors:AllowedOrigins:0", Frontend));
        using var client = factory.CreateClient();

        using var allowed = await client.SendAsync(Preflight(Frontend), Ct);
        using var other = await client.SendAsync(Preflight("https://evil.example.com"), Ct);

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(Frontend, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(HttpStatusCode.Unauthorized, other.StatusCode);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Without_configured_origins_no_browser_origin_is_allowed()
    {
        using var client = Api.CreateClient();

        using var response = await client.SendAsync(Preflight(Frontend), Ct);

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("Production", null, HttpStatusCode.Unauthorized)] // no such route: the token requirement answers first
    [InlineData("Production", "true", HttpStatusCode.OK)]
    [InlineData("Development", "false", HttpStatusCode.Unauthorized)]
    public async Task Swagger_is_served_only_where_the_setting_allows(string environment, string? enabled, HttpStatusCode expected)
    {
        using var factory = Api.WithWebHostBuilder(b =>
        {
            b.UseEnvironment(environment).UseSetting("Auth:SigningKey", new string('k', 40));
            if (enabled is not null)
            {
                b.UseSetting("Swagger:Enabled", enabled);
            }
        });
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/swagger/v3/swagger.json", Ct);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_that_states_the_limit()
    {
        using var factory = Api.WithWebHostBuilder(b => b.UseSetting("Limits:MaxBodyBytes", "2048"));
        using var client = Tokens.Authorize(factory.CreateClient());

        using var response = await client.PostAsync("/api/v3/contacts/query",
            new StringContent("{\"sort_by\":\"" + new string('x', 3000) + "\"}", Encoding.UTF8, "application/json"), Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("2048 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Api.Connectra.LogEntries);
    }

    [Fact]
    public async Task A_url_over_the_limit_is_a_414_and_headers_over_the_limit_a_431_both_stating_the_limit()
    {
        using var client = AuthorizedClient();
        using var longHeaders = new HttpRequestMessage(HttpMethod.Get, "/api/v3/contacts/filters");
        longHeaders.Headers.Add("X-Padding", new string('h', RequestLimits.Default.MaxHeaderBytes));

        using var url = await client.GetAsync("/api/v3/contacts/filters?x=" + new string('u', RequestLimits.Default.MaxUrlLength), Ct);
        using var headers = await client.SendAsync(longHeaders, Ct);

        var urlProblem = await Problems.AssertProblemAsync(url, HttpStatusCode.RequestUriTooLong);
        var headerProblem = await Problems.AssertProblemAsync(headers, HttpStatusCode.RequestHeaderFieldsTooLarge);
        Assert.Contains($"at most {RequestLimits.Default.MaxUrlLength}", urlProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains($"at most {RequestLimits.Default.MaxHeaderBytes}", headerProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsupported_content_type_is_a_415_problem()
    {
        using var client = AuthorizedClient();

        using var response = await client.PostAsync("/api/v3/contacts/query", new StringContent("{}", Encoding.UTF8, "text/plain"), Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, ProblemTypes.Validation);
        Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_problem_is_json_even_when_the_client_accepts_only_csv()
    {
        using var client = AuthorizedClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v3/contacts/not-a-uuid/");
        request.Headers.Accept.ParseAdd("text/csv");

        using var response = await client.SendAsync(request, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation);
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v3/contacts/query");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }
}
