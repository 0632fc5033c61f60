using Connectra.Backend.Application.Changes;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.Writing;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.Infrastructure;
using Connectra.Backend.Infrastructure.Changes;
using Connectra.Backend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.FunctionalTests.Changes;

public sealed class ChangeOrderDatabase() : ScratchDatabase("change_order_test")
{
    public DbContextOptions<BackendDbContext> Options { get; private set; } = null!;

    protected override async Task PrepareAsync(CancellationToken ct)
    {
        Options = (DbContextOptions<BackendDbContext>)DependencyInjection.Configure(new DbContextOptionsBuilder<BackendDbContext>(), DataSource).Options;
        await using var db = new BackendDbContext(Options);
        await db.Database.MigrateAsync(ct);
    }
}

/// <summary>
/// The feed's ordering promise (docs/webhooks.md#ordering): a reader that follows the cursor while writers commit
/// concurrently never passes a number that a write still in flight will commit later.
/// </summary>
public sealed class ChangeOrderTests(ChangeOrderDatabase database) : IClassFixture<ChangeOrderDatabase>
{
    private const int Writers = 8;
    private const int WritesEach = 60;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_reader_following_eight_concurrent_writers_sees_every_event_once_in_sequence_order()
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        long start;
        await using (var before = new BackendDbContext(database.Options))
        {
            // The class's other test writes into the same database, before or after this one.
            start = await before.ChangeEvents.MaxAsync(e => (long?)e.Sequence, Ct) ?? 0;
        }

        var seen = new List<long>();
        var reader = Task.Run(async () =>
        {
            var cursor = start;
            var finalPass = false;
            while (true)
            {
                await using var db = new BackendDbContext(database.Options);
                var page = await new ChangeFeedStore(db).ReadAsync(cursor, 50, [], Ct);
                seen.AddRange(page.Select(e => e.Sequence));
                cursor = page.Count > 0 ? page[^1].Sequence : cursor;
                if (page.Count == 0 && finalPass)
                {
                    return;
                }

                // One more pass once the writers are done drains what they committed last.
                finalPass = done.IsCancellationRequested;
            }
        }, Ct);

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteManyAsync(w), Ct)));
        await done.CancelAsync();
        await reader;

        await using var check = new BackendDbContext(database.Options);
        var committed = await check.ChangeEvents.Where(e => e.Sequence > start).OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync(Ct);
        Assert.Equal(Writers * WritesEach, committed.Count);
        // Every committed event reached the reader exactly once and in order: none committed behind its cursor.
        Assert.Equal(committed, seen);
    }

    [Fact]
    public async Task A_batch_that_fails_records_no_event_and_the_next_write_does()
    {
        var uuid = Guid.NewGuid().ToString("D");
        await WithWritesAsync(w => w.SaveAsync([new(new Contact { Uuid = uuid, Title = "one" }, new ContactMetadata { Uuid = uuid }, null)], Ct));

        // A second create of the same uuid is refused by the unique index: its event must not survive it.
        await Assert.ThrowsAsync<WriteRefusedException>(() =>
            WithWritesAsync(w => w.SaveAsync([new(new Contact { Uuid = uuid, Title = "two" }, new ContactMetadata { Uuid = uuid }, null)], Ct)));
        (Contact Row, ContactMetadata Metadata)? stored = null;
        await WithWritesAsync(async w => stored = await w.FindAsync(uuid, Ct));
        await WithWritesAsync(w => w.SaveAsync([new(new Contact { Uuid = uuid, Title = "three" }, new ContactMetadata { Uuid = uuid }, stored)], Ct));

        await using var db = new BackendDbContext(database.Options);
        var events = await db.ChangeEvents.Where(e => e.Uuid == uuid).OrderBy(e => e.Sequence).ToListAsync(Ct);
        Assert.Equal([(ChangeTypes.ContactCreated, 1L), (ChangeTypes.ContactUpdated, 2L)], events.Select(e => (e.Type, e.Version)));
        Assert.Equal(["title"], events[1].ChangedFields!);
    }

    [Fact]
    public async Task Events_are_numbered_when_their_transaction_commits_not_when_they_are_written()
    {
        var (first, second) = (Guid.NewGuid().ToString("D"), Guid.NewGuid().ToString("D"));
        await using var open = new BackendDbContext(database.Options);
        using var signal = new OutboxSignal();
        var writes = new WriteService<Contact, ContactMetadata>(
            new ContactWriteRules(new CompanyRepository(open)), new ContactRepository(open), signal, TimeProvider.System);
        await using (var transaction = await open.Database.BeginTransactionAsync(Ct))
        {
            await writes.SaveAsync([new(new Contact { Uuid = first, Title = "written first" }, new ContactMetadata { Uuid = first }, null)], Ct);

            // Another write commits while the first is still open: it must not wait for it, and it comes first in the feed.
            await WithWritesAsync(w => w.SaveAsync([new(new Contact { Uuid = second, Title = "committed first" }, new ContactMetadata { Uuid = second }, null)], Ct))
                .WaitAsync(TimeSpan.FromSeconds(10), Ct);
            await transaction.CommitAsync(Ct);
        }

        await using var db = new BackendDbContext(database.Options);
        var order = await db.ChangeEvents.Where(e => e.Uuid == first || e.Uuid == second).OrderBy(e => e.Sequence).Select(e => e.Uuid).ToListAsync(Ct);
        Assert.Equal([second, first], order);
        Assert.Equal(0, await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM change_events_pending").SingleAsync(Ct));
    }

    private async Task WriteManyAsync(int writer)
    {
        for (var i = 0; i < WritesEach; i++)
        {
            var uuid = $"w{writer}-{i}-{Guid.NewGuid():N}";
            await WithWritesAsync(w => w.SaveAsync([new(new Contact { Uuid = uuid, Title = "t" }, new ContactMetadata { Uuid = uuid }, null)], Ct));
        }
    }

    private async Task WithWritesAsync(Func<WriteService<Contact, ContactMetadata>, Task> use)
    {
        await using var db = new BackendDbContext(database.Options);
        using var signal = new OutboxSignal();
        await use(new WriteService<Contact, ContactMetadata>(
            new ContactWriteRules(new CompanyRepository(db)), new ContactRepository(db), signal, TimeProvider.System));
    }
}
