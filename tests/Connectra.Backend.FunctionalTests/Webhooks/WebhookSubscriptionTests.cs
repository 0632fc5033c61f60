using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Connectra.Backend.FunctionalTests.Webhooks;

/// <summary>
/// Subscriptions over the real API: who manages which, the secret shown once, the bounds, and the SSRF refusals at
/// subscription time on a host that allows http but not loopback (as a development host would).
/// </summary>
public sealed class WebhookSubscriptionTests(StrictWebhookHost host) : IClassFixture<StrictWebhookHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writers_manage_their_own_subscriptions_admins_all_and_readers_none()
    {
        using var alice = host.Writer($"alice-{Guid.NewGuid():N}");
        using var bob = host.Writer($"bob-{Guid.NewGuid():N}");
        using var admin = host.Admin();
        using var reader = host.Reader();
        var (id, secret) = await WebhookHost.SubscribeAsync(alice, "https://203.0.113.7/alice", "contact.created", "export.completed", "contact.created");

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        var mine = await WebhookHost.GetJsonAsync(alice, $"/api/v3/webhooks/{id}");
        Assert.Equal(["contact.created", "export.completed"], mine.GetProperty("event_types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("active", mine.GetProperty("status").GetString());
        Assert.False(mine.TryGetProperty("secret", out _));
        Assert.DoesNotContain(secret["whsec_".Length..], mine.GetRawText(), StringComparison.Ordinal);

        foreach (var (method, path, body) in Routes(id))
        {
            using var asBob = await SendAsync(bob, method, path, body);
            await Problems.AssertProblemAsync(asBob, HttpStatusCode.NotFound, ProblemTypes.NotFound);
            using var asReader = await SendAsync(reader, method, path, body);
            await Problems.AssertProblemAsync(asReader, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        }

        var bobs = await WebhookHost.GetJsonAsync(bob, "/api/v3/webhooks");
        Assert.DoesNotContain(bobs.GetProperty("webhooks").EnumerateArray(), w => w.GetProperty("id").GetString() == id);
        var all = await WebhookHost.GetJsonAsync(admin, "/api/v3/webhooks?page_size=100");
        Assert.Contains(all.GetProperty("webhooks").EnumerateArray(), w => w.GetProperty("id").GetString() == id);

        using var changed = await admin.PutAsJsonAsync($"/api/v3/webhooks/{id}", new { url = "https://203.0.113.8/x", event_types = new[] { "company.deleted" }, enabled = false, description = "paused" }, Ct);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var paused = await WebhookHost.GetJsonAsync(alice, $"/api/v3/webhooks/{id}");
        Assert.Equal("disabled", paused.GetProperty("status").GetString());
        Assert.Equal("disabled by request", paused.GetProperty("disabled_reason").GetString());
        Assert.Equal("https://203.0.113.8/x", paused.GetProperty("url").GetString());

        using var deleted = await alice.DeleteAsync($"/api/v3/webhooks/{id}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await alice.GetAsync($"/api/v3/webhooks/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hook", "loopback")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "metadata")]
    [InlineData("http://[::1]:9/hook", "loopback")]
    [InlineData("http://[::ffff:10.1.2.3]/hook", "private")]
    [InlineData("http://localhost:9/hook", "loopback")]
    [InlineData("http://inside.test/hook", "private")]
    [InlineData("http://half-inside.test/hook", "private")]
    [InlineData("http://nowhere.test/hook", "does not resolve")]
    public async Task A_target_that_is_or_resolves_to_a_refused_address_is_a_400_naming_url(string url, string why)
    {
        host.Resolver.Names["inside.test"] = [IPAddress.Parse("10.0.0.1")];
        host.Resolver.Names["nowhere.test"] = [];
        host.Resolver.Names["half-inside.test"] = [IPAddress.Parse("203.0.113.9"), IPAddress.Parse("192.168.0.10")];
        using var writer = host.Writer("ssrf-writer");

        using var response = await writer.PostAsJsonAsync("/api/v3/webhooks", new { url, event_types = new[] { "contact.created" } }, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation);
        var message = problem.GetProperty("errors").GetProperty("url")[0].GetString();
        Assert.Contains(why, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_receiver_on_loopback_is_refused_without_the_test_setting()
    {
        using var writer = host.Writer();
        var url = new Uri(host.Receiver.Url, host.Receiver.Listen()).ToString();

        using var refused = await writer.PostAsJsonAsync("/api/v3/webhooks", new { url, event_types = new[] { "contact.created" } }, Ct);

        var problem = await Problems.AssertProblemAsync(refused, HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Contains("loopback", problem.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_owns_at_most_the_configured_number_of_subscriptions()
    {
        await using var small = host.WithWebHostBuilder(b => b.UseSetting("Webhooks:MaxPerUser", "2"));
        using var writer = Tokens.Authorize(small.CreateClient(), $"many-{Guid.NewGuid():N}", "writer");
        await WebhookHost.SubscribeAsync(writer, "https://203.0.113.7/1", "contact.created");
        await WebhookHost.SubscribeAsync(writer, "https://203.0.113.7/2", "contact.created");

        using var third = await writer.PostAsJsonAsync("/api/v3/webhooks", new { url = "https://203.0.113.7/3", event_types = new[] { "contact.created" } }, Ct);

        var problem = await Problems.AssertProblemAsync(third, HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Contains("Webhooks:MaxPerUser", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_from_a_sequence_the_retention_has_purged_is_gone()
    {
        using var writer = host.Writer();
        var (id, _) = await WebhookHost.SubscribeAsync(writer, "https://203.0.113.7/replay", "contact.created");
        await WebhookHost.CreateCompaniesAsync(writer, 2);
        // The purge never passes the newest event; a horizon beyond it would put other tests' new events behind it.
        var purged = await host.ScalarAsync(
            "UPDATE change_feed_horizon SET purged_through = greatest(purged_through, (SELECT max(sequence) FROM change_events)) RETURNING purged_through", Ct);

        using var response = await writer.PostAsJsonAsync($"/api/v3/webhooks/{id}/replay", new { from_sequence = purged }, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.Gone, ProblemTypes.Gone);
        Assert.Contains("Resync", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subscription_disabled_past_the_retention_resumes_only_from_a_point_its_owner_chooses()
    {
        using var writer = host.Writer();
        const string url = "https://203.0.113.7/asleep";
        var (id, _) = await WebhookHost.SubscribeAsync(writer, url, "schedule.skipped");
        using (var paused = await writer.PutAsJsonAsync($"/api/v3/webhooks/{id}", new { url, event_types = new[] { "schedule.skipped" }, enabled = false }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        }

        await WebhookHost.CreateCompaniesAsync(writer, 1);
        // The purge passes the event the paused subscription has not been sent.
        var head = await host.ScalarAsync(
            "UPDATE change_feed_horizon SET purged_through = greatest(purged_through, (SELECT max(sequence) FROM change_events)) RETURNING purged_through", Ct);

        using (var resumed = await writer.PutAsJsonAsync($"/api/v3/webhooks/{id}", new { url, event_types = new[] { "schedule.skipped" }, enabled = true }, Ct))
        {
            var problem = await Problems.AssertProblemAsync(resumed, HttpStatusCode.Gone, ProblemTypes.Gone);
            Assert.Contains($"from_sequence={head + 1}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("disabled", (await WebhookHost.GetJsonAsync(writer, $"/api/v3/webhooks/{id}")).GetProperty("status").GetString());
        using (var replay = await writer.PostAsJsonAsync($"/api/v3/webhooks/{id}/replay", new { from_sequence = head + 1 }, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        }

        using var enabled = await writer.PutAsJsonAsync($"/api/v3/webhooks/{id}", new { url, event_types = new[] { "schedule.skipped" }, enabled = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Equal("active", (await WebhookHost.GetJsonAsync(writer, $"/api/v3/webhooks/{id}")).GetProperty("status").GetString());
    }

    private static IEnumerable<(HttpMethod Method, string Path, object? Body)> Routes(string id) =>
    [
        (HttpMethod.Get, $"/api/v3/webhooks/{id}", null),
        (HttpMethod.Put, $"/api/v3/webhooks/{id}", new { url = "https://203.0.113.7/bob", event_types = new[] { "contact.created" } }),
        (HttpMethod.Post, $"/api/v3/webhooks/{id}/rotate-secret", null),
        (HttpMethod.Get, $"/api/v3/webhooks/{id}/deliveries", null),
        (HttpMethod.Post, $"/api/v3/webhooks/{id}/replay", new { from_sequence = 1 }),
        (HttpMethod.Post, $"/api/v3/webhooks/{id}/test", null),
        (HttpMethod.Delete, $"/api/v3/webhooks/{id}", null),
    ];

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        return client.SendAsync(request, Ct);
    }
}
