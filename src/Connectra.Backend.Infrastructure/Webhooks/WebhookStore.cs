using System.Globalization;
using System.Text.Json;
using Connectra.Backend.Application.Changes;
using Connectra.Backend.Application.Webhooks;
using Connectra.Backend.Infrastructure.Jobs;
using Connectra.Backend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Webhooks;

/// <summary>
/// Subscriptions, deliveries and attempts on EF Core (docs/webhooks.md#delivery). Deliveries are claimed like every
/// durable job (<see cref="LeasedJobs"/>); the fan-out locks subscription rows with <c>FOR UPDATE SKIP LOCKED</c>, so
/// replicas never make the same delivery twice.
/// </summary>
internal sealed class WebhookStore(BackendDbContext db) : IWebhookStore
{
    /// <summary>
    /// Due, its subscription enabled, and no earlier delivery of that subscription still open: one subscription's
    /// requests go out one at a time, in sequence order.
    /// </summary>
    private const string Runnable = """
        j.next_attempt_at <= now()
        AND EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = j.subscription_id AND s.enabled)
        AND NOT EXISTS (
            SELECT 1 FROM webhook_deliveries o
            WHERE o.subscription_id = j.subscription_id AND o.status IN ('pending', 'processing')
              AND (o.created_at, o.id) < (j.created_at, j.id))
        """;

    public async Task AddAsync(WebhookSubscription subscription, CancellationToken ct)
    {
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    public Task<int> CountOwnedAsync(string ownerId, CancellationToken ct) => db.WebhookSubscriptions.CountAsync(s => s.OwnerId == ownerId, ct);

    public Task<WebhookSubscription?> FindAsync(Guid id, CancellationToken ct) =>
        db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);

