using System.Text;
using System.Text.Json;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.FunctionalTests.Infrastructure;

namespace Connectra.Backend.FunctionalTests.Validation;

/// <summary>
/// Every request of the wire corpus (<see cref="HostileInput.OnTheWire"/>), sent as bytes to Kestrel, gets a problem
/// document — also those Kestrel refuses before the application runs, which it would otherwise answer bare.
/// </summary>
public sealed class HostileWireInputTests(KestrelHost server) : IClassFixture<KestrelHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Cases => [.. HostileInput.OnTheWire.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_request_on_the_wire_is_refused_with_a_problem_naming_it(string id)
    {
        var hostile = HostileInput.OnTheWire[id];

        var response = Assert.Single(await RawHttp.SendAsync(server.Address, hostile.Bytes, Ct));

        AssertProblem(response, hostile.Status, hostile.Field, id);
    }

    [Fact]
    public async Task A_refusal_after_answered_requests_on_one_connection_leaves_their_answers_as_they_were()
    {
        var token = Tokens.Create("wire", "reader");
        var pipelined = Encoding.Latin1.GetBytes(
            "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"
            + $"POST /api/v3/contacts/count HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{}}"
            + "GET /api/v3/contacts/%00/ HTTP/1.1\r\nHost: localhost\r\n\r\n"
            + "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");

        var responses = await RawHttp.SendAsync(server.Address, pipelined, Ct);

        // The refusal ends the connection: the request after it is never read.
        Assert.Equal(3, responses.Count);
        Assert.Equal(200, responses[0].Status);
        Assert.Equal("healthy", JsonDocument.Parse(responses[0].Body).RootElement.GetProperty("status").GetString());
        Assert.Equal(200, responses[1].Status);
        Assert.True(JsonDocument.Parse(responses[1].Body).RootElement.TryGetProperty("count", out _), responses[1].Body);
        AssertProblem(responses[2], 400, "path", "the third request");
        Assert.Equal("close", responses[2].Header("Connection"));
    }

    private static void AssertProblem(RawResponse response, int status, string? field, string id)
    {
        Assert.True(response.Status == status, $"{id}: {response.Status} {response.Body}");
        Assert.Equal("application/problem+json", response.Header("Content-Type")?.Split(';')[0]);
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        var problem = JsonDocument.Parse(response.Body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal(ProblemTypes.Validation, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), response.Body);
        if (status == 400)
        {
            Assert.NotEmpty(problem.GetProperty("errors").EnumerateObject());
        }

        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{id}: errors do not name '{field}': {response.Body}");
        }
    }
}
