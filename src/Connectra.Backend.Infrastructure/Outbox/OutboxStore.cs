using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Connectra.Backend.Infrastructure.Outbox;

/// <summary>
/// <c>connectra_outbox</c> in plain SQL: a claim is a transaction holding row locks (<c>FOR UPDATE SKIP LOCKED</c>)
/// across the calls to Connectra, so any number of replicas dispatch side by side, and a dispatcher that dies
/// mid-batch loses nothing: its locks go with its connection and the rows are due again (docs/outbox.md#claims).
/// </summary>
internal sealed class OutboxStore(NpgsqlDataSource dataSource, BackendDbContext db) : IOutboxStore
{
    // A record is due when its oldest undelivered message is due, no other dispatcher holds it, and no company any of
    // its undelivered messages names is itself undelivered: Connectra copies the company into the contact when the
    // contact is written, so the company goes first. Both checks are scalar subqueries on purpose: PostgreSQL runs
    // them per candidate through the (entity, uuid, id) index, whereas the equivalent NOT EXISTS becomes an anti-join
    // that a fresh table's missing statistics can turn quadratic.
    internal const string ClaimHeads = """
        SELECT o.uuid
        FROM connectra_outbox o
        WHERE o.entity = @entity AND o.delivered_at IS NULL AND o.next_attempt_at <= @now
          AND o.id = (
              SELECT min(first.id) FROM connectra_outbox first
              WHERE first.entity = o.entity AND first.uuid = o.uuid AND first.delivered_at IS NULL)
          AND (
              SELECT count(*) FROM connectra_outbox mine
              WHERE mine.entity = o.entity AND mine.uuid = o.uuid AND mine.delivered_at IS NULL AND mine.depends_on IS NOT NULL
                AND (
                    SELECT count(*) FROM connectra_outbox company
                    WHERE company.entity = 'company' AND company.uuid = mine.depends_on AND company.delivered_at IS NULL) > 0) = 0
        ORDER BY o.next_attempt_at, o.id
        LIMIT @max
        FOR UPDATE OF o SKIP LOCKED
        """;

    // The rest of each claimed record's messages. Only a record's oldest message is ever claimed, so no other
    // dispatcher can be holding these.
    private const string ClaimMessages = """
        SELECT id, uuid, payload, sent_at IS NOT NULL, attempts
        FROM connectra_outbox
        WHERE entity = @entity AND uuid = ANY(@uuids) AND delivered_at IS NULL
        ORDER BY uuid, id
        FOR UPDATE
        """;

    private const string Expand = """
        WITH due AS (
            SELECT o.id, o.uuid, o.created_at
            FROM connectra_outbox o
            WHERE o.entity = 'company-contacts' AND o.delivered_at IS NULL AND o.next_attempt_at <= @now
              AND (
                  SELECT count(*) FROM connectra_outbox company
                  WHERE company.entity = 'company' AND company.uuid = o.uuid AND company.delivered_at IS NULL) = 0
            ORDER BY o.id
            LIMIT @max
            FOR UPDATE OF o SKIP LOCKED
        ), refreshed AS (
            INSERT INTO connectra_outbox (entity, uuid, payload, depends_on, created_at, attempts, next_attempt_at)
            SELECT DISTINCT ON (c.uuid) 'contact', c.uuid, NULL, c.company_id, due.created_at, 0, @now
            FROM due JOIN contacts c ON c.company_id = due.uuid AND c.deleted_at IS NULL
            ORDER BY c.uuid, due.created_at
            RETURNING 1
        )
        UPDATE connectra_outbox SET delivered_at = @now WHERE id IN (SELECT id FROM due)
        """;

    public async Task<IOutboxClaim> ClaimAsync(string entity, int max, DateTimeOffset now, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var transaction = await BeginAsync(connection, ct);
            var uuids = new List<string>();
            await using (var heads = Command(connection, transaction, ClaimHeads))
            {
                heads.Parameters.AddWithValue("entity", entity);
                heads.Parameters.AddWithValue("now", now);
                heads.Parameters.AddWithValue("max", max);
                await using var reader = await heads.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    uuids.Add(reader.GetString(0));
                }
            }

