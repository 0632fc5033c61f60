using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.Writing;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.Infrastructure;
using Connectra.Backend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Connectra.Backend.FunctionalTests.Persistence;

public sealed class MigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrations_build_the_write_side_schema_on_an_empty_database_and_match_the_model()
    {
        var connectionString = TestDatabase.NewConnectionString("migration_test");
        await TestDatabase.CreateAsync(connectionString, Ct);
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var options = (DbContextOptions<BackendDbContext>)DependencyInjection
                .Configure(new DbContextOptionsBuilder<BackendDbContext>(), dataSource).Options;
            await using var db = new BackendDbContext(options);

            await db.Database.MigrateAsync(Ct);

            Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
            Assert.False(db.Database.HasPendingModelChanges(), "the model has changes no migration captures; add one");
            await using var command = dataSource.CreateCommand(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
            var tables = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync(Ct))
            {
                while (await reader.ReadAsync(Ct))
                {
                    tables.Add(reader.GetString(0));
                }
            }

            Assert.Equal(
                ["__EFMigrationsHistory", "change_events", "change_events_commits", "change_events_pending", "change_feed_horizon", "companies", "companies_metadata", "connectra_outbox", "contacts", "contacts_metadata", "saved_search_schedules", "saved_searches", "schedule_firings", "user_exports", "user_import_errors", "user_imports", "webhook_attempts", "webhook_deliveries", "webhook_subscriptions"],
                tables);
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    [Fact]
    public async Task Contacts_upsert_by_uuid_and_keep_their_creation_time()
    {
        var connectionString = TestDatabase.NewConnectionString("repository_test");
        await TestDatabase.CreateAsync(connectionString, Ct);
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var options = (DbContextOptions<BackendDbContext>)DependencyInjection
                .Configure(new DbContextOptionsBuilder<BackendDbContext>(), dataSource).Options;
            await using (var db = new BackendDbContext(options))
            {
                await db.Database.MigrateAsync(Ct);
            }

            var clock = new SteppingClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
            await UpsertAsync(options, clock, "Ada", "Engineer");
            clock.Advance(TimeSpan.FromDays(1));
            await UpsertAsync(options, clock, "Ada", "CTO");

            await using var check = new BackendDbContext(options);
            var stored = await check.Contacts.AsNoTracking().SingleAsync(Ct);
            Assert.Equal("CTO", stored.Title);
            Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), stored.CreatedAt);
            Assert.Equal(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero), stored.UpdatedAt);
            Assert.Equal("https://linkedin.com/in/ada", (await check.ContactsMetadata.SingleAsync(Ct)).LinkedinUrl);
            // Each upsert is a write like any other: its version moves on and Connectra gets it through the outbox.
            Assert.Equal(2, stored.Version);
            var outbox = await check.Outbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync(Ct);
            Assert.Equal(2, outbox.Count);
            Assert.All(outbox, m => Assert.Equal(("contact", "c-1"), (m.Entity, m.Uuid)));
            Assert.Contains("\"title\":\"CTO\"", outbox[1].Payload, StringComparison.Ordinal);
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    private static async Task UpsertAsync(DbContextOptions<BackendDbContext> options, TimeProvider clock, string name, string title)
    {
        await using var db = new BackendDbContext(options);
        using var signal = new OutboxSignal();
        var writes = new WriteService<Contact, ContactMetadata>(
            new ContactWriteRules(new CompanyRepository(db)), new ContactRepository(db), signal, clock);
        var stored = await writes.FindAsync("c-1", Ct);
        await writes.SaveAsync(
            [new(new() { Uuid = "c-1", FirstName = name, Title = title, Departments = ["engineering"] },
                 new() { Uuid = "c-1", LinkedinUrl = "https://linkedin.com/in/ada" }, stored)],
            Ct);
    }
}
