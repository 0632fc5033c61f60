using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Application.Webhooks;

/// <summary>
/// Sends one attempt of a delivery, signed (docs/webhooks.md#signatures), and records what it leads to
/// (<see cref="WebhookRetries"/>) in the delivery log, all under the delivery's lease.
/// </summary>
public sealed class WebhookDeliveryRunner(
    IWebhookStore store,
    IWebhookSecrets secrets,
    IWebhookSender sender,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock)
{
    /// <summary>Runs a claimed delivery; a subscription gone or disabled meanwhile leaves it to wait.</summary>
    public async Task RunAsync(WebhookDelivery delivery, string owner, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var subscription = await store.FindAsync(delivery.SubscriptionId, ct);
        if (subscription is null || !subscription.Enabled)
        {
            return; // its lease runs out; the claim skips it while the subscription is disabled
        }

        await AttemptAsync(delivery, subscription, owner, ct);
    }

    public async Task<WebhookAttemptView> AttemptAsync(WebhookDelivery delivery, WebhookSubscription subscription, string owner, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(subscription);
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow();
        var keys = new List<string> { secrets.Unprotect(subscription.Secret) };
        if (subscription.PreviousSecret is { } previous && subscription.PreviousSecretExpiresAt > now)
        {
            keys.Add(secrets.Unprotect(previous));
        }

        var body = Encoding.UTF8.GetBytes(delivery.Body);
        var timestamp = now.ToUnixTimeSeconds();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["webhook-id"] = delivery.WebhookId,
            ["webhook-timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture),
            ["webhook-signature"] = WebhookSignature.Sign(keys, delivery.WebhookId, timestamp, body),
        };
        var response = await sender.SendAsync(subscription.Url, headers, body, ct);
        var after = clock.GetUtcNow();
        var ping = delivery.FirstSequence is null;
        var decision = WebhookRetries.Decide(response, delivery.Attempts, delivery.CreatedAt, subscription.FailingSince, ping, after, settings, Random.Shared);
        var attempt = new WebhookAttempt
        {
            DeliveryId = delivery.Id,
            SubscriptionId = subscription.Id,
            Attempt = delivery.Attempts,
            AttemptedAt = now,
            Outcome = decision.Outcome,
            StatusCode = response.StatusCode,
            LatencyMs = response.LatencyMs,
            Error = response.Error,
            ResponseBody = response.Body,
            NextAttemptAt = decision.NextAttemptAt,
        };
        // CancellationToken.None: what happened on the wire is recorded even while the host stops.
        await store.RecordAsync(delivery, owner, attempt, decision, CancellationToken.None);
        return new WebhookAttemptView(delivery.WebhookId, attempt.Attempt, attempt.AttemptedAt, attempt.Outcome, attempt.StatusCode,
            attempt.LatencyMs, attempt.Error, attempt.ResponseBody, attempt.NextAttemptAt, delivery.FirstSequence, delivery.LastSequence,
            delivery.EventCount);
    }
}
