using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.Persistence;
using Connectra.Backend.Application.Writing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Connectra.Backend.Infrastructure.Persistence;

/// <summary>
/// The API's writes of one entity: a row, its metadata and its outbox messages in one transaction, guarded by the
/// row's version (docs/writes.md#concurrency).
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

    public static async Task SaveAsync<TRow, TMeta>(
        BackendDbContext db, TRow row, TMeta metadata, long? expectedVersion, IReadOnlyList<OutboxMessage> outbox, CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        db.ChangeTracker.Clear();
        if (row.Id == 0)
        {
            db.Add(row);
        }
        else
        {
            db.Update(row);
            // The update only lands while the row is still at the version this write started from.
            db.Entry(row).Property(r => r.Version).OriginalValue =
                expectedVersion ?? throw new ArgumentException("an update needs the version it started from", nameof(expectedVersion));
        }

        if (metadata.Id == 0)
        {
            db.Add(metadata);
        }
        else
        {
            db.Update(metadata);
        }

        db.AddRange(outbox);
        try
        {
            // One SaveChanges is one transaction: the record and what Connectra must receive commit together or not at all.
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new WriteRefusedException(WriteRefusal.Conflict, "",
                "the record was changed by another write meanwhile; read it again and retry");
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new WriteRefusedException(WriteRefusal.Conflict, "uuid", "a record with this uuid was created meanwhile");
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
