using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connectra.Backend.Application.Webhooks;
using Connectra.Backend.FunctionalTests.Infrastructure;

namespace Connectra.Backend.FunctionalTests.Webhooks;

/// <summary>
/// Delivery to a real receiver: retries until it recovers with nothing lost, the same webhook-id on every retry,
/// signatures (also during a rotation), the final and the retried answers, auto-disable and re-enabling, the SSRF guard
/// at delivery time, the delivery log, replay and the test ping.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookHost host) : IClassFixture<WebhookHost>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Url(string path) => new Uri(host.Receiver.Url, path).ToString();

    [Fact]
    public async Task A_receiver_that_fails_then_recovers_gets_every_event_in_order_and_each_retry_repeats_the_webhook_id()
    {
        using var writer = host.Writer();
        var path = host.Receiver.Listen((n, _) => Task.FromResult(n < 3 ? 503 : 200));
        var (_, secret) = await WebhookHost.SubscribeAsync(writer, Url(path), "company.created");

        var created = await WebhookHost.CreateCompaniesAsync(writer, 25);

        Assert.True(await WebhookHost.EventuallyAsync(() => created.All(new HashSet<string>(Uuids(host.Receiver.Accepted(path))).Contains), Patience),
            $"delivered {Uuids(host.Receiver.Accepted(path)).Count} of {created.Count}");
        var requests = host.Receiver.At(path);
        Assert.Equal(3, requests.Count(r => r.Answered == 503));
        // Every request under one webhook-id carried the same bytes: a receiver may drop repeats by id alone.
        Assert.All(requests.GroupBy(r => r.Id), same => Assert.Single(same.Select(r => Convert.ToBase64String(r.Body)).Distinct()));
        var failedIds = requests.Where(r => r.Answered == 503).Select(r => r.Id).ToHashSet();
        Assert.All(failedIds, id => Assert.Contains(requests, r => r.Id == id && r.Answered == 200));
        // Deduplicated by webhook-id, the receiver holds each event once, in sequence order, and only its own type.
        var firstAccepted = requests.Where(r => r.Answered == 200).GroupBy(r => r.Id).Select(g => g.First()).ToList();
        var events = firstAccepted.SelectMany(r => r.Events).ToList();
        var sequences = events.Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Distinct().Count(), sequences.Count);
        Assert.All(events, e => Assert.Equal("company.created", e.GetProperty("type").GetString()));
        Assert.Equal(created, Uuids(events).Where(created.Contains));
        Assert.All(firstAccepted, r => Assert.True(r.Events.Count <= 10, "Webhooks:MaxEventsPerRequest is 10"));
        Assert.All(requests, r => Assert.True(WebhookSignature.Verify(secret, r.Id, r.Timestamp, r.Body, r.Signature), "signature"));
        Assert.All(requests, r => Assert.False(WebhookSignature.Verify(WebhookSignature.NewSecret(), r.Id, r.Timestamp, r.Body, r.Signature)));
        Assert.All(requests, r => Assert.InRange(r.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));
    }

    [Fact]
    public async Task During_a_rotation_each_request_carries_both_signatures_and_the_new_secret_is_shown_once()
    {
        using var writer = host.Writer();
        var path = host.Receiver.Listen();
        var (id, old) = await WebhookHost.SubscribeAsync(writer, Url(path), "company.created");

        using var rotated = await writer.PostAsync($"/api/v3/webhooks/{id}/rotate-secret", null, Ct);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var answer = JsonDocument.Parse(await rotated.Content.ReadAsStringAsync(Ct)).RootElement;
        var fresh = answer.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", fresh, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(fresh["whsec_".Length..]).Length);
        Assert.NotEqual(old, fresh);
        Assert.True(answer.GetProperty("previous_secret_expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(50));
        var shown = (await WebhookHost.GetJsonAsync(writer, $"/api/v3/webhooks/{id}")).GetRawText();
        Assert.DoesNotContain(fresh["whsec_".Length..], shown, StringComparison.Ordinal);
        Assert.DoesNotContain(old["whsec_".Length..], shown, StringComparison.Ordinal);

        await WebhookHost.CreateCompaniesAsync(writer, 1);

        Assert.True(await WebhookHost.EventuallyAsync(() => host.Receiver.Accepted(path).Count > 0, Patience));
        var request = host.Receiver.At(path)[0];
        var signatures = request.Signature.Split(' ');
        Assert.Equal(2, signatures.Length);
        Assert.All(signatures, s => Assert.StartsWith("v1,", s, StringComparison.Ordinal));
        Assert.True(WebhookSignature.Verify(fresh, request.Id, request.Timestamp, request.Body, signatures[0]));
        Assert.True(WebhookSignature.Verify(old, request.Id, request.Timestamp, request.Body, signatures[1]));
    }

    [Fact]
    public async Task A_410_disables_the_subscription_and_enabling_it_again_delivers_what_waited()
    {
        using var writer = host.Writer();
        var gone = true;
        var path = host.Receiver.Listen((_, _) => Task.FromResult(gone ? 410 : 200));
        var (id, _) = await WebhookHost.SubscribeAsync(writer, Url(path), "company.created");
        var first = await WebhookHost.CreateCompaniesAsync(writer, 2);

        Assert.True(await WebhookHost.EventuallyAsync(async () =>
            (await WebhookHost.GetJsonAsync(writer, $"/api/v3/webhooks/{id}")).GetProperty("status").GetString() == "disabled", Patience));
        var disabled = await WebhookHost.GetJsonAsync(writer, $"/api/v3/webhooks/{id}");
        Assert.False(disabled.GetProperty("enabled").GetBoolean());
        Assert.Contains("410", disabled.GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, disabled.GetProperty("disabled_at").ValueKind);
        Assert.Single(host.Receiver.At(path));
        var later = await WebhookHost.CreateCompaniesAsync(writer, 1);
        await Task.Delay(300, Ct);
        Assert.Single(host.Receiver.At(path));

        gone = false;
        using var enabled = await writer.PutAsJsonAsync($"/api/v3/webhooks/{id}", new { url = Url(path), event_types = new[] { "company.created" }, enabled = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var view = JsonDocument.Parse(await enabled.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("active", view.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("disabled_reason").ValueKind);

        Assert.True(await WebhookHost.EventuallyAsync(() => first.Concat(later).All(new HashSet<string>(Uuids(host.Receiver.Accepted(path))).Contains), Patience));
        Assert.Equal(JsonValueKind.Null, (await WebhookHost.GetJsonAsync(writer, $"/api/v3/webhooks/{id}")).GetProperty("failing_since").ValueKind);
    }

    [Fact]
    public async Task A_receiver_failing_for_longer_than_DisableAfter_gets_its_subscription_disabled_and_the_log_shows_each_attempt()
    {
        using var writer = host.Writer();
        var path = host.Receiver.Listen((_, _) => Task.FromResult(500));
        var (id, _) = await WebhookHost.SubscribeAsync(writer, Url(path), "company.created");
        await WebhookHost.CreateCompaniesAsync(writer, 1);

        Assert.True(await WebhookHost.EventuallyAsync(async () =>
            (await WebhookHost.GetJsonAsync(writer, $"/api/v3/webhooks/{id}")).GetProperty("status").GetString() == "disabled", Patience));

        var view = await WebhookHost.GetJsonAsync(writer, $"/api/v3/webhooks/{id}");
        Assert.Contains("Webhooks:DisableAfter", view.GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, view.GetProperty("failing_since").ValueKind);
        var log = await WebhookHost.GetJsonAsync(writer, $"/api/v3/webhooks/{id}/deliveries?page_size=100");
        var attempts = log.GetProperty("attempts").EnumerateArray().ToList();
        Assert.True(attempts.Count >= 3, log.GetRawText());
        Assert.Equal("disabled", attempts[0].GetProperty("outcome").GetString());
        Assert.All(attempts.Skip(1), a => Assert.Equal("retrying", a.GetProperty("outcome").GetString()));
        Assert.All(attempts, a => Assert.Equal(500, a.GetProperty("status_code").GetInt32()));
        Assert.Single(attempts.Select(a => a.GetProperty("webhook_id").GetString()).Distinct());
        Assert.Equal(attempts.Count, host.Receiver.At(path).Count);
        // The answer's body is kept, cut and scrubbed of control characters.
        Assert.Equal("answer 500  [31m", attempts[0].GetProperty("response_body").GetString());
        // Attempts number up from one; retries wait (full jitter, never under a tenth of the base delay).
        Assert.Equal(Enumerable.Range(1, attempts.Count).Reverse(), attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.All(attempts.Skip(1), a => Assert.True(a.GetProperty("next_attempt_at").GetDateTimeOffset() > a.GetProperty("attempted_at").GetDateTimeOffset()));
    }

    [Fact]
    public async Task A_4xx_is_final_and_delivery_moves_on_while_429_is_retried_after_its_Retry_After()
    {
        using var writer = host.Writer();
        var path = host.Receiver.Listen((n, context) =>
        {
            if (n == 0)
            {
                return Task.FromResult(400);
            }

            if (n == 1)
            {
                context.Response.Headers.RetryAfter = "1";
                return Task.FromResult(429);
            }

            return Task.FromResult(200);
        });
        var (id, _) = await WebhookHost.SubscribeAsync(writer, Url(path), "company.created");
        var refused = await WebhookHost.CreateCompaniesAsync(writer, 1);
        Assert.True(await WebhookHost.EventuallyAsync(() => host.Receiver.At(path).Count == 1, Patience));
        var second = await WebhookHost.CreateCompaniesAsync(writer, 1);

        Assert.True(await WebhookHost.EventuallyAsync(() => Uuids(host.Receiver.Accepted(path)).Contains(second[0]), Patience));
        var requests = host.Receiver.At(path);
        Assert.Equal([400, 429, 200], requests.Select(r => r.Answered));
        Assert.Equal(refused, Uuids(requests[0].Events));
        Assert.Equal(requests[1].Id, requests[2].Id);
        Assert.NotEqual(requests[0].Id, requests[1].Id);
        Assert.True(requests[2].At - requests[1].At >= TimeSpan.FromMilliseconds(900), $"{(requests[2].At - requests[1].At).TotalMilliseconds} ms");
        var attempts = (await WebhookHost.GetJsonAsync(writer, $"/api/v3/webhooks/{id}/deliveries")).GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(["delivered", "retrying", "failed"], attempts.Select(a => a.GetProperty("outcome").GetString()));
        Assert.Equal(JsonValueKind.Null, attempts[2].GetProperty("next_attempt_at").ValueKind);
        Assert.True(attempts[1].GetProperty("next_attempt_at").GetDateTimeOffset() - attempts[1].GetProperty("attempted_at").GetDateTimeOffset() >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_private_address_at_delivery_time_is_refused_and_nothing_is_sent()
    {
        using var writer = host.Writer();
        var path = host.Receiver.Listen();
        var name = $"moving-{Guid.NewGuid():N}.test";
        host.Resolver.Names[name] = [IPAddress.Loopback];
        var (id, _) = await WebhookHost.SubscribeAsync(writer, $"http://{name}:{host.Receiver.Url.Port}{path}", "company.created");
        // The name now points inside the network, as a rebinding attack would have it.
        host.Resolver.Names[name] = [IPAddress.Parse("10.0.0.1")];

        await WebhookHost.CreateCompaniesAsync(writer, 1);

        JsonElement attempt = default;
        Assert.True(await WebhookHost.EventuallyAsync(async () =>
        {
            var log = (await WebhookHost.GetJsonAsync(writer, $"/api/v3/webhooks/{id}/deliveries")).GetProperty("attempts");
            attempt = log.GetArrayLength() > 0 ? log[log.GetArrayLength() - 1] : default;
            return log.GetArrayLength() > 0;
        }, Patience));
        Assert.Contains("refused", attempt.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("10.0.0.1", attempt.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("status_code").ValueKind);
        Assert.Empty(host.Receiver.At(path));

        // Saving it again now is refused too, naming url.
        using var again = await writer.PutAsJsonAsync($"/api/v3/webhooks/{id}", new { url = $"http://{name}:{host.Receiver.Url.Port}{path}", event_types = new[] { "company.created" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.True(JsonDocument.Parse(await again.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("errors").TryGetProperty("url", out _));
    }

    [Fact]
    public async Task A_redirect_is_a_failed_attempt_and_is_not_followed()
    {
        using var writer = host.Writer();
        var trap = host.Receiver.Listen();
        var path = host.Receiver.Listen((_, context) =>
        {
            context.Response.Headers.Location = Url(trap);
            return Task.FromResult(307);
        });
        var (id, _) = await WebhookHost.SubscribeAsync(writer, Url(path), "company.created");

        await WebhookHost.CreateCompaniesAsync(writer, 1);

        Assert.True(await WebhookHost.EventuallyAsync(() => host.Receiver.At(path).Count >= 2, Patience));
        var attempts = (await WebhookHost.GetJsonAsync(writer, $"/api/v3/webhooks/{id}/deliveries")).GetProperty("attempts").EnumerateArray().ToList();
        Assert.Contains(attempts, a => a.GetProperty("status_code").GetInt32() == 307 && a.GetProperty("outcome").GetString() == "retrying"
            && a.GetProperty("error").GetString()!.Contains("not followed", StringComparison.Ordinal));
        Assert.Empty(host.Receiver.At(trap));
        await writer.DeleteAsync($"/api/v3/webhooks/{id}", Ct);
    }

    [Fact]
    public async Task The_test_ping_is_sent_now_and_logged_and_replay_sends_events_again_under_new_ids()
    {
        using var writer = host.Writer();
        var path = host.Receiver.Listen();
        var (id, secret) = await WebhookHost.SubscribeAsync(writer, Url(path), "company.created");

        using var ping = await writer.PostAsync($"/api/v3/webhooks/{id}/test", null, Ct);
        var result = JsonDocument.Parse(await ping.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal("delivered", result.GetProperty("outcome").GetString());
        Assert.Equal(200, result.GetProperty("status_code").GetInt32());
        var pinged = Assert.Single(host.Receiver.At(path));
        Assert.Equal(result.GetProperty("webhook_id").GetString(), pinged.Id);
        Assert.Equal("webhook.test", Assert.Single(pinged.Events).GetProperty("type").GetString());
        Assert.True(WebhookSignature.Verify(secret, pinged.Id, pinged.Timestamp, pinged.Body, pinged.Signature));

        var created = await WebhookHost.CreateCompaniesAsync(writer, 3);
        Assert.True(await WebhookHost.EventuallyAsync(() => Uuids(host.Receiver.Accepted(path)).Count == 3, Patience));
        var first = host.Receiver.Accepted(path).Where(e => e.GetProperty("type").GetString() == "company.created").Min(e => e.GetProperty("sequence").GetInt64());
        var idsBefore = host.Receiver.At(path).Select(r => r.Id).ToHashSet();

        using var replay = await writer.PostAsJsonAsync($"/api/v3/webhooks/{id}/replay", new { from_sequence = first }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);

        Assert.True(await WebhookHost.EventuallyAsync(() => Uuids(host.Receiver.Accepted(path)).Count == 6, Patience));
        var again = host.Receiver.At(path).Where(r => !idsBefore.Contains(r.Id)).SelectMany(r => r.Events).ToList();
        Assert.Equal(created, Uuids(again));
        var log = await WebhookHost.GetJsonAsync(writer, $"/api/v3/webhooks/{id}/deliveries");
        Assert.Contains(log.GetProperty("attempts").EnumerateArray(), a => a.GetProperty("webhook_id").GetString() == pinged.Id && a.GetProperty("first_sequence").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task A_finished_import_is_announced_to_its_owners_subscriptions_only_and_not_in_the_change_feed()
    {
        var owner = $"importer-{Guid.NewGuid():N}";
        using var writer = host.Writer(owner);
        using var other = host.Writer($"other-{Guid.NewGuid():N}");
        var mine = host.Receiver.Listen();
        var theirs = host.Receiver.Listen();
        await WebhookHost.SubscribeAsync(writer, Url(mine), "import.completed", "import.failed");
        await WebhookHost.SubscribeAsync(other, Url(theirs), "import.completed", "import.failed");

        using var upload = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"name,metadata.website\r\nImported,https://{Guid.NewGuid():N}.example\r\n"));
        upload.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        using var created = await writer.PostAsync("/api/v3/imports/companies?match_on=website", upload, Ct);
        var text = await created.Content.ReadAsStringAsync(Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, text);
        var importId = JsonDocument.Parse(text).RootElement.GetProperty("import_id").GetString();

        Assert.True(await WebhookHost.EventuallyAsync(() => host.Receiver.Accepted(mine).Count > 0, Patience));
        var announced = Assert.Single(host.Receiver.Accepted(mine));
        Assert.Equal("import.completed", announced.GetProperty("type").GetString());
        Assert.Equal(importId, announced.GetProperty("uuid").GetString());
        await Task.Delay(300, Ct);
        Assert.Empty(host.Receiver.At(theirs));
        using var reader = host.Reader();
        var feed = await WebhookHost.GetJsonAsync(reader, "/api/v3/changes?limit=1000");
        Assert.DoesNotContain(feed.GetProperty("data").EnumerateArray(), e => e.GetProperty("type").GetString()!.StartsWith("import.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_finished_export_is_announced_to_its_owners_subscription_as_failed_or_completed()
    {
        var owner = $"exporter-{Guid.NewGuid():N}";
        using var writer = host.Writer(owner);
        var mine = host.Receiver.Listen();
        await WebhookHost.SubscribeAsync(writer, Url(mine), "export.completed", "export.failed");

        // Connectra does not know the route yet (404): the export fails.
        var failed = await ExportAsync(writer);
        Assert.True(await WebhookHost.EventuallyAsync(() => host.Receiver.Accepted(mine).Count == 1, Patience));
        host.Connectra.AnswerPost("/contacts/", """{"data":[],"success":true}""");
        var completed = await ExportAsync(writer);
        Assert.True(await WebhookHost.EventuallyAsync(() => host.Receiver.Accepted(mine).Count == 2, Patience));

        Assert.Equal([("export.failed", failed), ("export.completed", completed)],
            host.Receiver.Accepted(mine).Select(e => (e.GetProperty("type").GetString(), e.GetProperty("uuid").GetString())));
    }

    private static async Task<string?> ExportAsync(HttpClient writer)
    {
        using var created = await writer.PostAsJsonAsync("/api/v3/exports/contacts/export", new { contact_uuids = new[] { FakeConnectra.Contact } }, Ct);
        var text = await created.Content.ReadAsStringAsync(Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("export_id").GetString();
    }

    [Fact]
    public async Task An_active_subscription_whose_unsent_events_expired_is_disabled_with_the_reason_never_skipped_ahead()
    {
        using var writer = host.Writer();
        var (id, _) = await WebhookHost.SubscribeAsync(writer, "https://203.0.113.7/behind", "schedule.skipped");
        await WebhookHost.CreateCompaniesAsync(writer, 1);
        // A subscription far behind: its cursor before events the purge has deleted.
        await host.ScalarAsync("UPDATE change_feed_horizon SET purged_through = greatest(purged_through, 1) RETURNING 1", Ct);
        await host.ScalarAsync($"UPDATE webhook_subscriptions SET cursor = 0 WHERE id = '{id}' RETURNING 1", Ct);

        JsonElement view = default;
        Assert.True(await WebhookHost.EventuallyAsync(async () =>
        {
            view = await WebhookHost.GetJsonAsync(writer, $"/api/v3/webhooks/{id}");
            return view.GetProperty("status").GetString() == "disabled";
        }, TimeSpan.FromSeconds(20)));
        Assert.Contains("retention", view.GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, view.GetProperty("queued_through_sequence").GetInt64());
    }

    private static List<string> Uuids(IEnumerable<JsonElement> events) =>
        [.. events.Where(e => e.GetProperty("type").GetString() != "webhook.test").Select(e => e.GetProperty("uuid").GetString()!)];
}
