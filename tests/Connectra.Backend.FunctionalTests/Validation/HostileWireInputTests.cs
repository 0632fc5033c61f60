using System.Text.Json;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.FunctionalTests.Infrastructure;

namespace Connectra.Backend.FunctionalTests.Validation;

/// <summary>Every request of the wire corpus (<see cref="HostileInput.OnTheWire"/>), sent as bytes to Kestrel, gets a problem document.</summary>
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
