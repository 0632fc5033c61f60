using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Connectra.Backend.Api.Auth;
using Connectra.Backend.FunctionalTests.Infrastructure;

namespace Connectra.Backend.FunctionalTests.Http;

/// <summary>
/// What every JSON route accepts (docs/api.md#json-bodies), on the routes the app itself maps with a body: UTF-8
/// however the Content-Type spells it, merge patch on PATCH, and any Unicode text. What they refuse is in the hostile
/// corpus (HostileInput.Json.cs).
/// </summary>
public sealed class JsonBodyTests(FakeConnectraHost api) : IClassFixture<FakeConnectraHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Utf8ContentTypes =>
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=UTF-8", "application/json;charset=\"utf-8\"",
        "Application/JSON; Charset=\"Utf-8\"", "application/json; charset=utf-8; profile=x",
    ];

    [Theory]
    [MemberData(nameof(Utf8ContentTypes))]
    public async Task Every_json_route_reads_a_utf8_body_however_the_content_type_spells_it(string contentType)
    {
        await CreateRecordsAsync();
        foreach (var route in RouteTable.WithJsonBody(api.Services))
        {
            // Saved searches and webhooks are changed by their owner or an administrator; the table's belong to neither.
            using var client = route.Template.StartsWith("/api/v3/saved-searches/", StringComparison.Ordinal)
                || route.Template.StartsWith("/api/v3/webhooks/", StringComparison.Ordinal) ? Admin() : Writer();
            using var response = await client.SendAsync(Request(route, Encoding.UTF8.GetBytes(route.Body!), contentType), Ct);

            Assert.True(response.IsSuccessStatusCode, $"{route} with {contentType}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }
    }

    [Fact]
    public async Task Patch_reads_a_merge_patch_and_plain_json()
    {
        await CreateRecordsAsync();
        using var client = Writer();
        var patches = RouteTable.WithJsonBody(api.Services).Where(r => r.Method == "PATCH").ToList();

        Assert.Equal(2, patches.Count);
        foreach (var route in patches)
        {
            foreach (var contentType in new[] { "application/merge-patch+json", "application/merge-patch+json; charset=utf-8", "application/json" })
            {
                using var response = await client.SendAsync(Request(route, Encoding.UTF8.GetBytes(route.Body!), contentType), Ct);

                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route} with {contentType}: {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Unicode_text_beyond_ascii_in_keys_and_values_is_read_as_written()
    {
        using var client = Writer();

        // A UTF-8 byte order mark is ignored; escaped and literal characters beyond the BMP are the same text.
        using var created = await client.SendAsync(Request(RouteTable.Named("POST /api/v3/contacts"),
            [.. "\uFEFF"u8, .. """{"first_name":"Zoë 😀","last_name":"\u00e9\ud83d\ude00"}"""u8], "application/json"), Ct);
        var stored = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var unknownKey = await client.SendAsync(Request(RouteTable.Named("POST /api/v3/contacts"), """{"prénom😀":"x"}"""u8.ToArray(), "application/json"), Ct);
        var problem = await unknownKey.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Zoë 😀", stored.GetProperty("first_name").GetString());
        Assert.Equal("é😀", stored.GetProperty("last_name").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("prénom😀", out _), problem.ToString());
    }

    /// <summary>The contact and company the table's PUT and PATCH rows name; a 409 means an earlier test made them.</summary>
    private async Task CreateRecordsAsync()
    {
        using var client = Writer();
        foreach (var (entity, uuid) in new[] { ("companies", FakeConnectra.Company), ("contacts", FakeConnectra.Contact) })
        {
            using var response = await client.PostAsJsonAsync($"/api/v3/{entity}/", new { uuid }, Ct);
            Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict, $"{entity}: {(int)response.StatusCode}");
        }

        // The saved search and schedule the route table's paths name.
        await api.ScalarAsync($$"""
            INSERT INTO saved_searches (saved_search_id, owner_id, name, entity, query_json, query_format_version, visibility, created_at, updated_at, version)
            VALUES ('{{RouteRule.SavedSearch}}', 'json-owner', 'n', 'contacts', '{}', 1, 'private', now(), now(), 1)
            ON CONFLICT (saved_search_id) DO NOTHING RETURNING 1
            """, Ct);
        await api.ScalarAsync($$"""
            INSERT INTO saved_search_schedules (schedule_id, saved_search_id, cron, time_zone, columns, enabled, skip_if_unchanged, created_at, updated_at)
            VALUES ('{{RouteRule.Schedule}}', '{{RouteRule.SavedSearch}}', '0 9 * * 1', 'UTC', '{}', false, false, now(), now())
            ON CONFLICT (schedule_id) DO NOTHING RETURNING 1
            """, Ct);

        // The webhook subscription the route table's paths name: made through the API, so its secret is a real one,
        // disabled, so nothing is delivered to its address, then given the table's id.
        if (await api.ScalarAsync($"SELECT count(*) FROM webhook_subscriptions WHERE id = '{RouteRule.SavedSearch}'", Ct) == 0)
        {
            using var admin = Admin();
            using var created = await admin.PostAsJsonAsync(
                "/api/v3/webhooks", new { url = "https://203.0.113.10/hook", event_types = new[] { "contact.created" }, enabled = false }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("webhook").GetProperty("id").GetString();
            await api.ScalarAsync($"UPDATE webhook_subscriptions SET id = '{RouteRule.SavedSearch}' WHERE id = '{id}' RETURNING 1", Ct);
        }
    }

    private HttpClient Admin() => Tokens.Authorize(api.CreateClient(), $"json-{Guid.NewGuid():N}", AuthSetup.AdminRole);

    /// <summary>A writer of its own, so the exports each request starts never reach one user's limit.</summary>
    private HttpClient Writer() => Tokens.Authorize(api.CreateClient(), $"json-{Guid.NewGuid():N}", AuthSetup.WriterRole);

    private static HttpRequestMessage Request(RouteRule route, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new HttpRequestMessage(new HttpMethod(route.Method), route.Path("")) { Content = content };
    }
}