            var records = uuids.Count == 0 ? [] : await MessagesAsync(connection, transaction, entity, uuids, ct);
            return new Claim(connection, transaction, records);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<List<PendingRecord>> MessagesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string entity, List<string> uuids, CancellationToken ct)
    {
        var rows = new List<(long Id, string Uuid, string? Payload, bool Sent, int Attempts)>();
        await using (var command = Command(connection, transaction, ClaimMessages))
        {
            command.Parameters.AddWithValue("entity", entity);
            command.Parameters.AddWithValue("uuids", uuids.ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3), reader.GetInt32(4)));
            }
        }

        return
        [
            .. rows.GroupBy(r => r.Uuid, StringComparer.Ordinal).Select(g => new PendingRecord(
                g.Key,
                [.. g.Select(r => r.Id)],
                g.Last().Payload,
                g.All(r => r.Sent),
                g.Max(r => r.Attempts))),
        ];
    }

    public async Task<int> ExpandCompanyContactsAsync(int max, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await BeginAsync(connection, ct);
        await using var command = Command(connection, transaction, Expand);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("max", max);
        var expanded = await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return expanded;
    }

    /// <summary>
    /// A transaction without JIT compilation. The claim's per-candidate checks make the planner's cost estimate huge
    /// although the scan stops after one batch, and compiling for that estimate costs far more than running the query.
    /// </summary>
    private static async Task<NpgsqlTransaction> BeginAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var transaction = await connection.BeginTransactionAsync(ct);
        await using var noJit = Command(connection, transaction, "SET LOCAL jit = off");
        await noJit.ExecuteNonQueryAsync(ct);
        return transaction;
    }

    public async Task<IReadOnlyDictionary<string, string>> CurrentPayloadsAsync(string entity, IReadOnlyList<string> uuids, CancellationToken ct)
    {
        var wanted = uuids.ToArray();
        if (entity == OutboxEntity.Company)
        {
            var companies = await db.Companies.AsNoTracking().Where(c => wanted.Contains(c.Uuid)).ToListAsync(ct);
            var metadata = await db.CompaniesMetadata.AsNoTracking().Where(m => wanted.Contains(m.Uuid)).ToDictionaryAsync(m => m.Uuid, ct);
            return companies.ToDictionary(c => c.Uuid, c => ConnectraRecords.Payload(c, metadata.GetValueOrDefault(c.Uuid) ?? new() { Uuid = c.Uuid }));
        }

        var contacts = await db.Contacts.AsNoTracking().Where(c => wanted.Contains(c.Uuid)).ToListAsync(ct);
        var contactMetadata = await db.ContactsMetadata.AsNoTracking().Where(m => wanted.Contains(m.Uuid)).ToDictionaryAsync(m => m.Uuid, ct);
        return contacts.ToDictionary(c => c.Uuid, c => ConnectraRecords.Payload(c, contactMetadata.GetValueOrDefault(c.Uuid) ?? new() { Uuid = c.Uuid }));
    }

    public async Task<OutboxLag> LagAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*), min(created_at),
                   (SELECT last_error FROM connectra_outbox
                    WHERE delivered_at IS NULL AND last_error IS NOT NULL ORDER BY next_attempt_at DESC LIMIT 1),
                   count(*) FILTER (WHERE last_error IS NOT NULL)
            FROM connectra_outbox WHERE delivered_at IS NULL
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new OutboxLag(
            reader.GetInt64(0),
            reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetInt64(3));
    }

    public async Task<int> ReleaseWaitingAsync(DateTimeOffset now, CancellationToken ct)
    {
        // SKIP LOCKED: a claim holds its rows across its calls to Connectra, and waiting for it would stall the release
        // for as long as those calls take. What it holds gets its next try from that claim's own outcome.
        await using var command = dataSource.CreateCommand("""
            UPDATE connectra_outbox SET next_attempt_at = @now
            WHERE id IN (
                SELECT id FROM connectra_outbox
                WHERE delivered_at IS NULL AND waiting_for_connectra AND next_attempt_at > @now
                FOR UPDATE SKIP LOCKED)
            """);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<int> PurgeDeliveredAsync(DateTimeOffset before, CancellationToken ct)
    {
        // In slices, so a purge after a busy week never holds a long lock or a long transaction.
        var total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand("""
                DELETE FROM connectra_outbox
                WHERE id IN (SELECT id FROM connectra_outbox WHERE delivered_at < @before LIMIT 10000)
                """);
            command.Parameters.AddWithValue("before", before);
            var deleted = await command.ExecuteNonQueryAsync(ct);
            total += deleted;
            if (deleted < 10000)
            {
                return total;
            }
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql) =>
        new(sql, connection, transaction);

    private sealed class Claim(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<PendingRecord> records) : IOutboxClaim
    {
        public IReadOnlyList<PendingRecord> Records => records;

        public Task SentAsync(IReadOnlyCollection<PendingRecord> sent, DateTimeOffset now, DateTimeOffset checkAt, CancellationToken ct) =>
            UpdateAsync(
                """
                UPDATE connectra_outbox SET sent_at = @now, attempts = attempts + 1, next_attempt_at = @at, last_error = NULL,
                    waiting_for_connectra = false
                WHERE id = ANY(@ids)
                """,
                sent, now, checkAt, null, false, ct);

        public Task DeliveredAsync(IReadOnlyCollection<PendingRecord> delivered, DateTimeOffset now, CancellationToken ct) =>
            UpdateAsync("UPDATE connectra_outbox SET delivered_at = @now WHERE id = ANY(@ids)", delivered, now, now, null, false, ct);

        public Task FailedAsync(
            IReadOnlyCollection<PendingRecord> failed, string reason, DateTimeOffset retryAt, bool waitingForConnectra, CancellationToken ct) =>
            UpdateAsync(
                """
                UPDATE connectra_outbox SET attempts = attempts + 1, next_attempt_at = @at, last_error = @reason,
                    waiting_for_connectra = @waiting
                WHERE id = ANY(@ids)
                """,
                failed, retryAt, retryAt, reason, waitingForConnectra, ct);

        public Task CommitAsync(CancellationToken ct) => transaction.CommitAsync(ct);

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }

        private async Task UpdateAsync(
            string sql, IReadOnlyCollection<PendingRecord> which, DateTimeOffset now, DateTimeOffset at, string? reason, bool waiting, CancellationToken ct)
        {
            await using var command = Command(connection, transaction, sql);
            command.Parameters.AddWithValue("ids", which.SelectMany(r => r.MessageIds).ToArray());
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("at", at);
            command.Parameters.AddWithValue("waiting", waiting);
            command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text)
            {
                Value = reason is null ? DBNull.Value : reason[..Math.Min(reason.Length, OutboxMessage.MaxErrorLength)],
            });
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
