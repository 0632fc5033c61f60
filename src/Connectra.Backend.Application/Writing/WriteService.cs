using Connectra.Backend.Application.Changes;
using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.Persistence;

namespace Connectra.Backend.Application.Writing;

/// <summary>
/// A record to store, and what is stored under its uuid now (null when the uuid was never written; deleted or not
/// otherwise). <paramref name="Delete"/> soft-deletes it instead (docs/writes.md#deletes).
/// </summary>
public sealed record RecordChange<TRow, TMeta>(TRow Row, TMeta Metadata, (TRow Row, TMeta Metadata)? Stored, bool Delete = false)
    where TRow : class, IWritableRow
    where TMeta : class, IUuidRow;

/// <summary>
/// One row ready for the store: stamped, with the version it must still be at, its outbox messages and the change
/// event the same transaction records.
/// </summary>
public sealed record RecordWrite<TRow, TMeta>(TRow Row, TMeta Metadata, long? ExpectedVersion, IReadOnlyList<OutboxMessage> Outbox, ChangeEvent Change)
    where TRow : class, IWritableRow
    where TMeta : class, IUuidRow;

/// <summary>
/// The one way contacts and companies are written (docs/writes.md#one-write-path), for the API's single records and
/// for batches alike: each record gets its next version, its timestamps and the outbox messages Connectra must receive
/// here and nowhere else, and the store saves a batch with its messages in one transaction, each row guarded by the
/// version it was read at. Callers decide what the records hold; this decides how they are stored.
/// </summary>
public sealed class WriteService<TRow, TMeta>(IWriteRules<TRow, TMeta> rules, IRecordStore<TRow, TMeta> store, OutboxSignal outbox, TimeProvider clock, Webhooks.WebhookSignal? webhooks = null)
    where TRow : class, IWritableRow
    where TMeta : class, IUuidRow
{
    /// <summary>The most records one <see cref="SaveAsync"/> takes: a batch is one statement batch and one transaction.</summary>
    public const int MaxBatch = 5_000;

    /// <summary>The entity's field table and record shapes.</summary>
    public IWriteRules<TRow, TMeta> Rules => rules;

    /// <summary>The row (deleted or not) and its metadata, or null when the uuid was never written.</summary>
    public Task<(TRow Row, TMeta Metadata)?> FindAsync(string uuid, CancellationToken ct) => store.FindForWriteAsync(uuid, ct);

    /// <summary>
    /// The stored records of those uuids, locked until the surrounding <see cref="IWriteTransaction"/> ends: a batch that
    /// merges into what is stored reads it here, so no other write lands between the read and the save.
    /// </summary>
    public Task<IReadOnlyDictionary<string, (TRow Row, TMeta Metadata)>> LockAsync(IReadOnlyCollection<string> uuids, CancellationToken ct) =>
        store.LockForWriteAsync(uuids, ct);

    /// <summary>
    /// Stores the records, each at most once, with their outbox messages, in one transaction (the surrounding one when
    /// there is one), then wakes the outbox dispatcher. The rows are stamped in place, so after the call they are
    /// exactly what was stored.
    /// </summary>
    /// <exception cref="WriteRefusedException">A record changed, or was created, by another write since it was read (409).</exception>
    public async Task SaveAsync(IReadOnlyList<RecordChange<TRow, TMeta>> changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(changes.Count, MaxBatch);
        if (changes.Count == 0)
        {
            return;
        }

        if (changes.Select(c => c.Row.Uuid).Distinct(StringComparer.Ordinal).Count() != changes.Count)
        {
            // Two versions of one record in one batch would race each other on the same version.
            throw new ArgumentException("a batch holds each record once", nameof(changes));
        }

        var now = StoredPrecision(clock.GetUtcNow());
        await store.SaveAsync([.. changes.Select(c => Stamp(c, now))], ct);
        outbox.Notify();
        webhooks?.Notify();
    }

    private RecordWrite<TRow, TMeta> Stamp(RecordChange<TRow, TMeta> change, DateTimeOffset now)
    {
        var (row, metadata) = (change.Row, change.Metadata);
        var before = change.Stored?.Row;
        // Read before stamping: a caller may hand in the stored row itself as the record to write.
        var (expected, keptCreation) = (before?.Version, before is { DeletedAt: null } live ? live.CreatedAt : (DateTimeOffset?)null);
        row.Id = before?.Id ?? 0;
        metadata.Id = change.Stored?.Metadata.Id ?? 0;
        // A record created, or brought back from deletion, starts its life now; a live one keeps its creation time.
        row.CreatedAt = keptCreation ?? now;
        row.UpdatedAt = now;
        row.DeletedAt = change.Delete ? now : null;
        // The stored version is the concurrency token: a write in between makes this one fail, never vanish.
        row.Version = (expected ?? 0) + 1;
        return new RecordWrite<TRow, TMeta>(row, metadata, expected, rules.Outbox(row, metadata, before, now), Change(change, before, now));
    }

    /// <summary>What the change feed says of this write: the kind, the version, and for an update which fields changed.</summary>
    private ChangeEvent Change(RecordChange<TRow, TMeta> change, TRow? before, DateTimeOffset now)
    {
        var kind = change.Delete ? ChangeKind.Deleted : before is { DeletedAt: null } ? ChangeKind.Updated : ChangeKind.Created;
        var changed = kind == ChangeKind.Updated && change.Stored is { } stored
            ? rules.Fields
                .Where(f => !SameValue(f.Get(stored.Row, stored.Metadata), f.Get(change.Row, change.Metadata)))
                .Select(f => f.InMetadata ? "metadata." + f.Name : f.Name)
                .Take(ChangeEvent.MaxChangedFields)
                .ToList()
            : null;
        return new ChangeEvent
        {
            EventId = Guid.CreateVersion7(now),
            Type = ChangeTypes.Of(rules.Entity, kind),
            Uuid = change.Row.Uuid,
            OccurredAt = now,
            Version = change.Row.Version,
            ChangedFields = changed,
        };
    }

    private static bool SameValue(object? a, object? b) => (a, b) switch
    {
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (System.Collections.IEnumerable x, System.Collections.IEnumerable y) => x.Cast<object?>().SequenceEqual(y.Cast<object?>()),
        _ => Equals(a, b),
    };

    /// <summary>
    /// The time as PostgreSQL stores it (microseconds): what a write answers must be what a read of it would show, and
    /// .NET keeps tenths of microseconds.
    /// </summary>
    private static DateTimeOffset StoredPrecision(DateTimeOffset time) => new(time.Ticks - (time.Ticks % 10), time.Offset);
}
