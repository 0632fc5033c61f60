using Connectra.Backend.Application.Outbox;
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
    /// Every write of a batch in a few set-based statements inside one transaction (its own, or the surrounding one): the records,
    /// what Connectra must receive and the change feed's events commit together or not at all.
    /// </summary>
    public static async Task SaveAsync<TRow, TMeta>(BackendDbContext db, IReadOnlyList<RecordWrite<TRow, TMeta>> writes, CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        if (db.Database.CurrentTransaction is not null)
        {
            await SaveRowsAsync(db, writes, ct);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await SaveRowsAsync(db, writes, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// The batch as a few set-based statements (<see cref="BulkTable"/>), whatever its size: new rows, new metadata and
    /// the outbox messages each with one <c>COPY</c> (one plain statement for a single record), changed rows and changed metadata each with one <c>UPDATE … FROM</c>
    /// a staging table. A changed row lands only while it is still at the version its write started from.
    /// </summary>
    private static async Task SaveRowsAsync<TRow, TMeta>(BackendDbContext db, IReadOnlyList<RecordWrite<TRow, TMeta>> writes, CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        var changed = writes.Where(w => w.Row.Id != 0).ToList();
        if (changed.Any(w => w.ExpectedVersion is not { } expected || expected != w.Row.Version - 1))
        {
            throw new ArgumentException("an update needs the version it started from, one below its own", nameof(writes));
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var (rows, metadata) = (BulkTable.Of<TRow>(db), BulkTable.Of<TMeta>(db));
        var one = writes.Count == 1;
        try
        {
            await rows.InsertAsync(connection, [.. writes.Where(w => w.Row.Id == 0).Select(w => (object)w.Row)], ct);
            if (await rows.UpdateAsync(connection, [.. changed.Select(w => (object)w.Row)], nameof(IWritableRow.Version), ct) != changed.Count)
            {
                throw new WriteRefusedException(WriteRefusal.Conflict, "", one
                    ? "the record was changed by another write meanwhile; read it again and retry"
                    : "a record was changed by another write meanwhile; send the batch again");
            }

            // Split before inserting: an insert gives its rows their ids.
            var newMetadata = writes.Where(w => w.Metadata.Id == 0).Select(w => (object)w.Metadata).ToList();
            var changedMetadata = writes.Where(w => w.Metadata.Id != 0).Select(w => (object)w.Metadata).ToList();
            await metadata.InsertAsync(connection, newMetadata, ct);
            await metadata.UpdateAsync(connection, changedMetadata, null, ct);
            await BulkTable.Of<OutboxMessage>(db).InsertAsync(connection, [.. writes.SelectMany(w => w.Outbox)], ct);
            await ChangeEventLog.AppendAsync(connection, [.. writes.Select(w => w.Change)], ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw one
                ? new WriteRefusedException(WriteRefusal.Conflict, "uuid", "a record with this uuid was created meanwhile")
                : new WriteRefusedException(WriteRefusal.Conflict, "", "a record of the batch was created by another write meanwhile; send the batch again");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new WriteRefusedException(WriteRefusal.Unprocessable, "company_id", "the company does not exist");
        }
    }
}
