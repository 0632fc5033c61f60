using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.Writing;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.Infrastructure;
using Connectra.Backend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.FunctionalTests.Persistence;

/// <summary>One migrated database for the class; each test writes its own uuids.</summary>
public sealed class WriteServiceDatabase() : ScratchDatabase("write_service_test")
{
    public DbContextOptions<BackendDbContext> Options { get; private set; } = null!;

    protected override async Task PrepareAsync(CancellationToken ct)
    {
        Options = (DbContextOptions<BackendDbContext>)DependencyInjection.Configure(new DbContextOptionsBuilder<BackendDbContext>(), DataSource).Options;
        await using var db = new BackendDbContext(Options);
        await db.Database.MigrateAsync(ct);
    }
}

public sealed class WriteServiceTests(WriteServiceDatabase database) : IClassFixture<WriteServiceDatabase>
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_in_which_one_record_moved_meanwhile_stores_none_of_it()
    {
        var clock = new SteppingClock(Start);
        var (a, b) = (Uuid(), Uuid());
        await SaveAsync(clock, (a, "first"), (b, "first"));
        var staleA = await FindAsync(clock, a);
        var staleB = await FindAsync(clock, b);
        await SaveAsync(clock, (b, "moved"));

        var refused = await Assert.ThrowsAsync<WriteRefusedException>(() => WithWritesAsync(clock, writes => writes.SaveAsync(
            [Change(a, "batch", staleA), Change(b, "batch", staleB)], Ct)));

        Assert.Equal(WriteRefusal.Conflict, refused.Refusal);
        await using var db = new BackendDbContext(database.Options);
        var stored = await db.Contacts.AsNoTracking().Where(c => c.Uuid == a || c.Uuid == b).ToDictionaryAsync(c => c.Uuid, Ct);
        Assert.Equal(("first", 1L), (stored[a].Title, stored[a].Version));
        Assert.Equal(("moved", 2L), (stored[b].Title, stored[b].Version));
        Assert.Equal(3, await db.Outbox.CountAsync(m => m.Uuid == a || m.Uuid == b, Ct));
    }

    [Fact]
    public async Task A_record_brought_back_from_deletion_starts_its_life_again_under_its_next_version()
    {
        var clock = new SteppingClock(Start);
        var uuid = Uuid();
        await SaveAsync(clock, (uuid, "first"));
        clock.Advance(TimeSpan.FromDays(1));
        var live = await FindAsync(clock, uuid);
        await WithWritesAsync(clock, writes => writes.SaveAsync([new(live!.Value.Row, live.Value.Metadata, live, Delete: true)], Ct));
        clock.Advance(TimeSpan.FromDays(1));

        await SaveAsync(clock, (uuid, "again"));

        var stored = (await FindAsync(clock, uuid))!.Value.Row;
        Assert.Equal((3L, Start.AddDays(2), Start.AddDays(2), (DateTimeOffset?)null), (stored.Version, stored.CreatedAt, stored.UpdatedAt!.Value, stored.DeletedAt));
        await using var db = new BackendDbContext(database.Options);
        var payloads = await db.Outbox.AsNoTracking().Where(m => m.Uuid == uuid).OrderBy(m => m.Id).Select(m => m.Payload!).ToListAsync(Ct);
        Assert.Equal(3, payloads.Count);
        Assert.Contains("__deleted__", payloads[1], StringComparison.Ordinal);
        Assert.Contains("\"title\":\"again\"", payloads[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_that_names_one_record_twice_is_refused_before_anything_is_written()
    {
        var clock = new SteppingClock(Start);
        var uuid = Uuid();

        await Assert.ThrowsAsync<ArgumentException>(() => WithWritesAsync(clock, writes => writes.SaveAsync(
            [Change(uuid, "one", null), Change(uuid, "two", null)], Ct)));

        Assert.Null(await FindAsync(clock, uuid));
    }

    private static string Uuid() => Guid.NewGuid().ToString("D");

    private static RecordChange<Contact, ContactMetadata> Change(string uuid, string title, (Contact Row, ContactMetadata Metadata)? stored) =>
        new(new Contact { Uuid = uuid, Title = title }, new ContactMetadata { Uuid = uuid }, stored);

    private async Task SaveAsync(TimeProvider clock, params (string Uuid, string Title)[] records)
    {
        var changes = new List<RecordChange<Contact, ContactMetadata>>();
        foreach (var (uuid, title) in records)
        {
            changes.Add(Change(uuid, title, await FindAsync(clock, uuid)));
        }

        await WithWritesAsync(clock, writes => writes.SaveAsync(changes, Ct));
    }

    private async Task<(Contact Row, ContactMetadata Metadata)?> FindAsync(TimeProvider clock, string uuid)
    {
        (Contact, ContactMetadata)? found = null;
        await WithWritesAsync(clock, async writes => found = await writes.FindAsync(uuid, Ct));
        return found;
    }

    private async Task WithWritesAsync(TimeProvider clock, Func<WriteService<Contact, ContactMetadata>, Task> use)
    {
        await using var db = new BackendDbContext(database.Options);
        using var signal = new OutboxSignal();
        await use(new WriteService<Contact, ContactMetadata>(
            new ContactWriteRules(new CompanyRepository(db)), new ContactRepository(db), signal, clock));
    }
}
