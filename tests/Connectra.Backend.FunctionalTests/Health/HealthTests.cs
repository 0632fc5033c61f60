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
        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
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

    private static readonly string[] Details = ["connectra_base_url", "connectra_details", "monitoring_available"];

    [Fact]
    public async Task Vql_details_are_served_to_an_admin_token_and_to_nobody_else()
    {
        Api.Connectra.Answer("GET", "/health", 200, """{"status":"ok"}""");
        using var anonymous = Api.CreateClient();
        using var writer = AuthorizedClient("writer-user", "writer");
        using var admin = AuthorizedClient("admin-user", "admin");
        using var forgedAdmin = Api.CreateClient();
        forgedAdmin.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.WrongSignature("admin-user", "admin"));

        var plain = await Task.WhenAll(new[] { anonymous, writer, forgedAdmin }.Select(c => c.GetFromJsonAsync<JsonElement>("/health/vql", Ct)));
        var detailed = await admin.GetFromJsonAsync<JsonElement>("/health/vql", Ct);

        Assert.All(plain, body => Assert.All(Details, name => Assert.False(body.TryGetProperty(name, out _), $"{name} in {body}")));
        Assert.StartsWith(Api.Connectra.Url!, detailed.GetProperty("connectra_base_url").GetString(), StringComparison.Ordinal);
        Assert.Equal("ok", detailed.GetProperty("connectra_details").GetProperty("status").GetString());
        Assert.True(detailed.GetProperty("monitoring_available").GetBoolean());
        Assert.Equal("healthy", detailed.GetProperty("connectra_status").GetString());
    }

    [Fact]
    public async Task Health_ExposeDetails_serves_them_without_a_token_and_no_answer_carries_the_api_key()
    {
        const string key = "k3y-that-must-never-leak";
        var withKeyInUrl = new UriBuilder(Api.Connectra.Url!) { UserName = "ops", Password = key }.Uri.ToString();
        using var factory = Api.WithWebHostBuilder(b => b
            .UseSetting("Health:ExposeDetails", "true")
            .UseSetting("Connectra:ApiKey", key)
            .UseSetting("Connectra:BaseUrl", withKeyInUrl));
        var answers = new List<string>();
        foreach (var connectraStatus in new[] { 200, 500 })
        {
            Api.Connectra.Reset();
            Api.Connectra.Answer("GET", "/health", connectraStatus, """{"status":"ok"}""");
            foreach (var client in new[] { factory.CreateClient(), Tokens.Authorize(factory.CreateClient(), "admin-user", "admin") })
            {
                using (client)
                {
                    foreach (var path in new[] { "/health", "/api/v1/health/", "/health/db", "/health/outbox", "/health/vql", "/api/v1/health/vql" })
                    {
                        using var response = await client.GetAsync(path, Ct);
                        answers.Add($"{path} {response.Headers} {response.Content.Headers} {await response.Content.ReadAsStringAsync(Ct)}");
                    }
                }
            }
        }

        var detailed = JsonDocument.Parse(answers[4][answers[4].IndexOf('{', StringComparison.Ordinal)..]).RootElement;
        Assert.Equal(Api.Connectra.Url + "/", detailed.GetProperty("connectra_base_url").GetString());
        Assert.Equal(24, answers.Count);
        Assert.All(answers, answer => Assert.DoesNotContain(key, answer, StringComparison.Ordinal));
        Assert.Contains(Api.Connectra.LogEntries, e => e.RequestMessage.Headers!["X-API-Key"].Single() == key); // the key was in use
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
        var unreachable = $"Host=127.0.0.1;Port={LoopbackPorts.Free()};Username=postgres;Database=none;Timeout=2";
        using var factory = Api.WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Backend", unreachable));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health/db", Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.DoesNotContain("Port=", body.GetRawText(), StringComparison.Ordinal);
    }
}
