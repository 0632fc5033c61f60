using Connectra.Backend.Application.Changes;
using Connectra.Backend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Changes;

/// <summary>
/// Events of users' jobs (<c>export.completed</c>, <c>import.failed</c>, <c>schedule.skipped</c> and the like) in the
/// change-event table, so webhooks deliver them through the one pipeline (docs/webhooks.md#events). Recorded in the
/// transaction that records the job's outcome and numbered at its commit like every event; they name
/// the job and its owner, whose subscriptions alone receive them, and never appear in the change feed.
/// </summary>
internal static class JobEvents
{
    /// <summary>Adds the event to the current transaction, so it commits with the job's outcome or not at all.</summary>
    public static Task RecordAsync(BackendDbContext db, string type, string jobId, string ownerId, CancellationToken ct) =>
        db.Database.CurrentTransaction is null
            ? throw new InvalidOperationException("job events are recorded inside the job's transaction")
            : ChangeEventLog.AppendAsync(db, [new ChangeEvent
            {
                EventId = Guid.CreateVersion7(), Type = type, Uuid = jobId, OccurredAt = DateTimeOffset.UtcNow, Version = 0, OwnerId = ownerId,
            }], ct);

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
