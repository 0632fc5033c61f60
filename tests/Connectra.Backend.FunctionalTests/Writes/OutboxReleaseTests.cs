using Connectra.Backend.Application.Outbox;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.Infrastructure.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Connectra.Backend.FunctionalTests.Writes;

/// <summary>
/// Connectra's return seen by one replica makes every message that waits for it due in the shared table, so any
/// replica's next claim takes them; messages Connectra refused keep their back-off (docs/outbox.md#recovery). A claim
/// reads due rows in its index's order whatever the backlog (docs/outbox.md#table).
/// </summary>
public sealed class OutboxReleaseTests(ApiFactory api) : ApiTestBase(api)
{
    [Fact]
    public async Task Only_undelivered_messages_waiting_for_connectra_are_made_due_and_a_held_one_is_left_to_its_holder()
    {
        var now = DateTimeOffset.UtcNow;
        var later = now.AddSeconds(30);
        var waiting = await InsertAsync("waiting", later, waiting: true, lastError: "Connectra answered HTTP 503");
        var refused = await InsertAsync("refused", later, waiting: false, lastError: "Connectra answered HTTP 400");
        var delivered = await InsertAsync("delivered", later, waiting: true, lastError: "Connectra answered HTTP 503", deliveredAt: now);
        var alreadyDue = await InsertAsync("due", now.AddSeconds(-1), waiting: true, lastError: "Connectra answered HTTP 503");
        var held = await InsertAsync("held", later, waiting: true, lastError: "Connectra answered HTTP 503");

        int released;
        await using (var holder = new NpgsqlConnection(Api.ConnectionString))
        {
            await holder.OpenAsync(Ct);
            await using var claim = await holder.BeginTransactionAsync(Ct);
            await using (var lockHeld = new NpgsqlCommand($"SELECT id FROM connectra_outbox WHERE id = {held} FOR UPDATE", holder, claim))
            {
                await lockHeld.ExecuteScalarAsync(Ct);
            }

            await using var scope = Api.Services.CreateAsyncScope();
            released = await scope.ServiceProvider.GetRequiredService<IOutboxStore>().ReleaseWaitingAsync(now, Ct);
        }

        Assert.Equal(1, released);
        Assert.True(await DueAsync(waiting, now));
        Assert.False(await DueAsync(refused, now));
        Assert.False(await DueAsync(delivered, now));
        Assert.False(await DueAsync(held, now));
        Assert.True(await DueAsync(alreadyDue, now));

        // Another replica's claim: its own store, its own connection.
        await using var replica = Api.Services.CreateAsyncScope();
        await using var next = await replica.ServiceProvider.GetRequiredService<IOutboxStore>().ClaimAsync(OutboxEntity.Contact, 10, now, Ct);
        Assert.Equal(["due", "waiting"], next.Records.Select(r => r.Uuid).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_claim_reads_due_rows_in_order_without_sorting_the_backlog_even_before_statistics_exist()
    {
        // A table just filled by a bulk import, not yet analysed: a copy of the outbox in a schema of its own, dropped
        // with the transaction, so nothing else sees it and autovacuum cannot analyse it meanwhile.
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await using (var fill = new NpgsqlCommand("""
            CREATE SCHEMA backlog;
            CREATE TABLE backlog.connectra_outbox (LIKE public.connectra_outbox INCLUDING ALL);
            SET LOCAL search_path = backlog, public;
            INSERT INTO connectra_outbox (entity, uuid, payload, created_at, attempts, next_attempt_at)
            SELECT 'contact', md5(i::text), repeat('x', 600), now(), 0, now() - interval '1 hour' + i * interval '1 ms'
            FROM generate_series(1, 5000) i;
            """, connection, transaction))
        {
            await fill.ExecuteNonQueryAsync(Ct);
        }

        await using var explain = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + OutboxStore.ClaimHeads, connection, transaction);
        explain.Parameters.AddWithValue("entity", OutboxEntity.Contact);
        explain.Parameters.AddWithValue("now", DateTimeOffset.UtcNow);
        explain.Parameters.AddWithValue("max", 100);
        var plan = (string)(await explain.ExecuteScalarAsync(Ct))!;

        // Sorting means every pending row was read and checked first: ~60 ms here, seconds for a real backlog.
        Assert.DoesNotContain("\"Sort\"", plan, StringComparison.Ordinal);
        Assert.Contains("next_attempt_at", plan, StringComparison.Ordinal);
        await transaction.RollbackAsync(Ct);
    }

    private Task<long> InsertAsync(string uuid, DateTimeOffset nextAttemptAt, bool waiting, string lastError, DateTimeOffset? deliveredAt = null) =>
        Api.ScalarAsync($"""
            INSERT INTO connectra_outbox (entity, uuid, created_at, attempts, next_attempt_at, delivered_at, last_error, waiting_for_connectra)
            VALUES ('contact', '{uuid}', now(), 4, '{nextAttemptAt:O}', {(deliveredAt is { } at ? $"'{at:O}'" : "NULL")}, '{lastError}', {waiting})
            RETURNING id
            """, Ct);

    private async Task<bool> DueAsync(long id, DateTimeOffset now) =>
        await Api.ScalarAsync($"SELECT count(*) FROM connectra_outbox WHERE id = {id} AND next_attempt_at <= '{now:O}'", Ct) == 1;
}
