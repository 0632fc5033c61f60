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
        Assert.Empty(Api.Connectra.LogEntries);
    }

    public static TheoryData<string> BadTokens => new()
    {
        "not-a-jwt",
        // Signed with another key.
        DevelopmentTokens.Create(new AuthOptions { SigningKey = new string('k', 48) }, "intruder", TimeSpan.FromHours(1), TimeProvider.System),
        // Expired an hour ago.
        DevelopmentTokens.Create(Tokens.Development, "late", TimeSpan.FromHours(1), new ShiftedClock(TimeSpan.FromHours(-2))),
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
        Assert.Empty(Api.Connectra.LogEntries);
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

    private static string UnsignedToken()
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{Encode("""{"alg":"none","typ":"JWT"}""")}.{Encode($$"""{"sub":"x","iss":"connectra-backend","aud":"connectra-backend","exp":{{exp}}}""")}.";
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
