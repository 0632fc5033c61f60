using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Connectra.Backend.Api.Auth;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.FunctionalTests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connectra.Backend.FunctionalTests.Auth;

public sealed class AuthenticationTests(ApiFactory api) : ApiTestBase(api)
{
    private const string DataRoute = "/api/v3/contacts/filters";

    [Fact]
    public async Task A_data_route_without_a_token_is_401_with_a_bearer_challenge()
    {
        using var client = Api.CreateClient();

        using var response = await client.GetAsync(DataRoute, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        Assert.Equal("Authentication credentials were not provided.", problem.GetProperty("detail").GetString());
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        AssertConnectraNotAskedForFilters();
    }

    public static TheoryData<string> BadTokens => new()
    {
        "not-a-jwt",
        Tokens.WrongSignature("intruder"),
        Tokens.Expired("late"),
        // Right key, wrong audience.
        DevelopmentTokens.Create(new AuthOptions { SigningKey = AuthOptions.DevelopmentSigningKey, Audience = "someone-else" }, "u", TimeSpan.FromHours(1), TimeProvider.System),
        // An unsigned token ("alg":"none") carrying a valid-looking payload.
        UnsignedToken(),
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_data_route_with_a_bad_token_is_401(string token)
    {
        using var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.GetAsync(DataRoute, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        Assert.Equal("Given token not valid for any token type", problem.GetProperty("detail").GetString());
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        AssertConnectraNotAskedForFilters();
    }

    [Fact]
    public async Task A_valid_development_token_reaches_the_route()
    {
        Api.Connectra.Given(Request.Create().WithPath("/common/contact/filters").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"data":[],"success":true}"""));
        using var client = AuthorizedClient("alice");

        using var response = await client.GetAsync(DataRoute, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_without_a_role_reads_as_the_default_reader_but_may_not_write()
    {
        Api.Connectra.AnswerFilters("contact", "seniority");
        using var client = AuthorizedClient("frontend-user");

        using var read = await client.GetAsync(DataRoute, Ct);
        using var write = await client.PostAsJsonAsync("/api/v3/contacts/", new { first_name = "Ada" }, Ct);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var problem = await Problems.AssertProblemAsync(write, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Contains("writer or admin role", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_default_role_a_token_without_a_role_is_forbidden_everywhere_but_health()
    {
        Api.Connectra.AnswerFilters("contact", "seniority");
        using var factory = Api.WithWebHostBuilder(b => b.UseSetting("Auth:DefaultRole", ""));
        using var roleless = Tokens.Authorize(factory.CreateClient(), "frontend-user");
        using var reader = Tokens.Authorize(factory.CreateClient(), "reader-user", AuthSetup.ReaderRole);

        using var refused = await roleless.GetAsync(DataRoute, Ct);
        using var health = await roleless.GetAsync("/health", Ct);
        using var allowed = await reader.GetAsync(DataRoute, Ct);

        var problem = await Problems.AssertProblemAsync(refused, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Equal("You do not have permission to perform this action. A reader, writer or admin role is required.", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Single(Api.Connectra.LogEntries); // only the reader's request reached Connectra
    }

    [Fact]
    public async Task A_role_the_api_does_not_know_grants_nothing()
    {
        using var client = AuthorizedClient("stranger", "superuser");

        using var response = await client.GetAsync(DataRoute, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        AssertConnectraNotAskedForFilters();
    }

    private static string UnsignedToken()
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{Encode("""{"alg":"none","typ":"JWT"}""")}.{Encode($$"""{"sub":"x","iss":"connectra-backend","aud":"connectra-backend","exp":{{exp}}}""")}.";
    }

    /// <summary>
    /// The refused request never reached Connectra. Judged by the call it would have made, not by an empty log: the
    /// shared host's background workers may still be finishing an earlier test's job against the same stub.
    /// </summary>
    private void AssertConnectraNotAskedForFilters() =>
        Assert.DoesNotContain(Api.Connectra.LogEntries, entry => entry.RequestMessage.Path.EndsWith("/filters", StringComparison.Ordinal));
}
