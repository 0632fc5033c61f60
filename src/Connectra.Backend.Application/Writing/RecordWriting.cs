using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.Persistence;

namespace Connectra.Backend.Application.Writing;

/// <summary>One writable field: its JSON name, whether it sits in the body's <c>metadata</c> object, how its value is read, and where it is kept.</summary>
public sealed record WriteField<TRow, TMeta>(
    string Name, bool InMetadata, WriteValue Value, Func<TRow, TMeta, object?> Get, Action<TRow, TMeta, object?> Set);

/// <summary>What differs between writing contacts and writing companies.</summary>
public interface IWriteRules<TRow, TMeta>
    where TRow : class, IWritableRow
    where TMeta : class, IUuidRow
{
    /// <summary>"Contact not found" and the like.</summary>
    string NotFound { get; }

    /// <summary>"contact" or "company": what the change feed's event types start with.</summary>
    string Entity { get; }

    /// <summary>The one table of writable fields; the body's keys, their checks and their columns all come from it.</summary>
    IReadOnlyList<WriteField<TRow, TMeta>> Fields { get; }

    /// <summary>A new, empty record with this uuid.</summary>
    (TRow Row, TMeta Metadata) Empty(string uuid);

    /// <summary>A copy to change without touching the stored one.</summary>
    (TRow Row, TMeta Metadata) Copy(TRow row, TMeta metadata);

    /// <summary>Checks that need the database (a company that must exist): 422 naming the field.</summary>
    Task CheckAsync(TRow row, TMeta metadata, CancellationToken ct);

    /// <summary>What Connectra must receive for this write, given the record before it (null for a create).</summary>
    IReadOnlyList<OutboxMessage> Outbox(TRow row, TMeta metadata, TRow? before, DateTimeOffset now);
}

/// <summary>
/// The write side of one entity (EF Core on PostgreSQL). Reads here serve writes only — the record to change, its
/// version — never an API read, which Connectra answers.
/// </summary>
public interface IRecordStore<TRow, TMeta>
    where TRow : class, IWritableRow
    where TMeta : class, IUuidRow
{
    /// <summary>The row (deleted or not) and its metadata, or null when the uuid was never written.</summary>
    Task<(TRow Row, TMeta Metadata)?> FindForWriteAsync(string uuid, CancellationToken ct);

    /// <summary>
    /// The rows (deleted or not) and metadata of those uuids that were written, locked until the surrounding
    /// <see cref="IWriteTransaction"/> ends, so no other write changes them between this read and the write built on it.
    /// </summary>
    Task<IReadOnlyDictionary<string, (TRow Row, TMeta Metadata)>> LockForWriteAsync(IReadOnlyCollection<string> uuids, CancellationToken ct);

    /// <summary>
    /// Inserts each record (a row without id) or updates it if its version is still the one it was read at, with the
    /// outbox messages, in one transaction. Only <see cref="WriteService{TRow, TMeta}"/> calls this: it is what stamps
    /// versions, timestamps and messages.
    /// </summary>
    /// <exception cref="WriteRefusedException">Another write got there first (409).</exception>
    Task SaveAsync(IReadOnlyList<RecordWrite<TRow, TMeta>> writes, CancellationToken ct);
}

public enum WriteRefusal
{
    /// <summary>409: the record changed (or appeared) meanwhile, or exists with other values.</summary>
    Conflict,

    /// <summary>412: If-Match names another version.</summary>
    PreconditionFailed,

    /// <summary>422: well-formed, but naming something that does not exist (a company).</summary>
    Unprocessable,
}

public sealed class WriteRefusedException(WriteRefusal refusal, string field, string detail) : Exception(detail)
{
    public WriteRefusal Refusal { get; } = refusal;

    /// <summary>The field at fault, for the problem's errors map; empty when none is.</summary>
    public string Field { get; } = field;
}
