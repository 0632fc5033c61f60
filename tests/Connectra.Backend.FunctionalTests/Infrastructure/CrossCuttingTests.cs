using System.Net;
using System.Text.Json;
using Connectra.Backend.Api.ErrorHandling;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

public sealed class CrossCuttingTests(ApiFactory api) : ApiTestBase(api)
{
    [Fact]
    public async Task A_sane_request_id_is_echoed_and_a_missing_one_is_generated()
    {
        using var client = Api.CreateClient();
        using var echoed = new HttpRequestMessage(HttpMethod.Get, "/health");
        echoed.Headers.Add("X-Request-Id", "abc-123");

        using var first = await client.SendAsync(echoed, Ct);
        using var second = await client.GetAsync("/health", Ct);

        Assert.Equal("abc-123", first.Headers.GetValues("X-Request-Id").Single());
        Assert.Matches("^[0-9a-f]{32}$", second.Headers.GetValues("X-Request-Id").Single());
        Assert.Matches(@"^\d+\.\d{6}$", second.Headers.GetValues("X-Process-Time").Single());
    }

    [Fact]
    public async Task An_unsafe_request_id_is_replaced()
    {
        using var client = Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.TryAddWithoutValidation("X-Request-Id", "<script>" + new string('x', 200));

        using var response = await client.SendAsync(request, Ct);

        Assert.Matches("^[0-9a-f]{32}$", response.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task Problems_carry_the_request_id()
    {
        using var client = Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v3/contacts/filters");
        request.Headers.Add("X-Request-Id", "trace-me");

        using var response = await client.SendAsync(request, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        Assert.Equal("trace-me", problem.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        using var client = Tokens.Authorize(Api.CreateClient());

        using var response = await client.GetAsync("/api/v3/nothing-here", Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Swagger_documents_the_routes_and_the_bearer_scheme()
    {
        using var client = Api.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/swagger/v3/swagger.json", Ct);
        using var ui = await client.GetAsync("/swagger/index.html", Ct);

        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/health/vql", out var vql));
        Assert.True(vql.GetProperty("get").GetProperty("responses").TryGetProperty("503", out _));
        Assert.True(paths.TryGetProperty("/api/v3/contacts/filters", out _));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task Swagger_lists_the_media_types_each_body_takes_and_no_other()
    {
        using var client = Api.CreateClient();

        var paths = (await client.GetFromJsonAsync<JsonElement>("/swagger/v3/swagger.json", Ct)).GetProperty("paths");

        string[] Accepted(string path, string method) =>
            [.. paths.GetProperty(path).GetProperty(method).GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal)];
        Assert.Equal(["application/json"], Accepted("/api/v3/contacts/count", "post"));
        Assert.Equal(["application/json"], Accepted("/api/v3/contacts", "post"));
        Assert.Equal(["application/json"], Accepted("/api/v3/companies/{companyUuid}", "put"));
        Assert.Equal(["application/json", "application/merge-patch+json"], Accepted("/api/v3/contacts/{contactUuid}", "patch"));
    }
}
