using Connectra.Backend.Application.Changes;
using Connectra.Backend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

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
/// The change events of a write, left in its transaction for PostgreSQL to number as the transaction commits
/// (docs/webhooks.md#ordering): the rows go to <c>change_events_pending</c>, and the transaction's mark in
/// <c>change_events_commits</c> fires a deferred trigger that moves them into <c>change_events</c> under the feed's
/// lock as the commit's last step. The writer never holds that lock, so concurrent writes wait for each other only
/// for the server's few statements, never for a round trip of theirs.
/// </summary>
internal static class ChangeEventLog
{
    // Field names come from the entities' field tables: none holds a comma (checked below), so one text per event carries them.
    private const string Append = """
        WITH marked AS (INSERT INTO change_events_commits DEFAULT VALUES ON CONFLICT DO NOTHING)
        INSERT INTO change_events_pending (event_id, type, uuid, occurred_at, version, changed_fields, owner_id)
        SELECT e.event_id, e.type, e.uuid, e.occurred_at, e.version, string_to_array(e.changed_fields, ','), e.owner_id
        FROM unnest(@event_ids, @types, @uuids, @occurred_at, @versions, @changed_fields, @owner_ids) WITH ORDINALITY
            AS e(event_id, type, uuid, occurred_at, version, changed_fields, owner_id, position)
        ORDER BY e.position
        """;

    /// <summary>
    /// Adds the events to the current transaction (the connection's; autocommit makes the statement its own): they are
    /// numbered, in this order, when it commits, and vanish with it when it rolls back.
    /// </summary>
    public static async Task AppendAsync(NpgsqlConnection connection, IReadOnlyList<ChangeEvent> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(Append, connection);
        command.Parameters.AddWithValue("event_ids", events.Select(e => e.EventId).ToArray());
        command.Parameters.AddWithValue("types", events.Select(e => e.Type).ToArray());
        command.Parameters.AddWithValue("uuids", events.Select(e => e.Uuid).ToArray());
        command.Parameters.AddWithValue("occurred_at", events.Select(e => e.OccurredAt).ToArray());
        command.Parameters.AddWithValue("versions", events.Select(e => e.Version).ToArray());
        command.Parameters.Add(new NpgsqlParameter<string?[]>("changed_fields", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            TypedValue = [.. events.Select(e => e.ChangedFields is { } fields ? Joined(fields) : null)],
        });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("owner_ids", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            TypedValue = [.. events.Select(e => e.OwnerId)],
        });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Adds the events to the context's current transaction.</summary>
    public static Task AppendAsync(BackendDbContext db, IReadOnlyList<ChangeEvent> events, CancellationToken ct) =>
        AppendAsync((NpgsqlConnection)db.Database.GetDbConnection(), events, ct);

    private static string Joined(List<string> fields) => fields.Any(f => f.Contains(',', StringComparison.Ordinal))
        ? throw new ArgumentException($"a field name holds a comma: {fields.First(f => f.Contains(',', StringComparison.Ordinal))}", nameof(fields))
        : string.Join(',', fields);
}
