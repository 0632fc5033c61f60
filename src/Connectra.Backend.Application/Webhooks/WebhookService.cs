using System.Globalization;
using System.Text.Json;
using Connectra.Backend.Application.Changes;
using Connectra.Backend.Application.SavedSearches;
using Connectra.Backend.Application.Vql;
using Connectra.Backend.Application.Writing;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Application.Webhooks;

/// <summary>
/// Webhook subscriptions (docs/webhooks.md#subscriptions). Administrators manage every subscription; writers manage
/// their own, and another's is not found.
/// </summary>
public sealed class WebhookService(
    IWebhookStore store,
    IWebhookSecrets secrets,
    IWebhookResolver resolver,
    IChangeFeedStore feed,
    IOptionsMonitor<ChangeFeedOptions> feedOptions,
    WebhookDeliveryRunner runner,
    WebhookSignal signal,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock)
{
    public const string NotFound = "Webhook subscription not found or access denied";

    private WebhookOptions Options => options.CurrentValue;

    public async Task<WebhookCreated> CreateAsync(Caller caller, WebhookRequest request, CancellationToken ct)
    {
        var types = await CheckAsync(request, ct);
        if (await store.CountOwnedAsync(caller.Id, ct) >= Options.MaxPerUser)
        {
            throw new WriteRefusedException(WriteRefusal.Conflict, "",
                $"you own {Options.MaxPerUser} webhook subscriptions, the most allowed (Webhooks:MaxPerUser); delete one first");
        }

        var secret = WebhookSignature.NewSecret();
        var now = clock.GetUtcNow();
        var subscription = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(now),
            OwnerId = caller.Id,
            Url = request.Url!,
            EventTypes = types,
            Description = request.Description,
            Enabled = request.Enabled,
            DisabledReason = request.Enabled ? null : ByRequest,
            DisabledAt = request.Enabled ? null : now,
            Secret = secrets.Protect(secret),
            // New subscriptions start at the feed's head: they receive what happens from now on (replay reaches back).
            Cursor = await feed.HeadAsync(ct),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await store.AddAsync(subscription, ct);
        return new WebhookCreated(View(subscription), secret);
    }

    public async Task<WebhookView> GetAsync(Caller caller, string id, CancellationToken ct) => View(await MineAsync(caller, id, ct));

    public async Task<WebhookList> ListAsync(Caller caller, int page, int pageSize, CancellationToken ct)
    {
        var (rows, total) = await store.ListAsync(caller.Admin ? null : caller.Id, page, pageSize, ct);
        var more = (long)page * pageSize < total;
        return new WebhookList([.. rows.Select(View)], total, page, pageSize, more ? page + 1 : null);
    }

    /// <summary>Replaces url, types, enabled and description. Enabling a disabled subscription clears its failure state.</summary>
    public async Task<WebhookView> ReplaceAsync(Caller caller, string id, WebhookRequest request, CancellationToken ct)
    {
        var types = await CheckAsync(request, ct);
        var subscription = await MineAsync(caller, id, ct);
        var now = clock.GetUtcNow();
        var resumed = request.Enabled && !subscription.Enabled;
        if (resumed && subscription.Cursor < await feed.PurgedThroughAsync(ct))
        {
            // Resuming would skip what the purge deleted while it was disabled: the owner must choose the gap.
            var head = await feed.HeadAsync(ct);
            throw new ChangeCursorExpiredException(head,
                $"events after sequence {subscription.Cursor.ToString(CultureInfo.InvariantCulture)} were deleted after the change feed's retention " +
                $"({ChangeCursorExpiredException.Days(feedOptions.CurrentValue.Retention)} days) while this subscription was disabled, so it cannot resume where it stopped. " +
                $"Resync what you keep through the search routes, then POST replay with from_sequence={(head + 1).ToString(CultureInfo.InvariantCulture)} and enable it again.");
        }

        subscription.Url = request.Url!;
        subscription.EventTypes = types;
        subscription.Description = request.Description;
        if (request.Enabled)
        {
            subscription.Enabled = true;
            subscription.DisabledReason = null;
            subscription.DisabledAt = null;
            if (resumed)
            {
                subscription.FailingSince = null;
            }
        }
        else if (subscription.Enabled)
        {
            subscription.Enabled = false;
            subscription.DisabledReason = ByRequest;
            subscription.DisabledAt = now;
        }

        subscription.UpdatedAt = now;
        await store.UpdateAsync(subscription, ct);
        if (resumed)
        {
            await store.ResumeAsync(subscription.Id, ct);
            signal.Notify();
        }

        return View(subscription);
    }

    public async Task DeleteAsync(Caller caller, string id, CancellationToken ct)
    {
        var subscription = await MineAsync(caller, id, ct);
        if (!await store.DeleteAsync(subscription.Id, ct))
        {
            throw new ResourceNotFoundException(NotFound);
        }
    }

    /// <summary>A new secret; the old one keeps signing beside it for <see cref="WebhookOptions.RotationOverlap"/>.</summary>
    public async Task<WebhookSecretRotated> RotateSecretAsync(Caller caller, string id, CancellationToken ct)
    {
        var subscription = await MineAsync(caller, id, ct);
        var secret = WebhookSignature.NewSecret();
        var now = clock.GetUtcNow();
        subscription.PreviousSecret = Options.RotationOverlap > TimeSpan.Zero ? subscription.Secret : null;
        subscription.PreviousSecretExpiresAt = Options.RotationOverlap > TimeSpan.Zero ? now + Options.RotationOverlap : null;
        subscription.Secret = secrets.Protect(secret);
        subscription.UpdatedAt = now;
        await store.UpdateAsync(subscription, ct);
        return new WebhookSecretRotated(secret, subscription.PreviousSecretExpiresAt);
    }

    public async Task<WebhookAttemptList> DeliveriesAsync(Caller caller, string id, int page, int pageSize, CancellationToken ct)
    {
        var subscription = await MineAsync(caller, id, ct);
        var (rows, total) = await store.AttemptsAsync(subscription.Id, page, pageSize, ct);
        var more = (long)page * pageSize < total;
        return new WebhookAttemptList(rows, total, page, pageSize, more ? page + 1 : null);
    }

    /// <summary>Delivers the subscription's events again from <c>from_sequence</c> on (410 when the feed no longer has them).</summary>
    public async Task<WebhookReplayAccepted> ReplayAsync(Caller caller, string id, WebhookReplayRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subscription = await MineAsync(caller, id, ct);
        var from = request.FromSequence ?? throw new VqlValidationException("from_sequence", "from_sequence is required");
        if (from - 1 < await feed.PurgedThroughAsync(ct))
        {
            throw new ChangeCursorExpiredException(await feed.HeadAsync(ct), feedOptions.CurrentValue.Retention);
        }

        await store.ReplayAsync(subscription.Id, from - 1, ct);
        signal.Notify();
        return new WebhookReplayAccepted(from);
    }

    /// <summary>Sends a <c>webhook.test</c> ping now, once, and answers how it went (it is in the delivery log too).</summary>
    public async Task<WebhookAttemptView> TestAsync(Caller caller, string id, CancellationToken ct)
    {
        var subscription = await MineAsync(caller, id, ct);
        var now = clock.GetUtcNow();
        var deliveryId = Guid.CreateVersion7(now);
        var ping = new WebhookPayload(subscription.Id.ToString("D"),
            [new WebhookEventView(Guid.CreateVersion7(now), null, WebhookEventTypes.Test, subscription.Id.ToString("D"), now, null, null)]);
        var delivery = new WebhookDelivery
        {
            Id = deliveryId,
            SubscriptionId = subscription.Id,
            Status = WebhookDeliveryStatus.Processing,
            LeaseOwner = "ping/" + deliveryId.ToString("N"),
            LeaseExpiresAt = now + Options.Timeout * 3,
            Attempts = 1,
            CreatedAt = now,
            StartedAt = now,
            NextAttemptAt = now,
            Body = JsonSerializer.Serialize(ping, WebhookJson.Default.WebhookPayload),
        };
        await store.AddDeliveryAsync(delivery, ct);
        return await runner.AttemptAsync(delivery, subscription, delivery.LeaseOwner, ct);
    }

    private const string ByRequest = "disabled by request";

    private async Task<WebhookSubscription> MineAsync(Caller caller, string id, CancellationToken ct)
    {
        if (id.Length > WebhookLimits.Id || !Guid.TryParse(id, out var key)
            || await store.FindAsync(key, ct) is not { } subscription
            || (!caller.Admin && subscription.OwnerId != caller.Id))
        {
            throw new ResourceNotFoundException(NotFound);
        }

        return subscription;
    }

    private async Task<List<string>> CheckAsync(WebhookRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var url = request.Url ?? throw new VqlValidationException("url", "url is required");
        if (WebhookTargets.CheckUrl(url, Options) is { } wrong)
        {
            throw new VqlValidationException("url", wrong);
        }

        try
        {
            await WebhookTargets.AllowedAddressesAsync(new Uri(url).IdnHost, resolver, Options, ct);
        }
        catch (WebhookTargetRefusedException refused)
        {
            throw new VqlValidationException("url", refused.Message);
        }

        var given = request.EventTypes ?? throw new VqlValidationException("event_types", "event_types is required");
        if (given.Count is 0 or > WebhookLimits.EventTypes)
        {
            throw new VqlValidationException("event_types", $"event_types names 1 to {WebhookLimits.EventTypes} types");
        }

        foreach (var type in given)
        {
            if (!WebhookEventTypes.All.Contains(type, StringComparer.Ordinal))
            {
                throw new VqlValidationException("event_types", $"unknown type '{type}'; known: {string.Join(", ", WebhookEventTypes.All)}");
            }
        }

        return [.. given.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    internal static WebhookView View(WebhookSubscription s) => new(
        s.Id.ToString("D"), s.Url, s.EventTypes, s.Enabled, s.Description, s.Enabled ? "active" : "disabled",
        s.DisabledReason, s.DisabledAt, s.FailingSince, s.PreviousSecret is null ? null : s.PreviousSecretExpiresAt, s.Cursor,
        s.OwnerId, s.CreatedAt, s.UpdatedAt);
}
