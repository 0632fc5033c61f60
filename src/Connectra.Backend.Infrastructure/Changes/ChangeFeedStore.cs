using Connectra.Backend.Application.Changes;
using Connectra.Backend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Connectra.Backend.Infrastructure.Changes;

internal sealed class ChangeFeedStore(BackendDbContext db) : IChangeFeedStore
{
    public async Task<IReadOnlyList<ChangeEvent>> ReadAsync(long after, int limit, IReadOnlyCollection<string> types, CancellationToken ct)
    {
        var query = db.Set<ChangeEvent>().AsNoTracking().Where(e => e.Sequence > after);
        if (types.Count > 0)
        {
            query = query.Where(e => types.Contains(e.Type));
        }

        return await query.OrderBy(e => e.Sequence).Take(limit).ToListAsync(ct);
    }

    public Task<long> PurgedThroughAsync(CancellationToken ct) =>
        db.Set<ChangeFeedHorizon>().AsNoTracking().Select(h => h.PurgedThrough).SingleAsync(ct);

    public async Task<long> HeadAsync(CancellationToken ct) =>
        // The purge may have emptied the table; the head is then where it stopped.
        Math.Max(await db.Set<ChangeEvent>().MaxAsync(e => (long?)e.Sequence, ct) ?? 0, await PurgedThroughAsync(ct));

    public async Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        // The horizon moves first, in the same transaction: a reader never sees events gone while their cursor passes.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var through = await db.Set<ChangeEvent>().Where(e => e.OccurredAt < cutoff).MaxAsync(e => (long?)e.Sequence, ct);
        if (through is not { } last)
        {
            return 0;
        }

        await db.Set<ChangeFeedHorizon>().Where(h => h.PurgedThrough < last)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.PurgedThrough, last), ct);
        var deleted = await db.Set<ChangeEvent>().Where(e => e.Sequence <= last).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return deleted;
    }
}

/// <summary>
/// Change events staged by the writes of one scope's transaction, recorded just before it commits
/// (docs/webhooks.md#ordering). Scoped: it shares the request's DbContext and transaction.
/// </summary>
internal sealed class PendingChanges(BackendDbContext db)
{
    /// <summary>The feed's advisory lock: held from drawing numbers until commit, so numbers follow commit order.</summary>
    internal const long FeedLock = 0x436861_6e676573; // "Changes"

    private readonly List<ChangeEvent> _events = [];

    public void Stage(IEnumerable<ChangeEvent> events) => _events.AddRange(events);

    public void Discard() => _events.Clear();

    /// <summary>
    /// Inserts the staged events inside the current transaction, which must commit right after: their numbers are
    /// drawn under a transaction-scoped lock that the commit releases, so no write can draw a lower number and commit
    /// later. The lock is taken last, after every row lock the write needed, so it is held only for the commit.
    /// </summary>
    public async Task RecordAsync(CancellationToken ct)
    {
        if (_events.Count == 0)
        {
            return;
        }

        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("change events are recorded inside the write's transaction");
        }

        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [FeedLock], ct);
        try
        {
            // One COPY, numbered from the identity in the events' order while the lock is held.
            await BulkTable.Of<ChangeEvent>(db).InsertAsync((NpgsqlConnection)db.Database.GetDbConnection(), [.. _events], ct);
        }
        finally
        {
            _events.Clear();
        }
    }
}
