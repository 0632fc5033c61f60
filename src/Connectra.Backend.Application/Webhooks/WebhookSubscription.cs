using Connectra.Backend.Application.Changes;

namespace Connectra.Backend.Application.Webhooks;

/// <summary>Where and what to push (PostgreSQL <c>webhook_subscriptions</c>; docs/webhooks.md#subscriptions).</summary>
public sealed class WebhookSubscription
{
    public Guid Id { get; set; }

    public required string OwnerId { get; set; }

    public required string Url { get; set; }

    public List<string> EventTypes { get; set; } = [];

    public string? Description { get; set; }

    /// <summary>False when its owner paused it or delivery disabled it (<see cref="DisabledReason"/> says which).</summary>
    public bool Enabled { get; set; }

    public string? DisabledReason { get; set; }

    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>Since when every attempt failed; null after a success.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    /// <summary>The signing secret, encrypted (<see cref="IWebhookSecrets"/>).</summary>
    public required string Secret { get; set; }

    /// <summary>The secret a rotation replaced, encrypted; it signs beside the new one until it expires.</summary>
    public string? PreviousSecret { get; set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    /// <summary>The last change-event sequence fanned out into a delivery (or passed over as not matching).</summary>
    public long Cursor { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum WebhookDeliveryStatus
{
    Pending,
    Processing,
    Delivered,
    Failed,
}

/// <summary>
/// One request's worth of events for one subscription (PostgreSQL <c>webhook_deliveries</c>), claimed and retried as
/// a durable job. Its body and id are fixed when it is made, so every retry sends the same <c>webhook-id</c> and bytes.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }

    public Guid SubscriptionId { get; set; }

    public WebhookDeliveryStatus Status { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Not sent before this time (backoff, Retry-After).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The change events it carries; null for a test ping.</summary>
    public long? FirstSequence { get; set; }

    public long? LastSequence { get; set; }

    public int EventCount { get; set; }

    /// <summary>The JSON body, exactly as sent.</summary>
    public required string Body { get; set; }

    /// <summary><c>msg_</c> + the id: the <c>webhook-id</c> header, the same on every attempt.</summary>
    public string WebhookId => WebhookIds.Of(Id);
}

/// <summary>One attempt to send a delivery: the delivery log (PostgreSQL <c>webhook_attempts</c>).</summary>
public sealed class WebhookAttempt
{
    public long Id { get; set; }

    public Guid DeliveryId { get; set; }

    public Guid SubscriptionId { get; set; }

    public int Attempt { get; set; }

    public DateTimeOffset AttemptedAt { get; set; }

    /// <summary><c>delivered</c>, <c>retrying</c>, <c>failed</c> (final) or <c>disabled</c> (the subscription was).</summary>
    public required string Outcome { get; set; }

    public int? StatusCode { get; set; }

    public int LatencyMs { get; set; }

    public string? Error { get; set; }

    public string? ResponseBody { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }
}

public static class WebhookIds
{
    public static string Of(Guid deliveryId) => "msg_" + deliveryId.ToString("N");
}

/// <summary>Every type a subscription may ask for.</summary>
public static class WebhookEventTypes
{
    public const string ExportCompleted = "export.completed";
    public const string ExportFailed = "export.failed";
    public const string ImportCompleted = "import.completed";
    public const string ImportFailed = "import.failed";
    public const string ScheduleSkipped = "schedule.skipped";

    /// <summary>The type of a test ping; never subscribed to.</summary>
    public const string Test = "webhook.test";

    /// <summary>Events of one user's jobs: delivered only to that user's subscriptions.</summary>
    public static IReadOnlyList<string> Jobs { get; } = [ExportCompleted, ExportFailed, ImportCompleted, ImportFailed, ScheduleSkipped];

    public static IReadOnlyList<string> All { get; } = [.. ChangeTypes.Record, .. Jobs];
}

/// <summary>Encrypts the signing secrets at rest.</summary>
public interface IWebhookSecrets
{
    string Protect(string secret);

    string Unprotect(string stored);
}
