using Connectra.Backend.Application.Persistence;
using Connectra.Backend.Application.Writing;
using Connectra.Backend.Infrastructure.Changes;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Connectra.Backend.Infrastructure.Persistence;

/// <summary>
/// The write side of one entity for <c>WriteService</c>: rows, their metadata and their outbox messages in one
/// transaction, each row guarded by its version (docs/writes.md#concurrency).
/// </summary>
internal static class RecordStore
{
    public static async Task<(TRow Row, TMeta Metadata)?> FindForWriteAsync<TRow, TMeta>(
        BackendDbContext db, string uuid, Func<string, TMeta> emptyMetadata, CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        var row = await db.Set<TRow>().AsNoTracking().SingleOrDefaultAsync(r => r.Uuid == uuid, ct);
        if (row is null)
        {
            return null;
        }

        // Metadata is 1:1 by uuid without a foreign key (the original schema), so a row may lack it.
        var metadata = await db.Set<TMeta>().AsNoTracking().SingleOrDefaultAsync(m => m.Uuid == uuid, ct);
        return (row, metadata ?? emptyMetadata(uuid));
    }

    /// <param name="locked">The rows of the uuids, read <c>FOR UPDATE</c> in uuid order (so two imports lock alike, never crosswise).</param>
    public static async Task<IReadOnlyDictionary<string, (TRow Row, TMeta Metadata)>> LockForWriteAsync<TRow, TMeta>(
        BackendDbContext db, IQueryable<TRow> locked, IReadOnlyCollection<string> uuids, Func<string, TMeta> emptyMetadata, CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("a lock lasts only as long as a transaction; run this inside IWriteTransaction");
        }

        if (uuids.Count == 0)
        {
            return new Dictionary<string, (TRow, TMeta)>();
        }

        var rows = await locked.AsNoTracking().ToListAsync(ct);
        var metadata = await db.Set<TMeta>().AsNoTracking()
            .Where(m => uuids.Contains(m.Uuid))
            .ToDictionaryAsync(m => m.Uuid, StringComparer.Ordinal, ct);
        return rows.ToDictionary(r => r.Uuid, r => (r, metadata.GetValueOrDefault(r.Uuid) ?? emptyMetadata(r.Uuid)), StringComparer.Ordinal);
    }

    /// <summary>
    /// Every write of a batch in one SaveChanges inside one transaction (its own, or the surrounding one): the records,
    /// what Connectra must receive and the change feed's events commit together or not at all.
    /// </summary>
    public static async Task SaveAsync<TRow, TMeta>(
        BackendDbContext db, PendingChanges changes, IReadOnlyList<RecordWrite<TRow, TMeta>> writes, CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        if (db.Database.CurrentTransaction is not null)
        {
            // The surrounding transaction records the change events just before it commits (WriteTransaction).
            await SaveRowsAsync(db, writes, ct);
            changes.Stage(writes.Select(w => w.Change));
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await SaveRowsAsync(db, writes, ct);
            changes.Stage(writes.Select(w => w.Change));
            await changes.RecordAsync(ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            changes.Discard();
        }
    }

    private static async Task SaveRowsAsync<TRow, TMeta>(BackendDbContext db, IReadOnlyList<RecordWrite<TRow, TMeta>> writes, CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        db.ChangeTracker.Clear();
        foreach (var write in writes)
        {
            if (write.Row.Id == 0)
            {
                db.Add(write.Row);
            }
            else
            {
                db.Update(write.Row);
                // The update only lands while the row is still at the version this write started from.
                db.Entry(write.Row).Property(r => r.Version).OriginalValue =
                    write.ExpectedVersion ?? throw new ArgumentException("an update needs the version it started from", nameof(writes));
            }

            if (write.Metadata.Id == 0)
            {
                db.Add(write.Metadata);
            }
            else
            {
                db.Update(write.Metadata);
            }

            db.AddRange(write.Outbox);
        }

        var one = writes.Count == 1;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new WriteRefusedException(WriteRefusal.Conflict, "", one
                ? "the record was changed by another write meanwhile; read it again and retry"
                : "a record was changed by another write meanwhile; send the batch again");
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw one
                ? new WriteRefusedException(WriteRefusal.Conflict, "uuid", "a record with this uuid was created meanwhile")
                : new WriteRefusedException(WriteRefusal.Conflict, "", "a record of the batch was created by another write meanwhile; send the batch again");
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation })
        {
            throw new WriteRefusedException(WriteRefusal.Unprocessable, "company_id", "the company does not exist");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
