using System.Text.Json;
using System.Text.Json.Serialization;
using Connectra.Backend.Application.Changes;

namespace Connectra.Backend.Application.Webhooks;

/// <summary>The body of a webhook request: the subscription and its events in sequence order (docs/webhooks.md#requests).</summary>
public sealed record WebhookPayload(string SubscriptionId, IReadOnlyList<WebhookEventView> Events);

/// <summary>
/// One event as a webhook carries it: a change event as the feed shows it, or a job event (<c>uuid</c> is then the
/// export, import or schedule id) or a ping (no <c>sequence</c>).
/// </summary>
public sealed record WebhookEventView(
    Guid EventId, long? Sequence, string Type, string Uuid, DateTimeOffset OccurredAt, long? Version, IReadOnlyList<string>? ChangedFields)
{
    public static WebhookEventView From(ChangeEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.EventId, e.Sequence, e.Type, e.Uuid, e.OccurredAt, e.Version, e.ChangedFields);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WebhookPayload))]
public sealed partial class WebhookJson : JsonSerializerContext;
