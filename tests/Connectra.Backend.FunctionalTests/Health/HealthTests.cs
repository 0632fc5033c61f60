using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connectra.Backend.FunctionalTests.Health;

public sealed class HealthTests(ApiFactory api) : ApiTestBase(api)
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/api/v1/health/")]
    public async Task Liveness_answers_without_a_token(string path)
    {
        using var client = Api.CreateClient();

        var body = await client.GetFromJsonAsync<JsonElement>(path, Ct);

        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("development", body.GetProperty("environment").GetString());
    }

    [Theory]
    [InlineData("/health/vql", """{"status":"ok"}""")]
    [InlineData("/api/v1/health/vql", """{"status":"healthy"}""")]
    public async Task Connectra_saying_ok_is_healthy(string path, string connectraBody)
    {
        Api.Connectra.Given(Request.Create().WithPath("/health").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(connectraBody));
        using var client = Api.CreateClient();

        using var response = await client.GetAsync(path, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", body.GetProperty("connectra_status").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("connectra_error").ValueKind);
        Assert.True(body.GetProperty("latency_ms").GetDouble() >= 0);
        Assert.Equal(ApiFactory.ConnectraApiKey, Assert.Single(Api.Connectra.LogEntries).RequestMessage.Headers!["X-API-Key"].Single());
    }

    [Theory]
    [InlineData(500, """{"error":"es down","success":false}""", "HTTP 500")]
    [InlineData(200, """{"status":"degraded"}""", "degraded")]
    [InlineData(200, "garbage", "could not be read")]
    public async Task Connectra_answering_anything_else_is_unhealthy_and_503(int status, string connectraBody, string error)
    {
        Api.Connectra.Given(Request.Create().WithPath("/health").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithBody(connectraBody));
        using var client = Api.CreateClient();

        using var response = await client.GetAsync("/health/vql", Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unhealthy", body.GetProperty("connectra_status").GetString());
        Assert.Contains(error, body.GetProperty("connectra_error").GetString(), StringComparison.Ordinal);
        Assert.Contains(error, body.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Single(Api.Connectra.LogEntries); // the probe does not retry
    }

    [Fact]
    public async Task An_unreachable_connectra_is_unavailable_and_the_url_is_not_echoed()
    {
        var url = $"http://127.0.0.1:{Problems.FreeTcpPort()}";
        using var factory = Api.WithWebHostBuilder(b => b.UseSetting("Connectra:BaseUrl", url));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health/vql", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var body = JsonDocument.Parse(text).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unavailable", body.GetProperty("connectra_status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("connectra_error").GetString()));
        Assert.DoesNotContain(url, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiFactory.ConnectraApiKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_database_check_reports_the_pool_when_postgres_answers()
    {
        using var client = Api.CreateClient();

        using var response = await client.GetAsync("/health/db", Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        var stats = body.GetProperty("stats");
        Assert.True(stats.GetProperty("size").GetInt64() > 0, body.GetRawText());
        Assert.True(stats.GetProperty("checked_in").GetInt64() + stats.GetProperty("checked_out").GetInt64() >= 1);
    }

    [Fact]
    public async Task The_database_check_is_503_when_postgres_is_down()
    {
        var unreachable = $"Host=127.0.0.1;Port={Problems.FreeTcpPort()};Username=postgres;Database=none;Timeout=2";
        using var factory = Api.WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Backend", unreachable));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health/db", Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.DoesNotContain("Port=", body.GetRawText(), StringComparison.Ordinal);
    }
}
