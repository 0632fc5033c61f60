namespace Connectra.Backend.Application.Webhooks;

/// <summary>What an attempt leads to (docs/webhooks.md#retries).</summary>
/// <param name="Status">The delivery's status after the attempt.</param>
/// <param name="NextAttemptAt">When a retry is due; null when none follows.</param>
/// <param name="FailingSince">The subscription's <c>failing_since</c> after the attempt.</param>
/// <param name="DisableReason">Set when the subscription is disabled by this attempt.</param>
public sealed record AttemptDecision(
    WebhookDeliveryStatus Status, string Outcome, DateTimeOffset? NextAttemptAt, DateTimeOffset? FailingSince, string? DisableReason, bool TouchesSubscription);

/// <summary>
/// The retry rules (docs/webhooks.md#retries): a 2xx delivers; a 4xx other than 408 and 429 is final (except 410,
/// which disables the subscription); anything else is retried with exponential backoff and full jitter, honouring
/// Retry-After, for <see cref="WebhookOptions.RetryFor"/>; a subscription failing for
/// <see cref="WebhookOptions.DisableAfter"/> is disabled, its waiting request kept for when it is enabled again.
/// </summary>
public static class WebhookRetries
{
    public const string Delivered = "delivered";
    public const string Retrying = "retrying";
    public const string Failed = "failed";
    public const string Disabled = "disabled";

    public static AttemptDecision Decide(
        WebhookResponse response, int attempt, DateTimeOffset createdAt, DateTimeOffset? failingSince, bool ping,
        DateTimeOffset now, WebhookOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        var status = response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return new AttemptDecision(WebhookDeliveryStatus.Delivered, Delivered, null, null, null, !ping);
        }

        if (ping)
        {
            // A ping is sent once, now, and tells its caller how it went; it does not count against the subscription.
            return new AttemptDecision(WebhookDeliveryStatus.Failed, Failed, null, failingSince, null, false);
        }

        var since = failingSince ?? now;
        if (status == 410)
        {
            return new AttemptDecision(WebhookDeliveryStatus.Pending, Disabled, null, since,
                "the receiver answered 410 Gone", true);
        }

        if (now - since >= options.DisableAfter)
        {
            return new AttemptDecision(WebhookDeliveryStatus.Pending, Disabled, null, since,
                $"every delivery failed for {Describe(options.DisableAfter)} (Webhooks:DisableAfter)", true);
        }

        if (status is >= 400 and < 500 and not 408 and not 429)
        {
            return new AttemptDecision(WebhookDeliveryStatus.Failed, Failed, null, since, null, true);
        }

        if (now - createdAt >= options.RetryFor)
        {
            return new AttemptDecision(WebhookDeliveryStatus.Failed, Failed, null, since, null, true);
        }

        var delay = Backoff(attempt, options, random);
        if (response.RetryAfter is { } asked && asked > delay)
        {
            delay = asked < options.RetryMaxDelay ? asked : options.RetryMaxDelay;
        }

        return new AttemptDecision(WebhookDeliveryStatus.Pending, Retrying, now + delay, since, null, true);
    }

    /// <summary>
    /// Full jitter: uniformly between zero and min(max, base × 2^(attempt−1)), never under a tenth of the base so
    /// a failing receiver is not hammered.
    /// </summary>
    public static TimeSpan Backoff(int attempt, WebhookOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        var bound = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 40));
        var cap = Math.Min(bound, options.RetryMaxDelay.TotalMilliseconds);
        var floor = options.RetryBaseDelay.TotalMilliseconds / 10;
        return TimeSpan.FromMilliseconds(Math.Max(floor, random.NextDouble() * cap));
    }

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{span.TotalDays:0.##} days" : span.TotalHours >= 1 ? $"{span.TotalHours:0.##} hours" : $"{span.TotalSeconds:0.##} seconds";
}
