using Connectra.Backend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Changes;

/// <summary>
/// Events of users' jobs (<c>export.completed</c>, <c>import.failed</c>, <c>schedule.skipped</c> and the like) in the
/// change-event table, so webhooks deliver them through the one pipeline (docs/webhooks.md#events). Recorded in the
/// transaction that records the job's outcome, as its last statement, under the feed's lock like every event; they name
/// the job and its owner, whose subscriptions alone receive them, and never appear in the change feed.
/// </summary>
internal static class JobEvents
{
    /// <summary>Must run inside a transaction that commits right after (the lock is held until then).</summary>
    public static async Task RecordAsync(BackendDbContext db, string type, string jobId, string ownerId, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("job events are recorded inside the job's transaction");
        }

        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [PendingChanges.FeedLock], ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO change_events (event_id, type, uuid, occurred_at, version, owner_id)
            VALUES ({Guid.CreateVersion7()}, {type}, {jobId}, now(), 0, {ownerId})
            """, ct);
    }

    /// <summary>Runs <paramref name="work"/> in the current transaction, or in a new one it commits.</summary>
    public static async Task<T> InTransactionAsync<T>(BackendDbContext db, Func<Task<T>> work, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await work();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await work();
        await transaction.CommitAsync(ct);
        return result;
    }
}
