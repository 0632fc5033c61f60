using Connectra.Backend.Application.Background;

namespace Connectra.Backend.Application.Webhooks;

/// <summary>Subscriptions, deliveries and the delivery log (EF Core on PostgreSQL).</summary>
public interface IWebhookStore
{
    Task AddAsync(WebhookSubscription subscription, CancellationToken ct);

    Task<int> CountOwnedAsync(string ownerId, CancellationToken ct);

    Task<WebhookSubscription?> FindAsync(Guid id, CancellationToken ct);

    /// <summary>Saves every field of <paramref name="subscription"/>.</summary>
    Task UpdateAsync(WebhookSubscription subscription, CancellationToken ct);

    /// <summary>Deletes the subscription with its deliveries and log.</summary>
    Task<bool> DeleteAsync(Guid id, CancellationToken ct);

    Task<(IReadOnlyList<WebhookSubscription> Page, int Total)> ListAsync(string? ownerId, int page, int pageSize, CancellationToken ct);

    Task<(IReadOnlyList<WebhookAttemptView> Page, int Total)> AttemptsAsync(Guid subscriptionId, int page, int pageSize, CancellationToken ct);

    /// <summary>Moves the subscription's cursor back so events after <paramref name="after"/> are delivered again.</summary>
    Task ReplayAsync(Guid subscriptionId, long after, CancellationToken ct);

    /// <summary>Makes the subscription's waiting request due now (after it is enabled again).</summary>
    Task ResumeAsync(Guid subscriptionId, CancellationToken ct);

    Task AddDeliveryAsync(WebhookDelivery delivery, CancellationToken ct);

    /// <summary>
    /// Turns new change events into deliveries: for each enabled subscription with no request in flight, the next
    /// events after its cursor that it subscribes to, up to <paramref name="maxEvents"/>, become one delivery and the
    /// cursor moves past them, in one transaction. Answers how many deliveries were made.
    /// </summary>
    Task<int> FanOutAsync(int maxEvents, CancellationToken ct);

    /// <summary>The oldest due delivery of a subscription whose earlier ones are all done, leased to <paramref name="owner"/>.</summary>
    Task<WebhookDelivery?> ClaimAsync(string owner, TimeSpan lease, CancellationToken ct);

    /// <summary>
    /// Records an attempt and its consequences in one transaction, if <paramref name="owner"/> still holds the
    /// delivery's lease (false otherwise: another replica took it over, and nothing is written).
    /// </summary>
    Task<bool> RecordAsync(WebhookDelivery delivery, string owner, WebhookAttempt attempt, AttemptDecision decision, CancellationToken ct);
}

/// <summary>A receiver's answer to one request, or why there was none.</summary>
/// <param name="StatusCode">Null when no answer came (refused target, timeout, connection failure).</param>
/// <param name="RetryAfter">The answer's Retry-After, when it had one.</param>
/// <param name="Body">The answer's first bytes, scrubbed of control characters.</param>
public sealed record WebhookResponse(int? StatusCode, TimeSpan? RetryAfter, string? Body, string? Error, int LatencyMs);

/// <summary>Sends one signed request (the SSRF-guarded client, docs/webhooks.md#ssrf).</summary>
public interface IWebhookSender
{
    Task<WebhookResponse> SendAsync(string url, IReadOnlyDictionary<string, string> headers, byte[] body, CancellationToken ct);
}

/// <summary>Wakes the webhook worker when this replica wrote events or made a delivery due.</summary>
public sealed class WebhookSignal : WorkSignal;
