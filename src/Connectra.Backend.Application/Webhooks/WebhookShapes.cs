using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Connectra.Backend.Application.Webhooks;

/// <summary>Bounds of what a subscription holds.</summary>
public static class WebhookLimits
{
    public const int Url = WebhookTargets.MaxUrlLength;
    public const int EventTypes = 16;
    public const int Description = 500;
    public const int Id = 64;
}

/// <summary>The body that creates or replaces a subscription.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WebhookRequest
{
    /// <summary>Where events are POSTed: https (docs/webhooks.md#ssrf).</summary>
    [Required, StringLength(WebhookLimits.Url, MinimumLength = 1)]
    public string? Url { get; init; }

    /// <summary>The event types to deliver, at least one.</summary>
    [Required, MinLength(1), MaxLength(WebhookLimits.EventTypes)]
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>False pauses delivery; true (again) resumes it where it stopped and clears a disabled state.</summary>
    public bool Enabled { get; init; } = true;

    [StringLength(WebhookLimits.Description)]
    public string? Description { get; init; }
}

/// <summary>
/// A subscription as the API shows it. <c>status</c> is <c>active</c> or <c>disabled</c>; a disabled one says why and
/// since when. <c>failing_since</c> is set while deliveries fail. <c>queued_through_sequence</c>: the change feed up to
/// this sequence has been turned into requests (delivered or waiting).
/// </summary>
public sealed record WebhookView(
    string Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    string? Description,
    string Status,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    DateTimeOffset? FailingSince,
    DateTimeOffset? PreviousSecretExpiresAt,
    long QueuedThroughSequence,
    string OwnerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A new subscription with its secret, which is shown this once.</summary>
public sealed record WebhookCreated(WebhookView Webhook, string Secret);

/// <summary>A rotated secret, shown this once; the old one keeps signing until <c>previous_secret_expires_at</c>.</summary>
public sealed record WebhookSecretRotated(string Secret, DateTimeOffset? PreviousSecretExpiresAt);

/// <summary>A page of subscriptions, newest first; <c>total</c> counts all the caller may see.</summary>
public sealed record WebhookList(IReadOnlyList<WebhookView> Webhooks, int Total, int Page, int PageSize, int? NextPage);

/// <summary>One attempt of the delivery log.</summary>
public sealed record WebhookAttemptView(
    string WebhookId,
    int Attempt,
    DateTimeOffset AttemptedAt,
    string Outcome,
    int? StatusCode,
    int LatencyMs,
    string? Error,
    string? ResponseBody,
    DateTimeOffset? NextAttemptAt,
    long? FirstSequence,
    long? LastSequence,
    int EventCount);

/// <summary>A page of the delivery log, newest attempt first.</summary>
public sealed record WebhookAttemptList(IReadOnlyList<WebhookAttemptView> Attempts, int Total, int Page, int PageSize, int? NextPage);

/// <summary>Re-send the subscription's events from this change-feed sequence on.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WebhookReplayRequest
{
    [Required, Range(1, long.MaxValue)]
    public long? FromSequence { get; init; }
}

public sealed record WebhookReplayAccepted(long FromSequence);