    public async Task UpdateAsync(WebhookSubscription subscription, CancellationToken ct)
    {
        // The cursor and the failure state are the delivery's to move: everything else is the caller's.
        await db.WebhookSubscriptions.Where(s => s.Id == subscription.Id).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.Url, subscription.Url)
            .SetProperty(s => s.EventTypes, subscription.EventTypes)
            .SetProperty(s => s.Description, subscription.Description)
            .SetProperty(s => s.Enabled, subscription.Enabled)
            .SetProperty(s => s.DisabledReason, subscription.DisabledReason)
            .SetProperty(s => s.DisabledAt, subscription.DisabledAt)
            .SetProperty(s => s.Secret, subscription.Secret)
            .SetProperty(s => s.PreviousSecret, subscription.PreviousSecret)
            .SetProperty(s => s.PreviousSecretExpiresAt, subscription.PreviousSecretExpiresAt)
            .SetProperty(s => s.UpdatedAt, subscription.UpdatedAt), ct);
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct) =>
        await db.WebhookSubscriptions.Where(s => s.Id == id).ExecuteDeleteAsync(ct) > 0;

    public async Task<(IReadOnlyList<WebhookSubscription> Page, int Total)> ListAsync(string? ownerId, int page, int pageSize, CancellationToken ct)
    {
        var visible = db.WebhookSubscriptions.AsNoTracking();
        if (ownerId is not null)
        {
            visible = visible.Where(s => s.OwnerId == ownerId);
        }

        var total = await visible.CountAsync(ct);
        var rows = await visible.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return (rows, total);
    }

    public async Task<(IReadOnlyList<WebhookAttemptView> Page, int Total)> AttemptsAsync(Guid subscriptionId, int page, int pageSize, CancellationToken ct)
    {
        var attempts = db.WebhookAttempts.AsNoTracking().Where(a => a.SubscriptionId == subscriptionId);
        var total = await attempts.CountAsync(ct);
        var rows = await attempts.OrderByDescending(a => a.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Join(db.WebhookDeliveries, a => a.DeliveryId, d => d.Id, (a, d) => new { a, d.FirstSequence, d.LastSequence, d.EventCount })
            .ToListAsync(ct);
        return ([.. rows.Select(r => new WebhookAttemptView(
            WebhookIds.Of(r.a.DeliveryId), r.a.Attempt, r.a.AttemptedAt, r.a.Outcome, r.a.StatusCode, r.a.LatencyMs, r.a.Error,
            r.a.ResponseBody, r.a.NextAttemptAt, r.FirstSequence, r.LastSequence, r.EventCount))], total);
    }

    public async Task ReplayAsync(Guid subscriptionId, long after, CancellationToken ct) =>
        await db.WebhookSubscriptions.Where(s => s.Id == subscriptionId).ExecuteUpdateAsync(u => u.SetProperty(s => s.Cursor, after), ct);

    public async Task ResumeAsync(Guid subscriptionId, CancellationToken ct)
    {
        await db.WebhookSubscriptions.Where(s => s.Id == subscriptionId).ExecuteUpdateAsync(u => u.SetProperty(s => s.FailingSince, (DateTimeOffset?)null), ct);
        await db.WebhookDeliveries.Where(d => d.SubscriptionId == subscriptionId && d.Status == WebhookDeliveryStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.NextAttemptAt, _ => DateTimeOffset.UtcNow), ct);
    }

    public async Task AddDeliveryAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    public async Task<int> FanOutAsync(int maxEvents, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Every event up to the head is committed: numbers are given at commit under a lock (docs/webhooks.md#ordering).
        var head = await db.ChangeEvents.MaxAsync(e => (long?)e.Sequence, ct) ?? 0;
        var purgedThrough = await db.Set<ChangeFeedHorizon>().Select(h => h.PurgedThrough).SingleAsync(ct);
        var due = await db.WebhookSubscriptions.FromSqlRaw("""
            SELECT * FROM webhook_subscriptions s
            WHERE s.enabled AND s.cursor < {0}
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.status IN ('pending', 'processing'))
            ORDER BY s.cursor
            LIMIT 64
            FOR UPDATE SKIP LOCKED
            """, head).AsNoTracking().ToListAsync(ct);
        var made = 0;
        var now = DateTimeOffset.UtcNow;
        foreach (var subscription in due)
        {
            if (subscription.Cursor < purgedThrough)
            {
                // Never skip silently: events it has not received are gone, so it stops until its owner chooses the gap.
                await db.WebhookSubscriptions.Where(s => s.Id == subscription.Id).ExecuteUpdateAsync(u => u
                    .SetProperty(s => s.Enabled, false)
                    .SetProperty(s => s.DisabledReason, ExpiredReason(subscription.Cursor))
                    .SetProperty(s => s.DisabledAt, now), ct);
                continue;
            }

            var types = subscription.EventTypes;
            var events = await db.ChangeEvents.AsNoTracking()
                .Where(e => e.Sequence > subscription.Cursor && e.Sequence <= head && types.Contains(e.Type)
                    && (e.OwnerId == null || e.OwnerId == subscription.OwnerId))
                .OrderBy(e => e.Sequence).Take(maxEvents).ToListAsync(ct);
            var cursor = events.Count < maxEvents ? head : events[^1].Sequence;
            if (events.Count > 0)
            {
                var payload = new WebhookPayload(subscription.Id.ToString("D"), [.. events.Select(WebhookEventView.From)]);
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    Id = Guid.CreateVersion7(now),
                    SubscriptionId = subscription.Id,
                    Status = WebhookDeliveryStatus.Pending,
                    CreatedAt = now,
                    NextAttemptAt = now,
                    FirstSequence = events[0].Sequence,
                    LastSequence = events[^1].Sequence,
                    EventCount = events.Count,
                    Body = JsonSerializer.Serialize(payload, WebhookJson.Default.WebhookPayload),
                });
                made++;
            }

            await db.WebhookSubscriptions.Where(s => s.Id == subscription.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.Cursor, cursor), ct);
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return made;
    }

    private static string ExpiredReason(long cursor) =>
        $"events after sequence {cursor.ToString(CultureInfo.InvariantCulture)} were deleted after the change feed's retention (ChangeFeed:Retention) before they were sent";

    public Task<WebhookDelivery?> ClaimAsync(string owner, TimeSpan lease, CancellationToken ct) =>
        LeasedJobs.ClaimAsync(db.WebhookDeliveries, "webhook_deliveries", Runnable, owner, lease, ct);

    public async Task<bool> RecordAsync(WebhookDelivery delivery, string owner, WebhookAttempt attempt, AttemptDecision decision, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var final = decision.Status is WebhookDeliveryStatus.Delivered or WebhookDeliveryStatus.Failed;
        var next = decision.NextAttemptAt;
        var held = await db.WebhookDeliveries
            .Where(d => d.Id == delivery.Id && d.LeaseOwner == owner && d.Status == WebhookDeliveryStatus.Processing)
            .ExecuteUpdateAsync(u => u
                .SetProperty(d => d.Status, decision.Status)
                .SetProperty(d => d.NextAttemptAt, d => next ?? d.NextAttemptAt)
                .SetProperty(d => d.LeaseOwner, (string?)null)
                .SetProperty(d => d.LeaseExpiresAt, (DateTimeOffset?)null)
                .SetProperty(d => d.CompletedAt, d => final ? DateTimeOffset.UtcNow : null), ct);
        if (held == 0)
        {
            return false;
        }

        db.WebhookAttempts.Add(attempt);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        if (decision.TouchesSubscription)
        {
            var failingSince = decision.FailingSince;
            await db.WebhookSubscriptions.Where(s => s.Id == delivery.SubscriptionId)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.FailingSince, failingSince), ct);
            if (decision.DisableReason is { } reason)
            {
                await db.WebhookSubscriptions.Where(s => s.Id == delivery.SubscriptionId && s.Enabled)
                    .ExecuteUpdateAsync(u => u
                        .SetProperty(s => s.Enabled, false)
                        .SetProperty(s => s.DisabledReason, reason)
                        .SetProperty(s => s.DisabledAt, _ => DateTimeOffset.UtcNow), ct);
            }
        }

        await transaction.CommitAsync(ct);
        return true;
    }
}
