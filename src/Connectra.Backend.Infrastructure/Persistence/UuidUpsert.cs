using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.Persistence;
using Connectra.Backend.Application.Writing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Connectra.Backend.Infrastructure.Persistence;

/// <summary>
/// Insert-or-overwrite by the natural key <c>uuid</c> for bulk ingest (docs/sales-navigator.md#saving): every column is replaced; a
/// row keeps its surrogate id and creation time, moves to its next version and gets its outbox messages in the same
/// transaction, exactly as an API write would (docs/writes.md).
/// </summary>
internal static class UuidUpsert
{
    /// <param name="outbox">What Connectra must receive for one row; the flag says whether it existed before.</param>
    public static async Task UpsertWithMetadataAsync<TRow, TMetadata>(
        this BackendDbContext db,
        IReadOnlyList<(TRow Row, TMetadata Metadata)> items,
        DateTimeOffset now,
        Func<TRow, TMetadata, bool, IEnumerable<OutboxMessage>> outbox,
        CancellationToken ct)
        where TRow : class, IWritableRow
        where TMetadata : class, IUuidRow
    {
        db.ChangeTracker.Clear();
        // Inside an IWriteTransaction (an import writing companies and contacts together) the caller commits.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var existed = await UpsertAsync(db.Set<TRow>(), [.. items.Select(i => i.Row)], (incoming, stored) =>
        {
            incoming.CreatedAt = stored?.CreatedAt ?? now;
            incoming.UpdatedAt = now;
            incoming.DeletedAt = null;
            // The stored row's version is the concurrency token: an API write in between makes this one fail, not vanish.
            incoming.Version = (stored?.Version ?? 0) + 1;
        }, ct);
        await UpsertAsync(db.Set<TMetadata>(), [.. items.Select(i => i.Metadata)], (_, _) => { }, ct);

        // One message per record, for its last state in the batch.
        var last = items.GroupBy(i => i.Row.Uuid, StringComparer.Ordinal).Select(g => g.Last());
        db.AddRange(last.SelectMany(i => outbox(i.Row, i.Metadata, existed.Contains(i.Row.Uuid))));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new WriteRefusedException(WriteRefusal.Conflict, "", "a record was changed by another write meanwhile; send the batch again");
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new WriteRefusedException(WriteRefusal.Conflict, "", "a record of the batch was created by another write meanwhile; send the batch again");
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }

        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// The time as PostgreSQL stores it (microseconds): the rows an import answers with must show what a read of
    /// them would, and .NET keeps tenths of microseconds.
    /// </summary>
    public static DateTimeOffset StoredPrecision(DateTimeOffset time) => new(time.Ticks - (time.Ticks % 10), time.Offset);

    /// <returns>The uuids that were stored before.</returns>
    private static async Task<HashSet<string>> UpsertAsync<T>(DbSet<T> set, IReadOnlyList<T> rows, Action<T, T?> keep, CancellationToken ct)
        where T : class, IUuidRow
    {
        var uuids = rows.Select(r => r.Uuid).Distinct().ToList();
        var stored = await set.Where(row => uuids.Contains(EF.Property<string>(row, nameof(IUuidRow.Uuid)))).ToDictionaryAsync(r => r.Uuid, ct);
        var existed = stored.Keys.ToHashSet(StringComparer.Ordinal);

        foreach (var row in rows)
        {
            var existing = stored.GetValueOrDefault(row.Uuid);
            row.Id = existing?.Id ?? 0;
            keep(row, existing);
            if (existing is null)
            {
                set.Add(row);
                // A later duplicate in the same batch overwrites this one instead of clashing on the unique index.
                stored[row.Uuid] = row;
            }
            else
            {
                set.Entry(existing).CurrentValues.SetValues(row);
            }
        }

        return existed;
    }
}
