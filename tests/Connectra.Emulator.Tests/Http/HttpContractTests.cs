using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Connectra.Emulator.Tests.Http;

/// <summary>Transport rules of docs/connectra.md#transport: key, limiter, redirects, unknown routes, gzip, CORS.</summary>
/// <remarks>Nothing here writes data, so the tests share one emulator; the limiter test starts its own.</remarks>
public sealed class HttpContractTests(SharedEmulator emulator) : IClassFixture<SharedEmulator>
{
    private EmulatorHost Host => emulator.Host;

    [Fact]
    public async Task Health_answers_ok_with_the_key()
    {
        var ct = TestContext.Current.CancellationToken;
        var body = await Host.Client.GetStringAsync("/health", ct);

        Assert.Equal("""{"status":"ok"}""", body);
    }

    [Theory]
    [InlineData("/health", null)]
    [InlineData("/health", "wrong")]
    [InlineData("/no/such/route", null)]
    public async Task Requests_without_the_right_key_get_401_even_on_unknown_routes(string path, string? key)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = new HttpClient { BaseAddress = Host.Server.BaseUrl };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", key);
        }

        using var response = await client.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"error":"unauthorized","message":"invalid API key"}""", await response.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_get_a_plain_404_never_405()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var (method, path) in new[] { ("GET", "/contacts/"), ("GET", "/common/jobs"), ("POST", "/common/jobs/create"), ("GET", "/common/upload-url?filename=a.csv"), ("PUT", "/health") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            using var response = await Host.Client.SendAsync(request, ct);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("404 page not found", await response.Content.ReadAsStringAsync(ct));
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("/contacts", "/contacts/")]
    [InlineData("/companies", "/companies/")]
    [InlineData("/contacts/count/", "/contacts/count")]
    public async Task Posts_to_the_other_slash_form_get_307_without_a_key(string path, string location)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Host.Server.BaseUrl };

        using var response = await client.PostAsync(path, new StringContent("{}"), ct);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Responses_are_gzipped_when_asked()
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await Host.Client.SendAsync(request, ct);

        Assert.Contains("gzip", response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Preflights_are_answered_by_cors_before_the_key_check()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = new HttpClient { BaseAddress = Host.Server.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Options, "/contacts/");
        request.Headers.Add("Origin", "https://app.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "X-API-Key, Content-Type");

        using var response = await client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task The_body_is_json_whatever_the_content_type()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await Host.Client.PostAsync("/contacts/count", new StringContent("""{"limit":500}""", Encoding.UTF8, "text/plain"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_with_the_decoder_message()
    {
        var ct = TestContext.Current.CancellationToken;
        var (status, body) = await Host.PostJsonAsync("/contacts/", """{"limit":""", ct);
        var (status2, body2) = await Host.PostJsonAsync("/contacts/", """{"limit": x}""", ct);

        Assert.Equal(400, status);
        Assert.Equal("unexpected EOF", body.GetProperty("error").GetString());
        Assert.Equal(400, status2);
        Assert.StartsWith("invalid character 'x'", body2.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nested_type_errors_name_the_field_path()
    {
        var ct = TestContext.Current.CancellationToken;
        var (status, body) = await Host.PostJsonAsync(
            "/contacts/", """{"where":{"text_matches":{"must":[{"text_value":"a","filter_key":"title","search_type":"exact","slop":"2"}]}}}""", ct);

        Assert.Equal(400, status);
        Assert.Equal("json: cannot unmarshal string into Go struct field TextMatch.where.text_matches.must.slop of type int",
            body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_token_bucket_answers_429_when_empty_and_counts_every_request()
    {
        var ct = TestContext.Current.CancellationToken;
        // 30 per minute never refills (⌊30/60⌋ = 0 a second): exactly 30 requests pass, bad keys included.
        await using var limited = await EmulatorHost.StartAsync(ct, maxRequestsPerMinute: 30);
        using var anonymous = new HttpClient { BaseAddress = limited.Server.BaseUrl };
        for (var i = 0; i < 10; i++)
        {
            using var unauthorized = await anonymous.GetAsync("/health", ct);
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        }

        for (var i = 0; i < 20; i++)
        {
            using var ok = await limited.Client.GetAsync("/health", ct);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limitedResponse = await limited.Client.GetAsync("/health", ct);
        var body = JsonDocument.Parse(await limitedResponse.Content.ReadAsStringAsync(ct)).RootElement;

        Assert.Equal((HttpStatusCode)429, limitedResponse.StatusCode);
        Assert.Equal("rate limit exceeded", body.GetProperty("error").GetString());
        Assert.False(limitedResponse.Headers.Contains("Retry-After"));
    }
}
