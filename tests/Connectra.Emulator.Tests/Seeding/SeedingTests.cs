using System.Text.Json;
using Connectra.Emulator.Seeding;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Connectra.Emulator.Tests.Seeding;

/// <summary>The seed command: deterministic, shaped like Connectra's imported data, searchable when it ends.</summary>
public sealed class SeedingTests
{
    [Fact]
    public async Task The_same_seed_gives_the_same_rows_and_a_searchable_index()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var first = await TestDatabase.CreateAsync(ct);
        await using var second = await TestDatabase.CreateAsync(ct);
        var folder = Path.Combine(Path.GetTempPath(), "emulator-seed-" + Guid.NewGuid().ToString("N"));
        try
        {
            Assert.True(await Seeder.RunAsync(Options(first, folder + "-1"), new SeedRequest(20, 200, 7, false), NullLoggerFactory.Instance, ct));
            Assert.True(await Seeder.RunAsync(Options(second, folder + "-2"), new SeedRequest(20, 200, 7, false), NullLoggerFactory.Instance, ct));

            Assert.Equal(await SnapshotAsync(first, ct), await SnapshotAsync(second, ct));

            await using var server = await EmulatorServer.StartAsync(
                new EmulatorServerOptions { ConnectionString = first.ConnectionString, ApiKey = "k", IndexPath = folder + "-1" }, ct);
            using var client = new HttpClient { BaseAddress = server.BaseUrl };
            client.DefaultRequestHeaders.Add("X-API-Key", "k");
            var count = JsonDocument.Parse(await (await client.PostAsync("/contacts/count", new StringContent("{}"), ct)).Content.ReadAsStringAsync(ct));
            Assert.Equal(200, count.RootElement.GetProperty("count").GetInt64());
        }
        finally
        {
            foreach (var suffix in new[] { "-1", "-2" })
            {
                if (Directory.Exists(folder + suffix))
                {
                    Directory.Delete(folder + suffix, recursive: true);
                }
            }
        }
    }

    [Fact]
    public async Task Seeding_a_seeded_database_changes_nothing_unless_forced()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(ct);
        var folder = Path.Combine(Path.GetTempPath(), "emulator-seed-" + Guid.NewGuid().ToString("N"));
        try
        {
            Assert.True(await Seeder.RunAsync(Options(database, folder), new SeedRequest(5, 30, 1, false), NullLoggerFactory.Instance, ct));
            Assert.False(await Seeder.RunAsync(Options(database, folder), new SeedRequest(5, 60, 1, false), NullLoggerFactory.Instance, ct));
            Assert.Equal(30, await ScalarAsync(database, "SELECT count(*) FROM contacts", ct));

            Assert.True(await Seeder.RunAsync(Options(database, folder), new SeedRequest(5, 60, 2, true), NullLoggerFactory.Instance, ct));
            Assert.Equal(60, await ScalarAsync(database, "SELECT count(*) FROM contacts", ct));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Seeded_rows_look_like_imported_ones()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(ct);
        var folder = Path.Combine(Path.GetTempPath(), "emulator-seed-" + Guid.NewGuid().ToString("N"));
        try
        {
            await Seeder.RunAsync(Options(database, folder), new SeedRequest(30, 300, 3, false), NullLoggerFactory.Instance, ct);

            // Emails sit on the company's domain, names and keyword values are lower-case, uuids are v5.
            Assert.Equal(0, await ScalarAsync(database, """
                SELECT count(*) FROM contacts c JOIN companies k ON k.uuid = c.company_id
                WHERE c.email <> '' AND split_part(c.email, '@', 2) <> k.normalized_domain
                """, ct));
            Assert.Equal(0, await ScalarAsync(database, """
                SELECT count(*) FROM contacts
                WHERE first_name <> lower(first_name) OR seniority <> lower(seniority) OR country <> lower(country)
                   OR substr(uuid, 15, 1) <> '5' OR linkedin_url NOT LIKE 'https://linkedin.com/in/%'
                """, ct));
            Assert.True(await ScalarAsync(database, "SELECT count(DISTINCT seniority) FROM contacts", ct) >= 6);
            Assert.True(await ScalarAsync(database, "SELECT count(*) FROM companies WHERE employees_count > 0 AND array_length(technologies, 1) > 0", ct) == 30);
            Assert.True(await ScalarAsync(database, "SELECT count(*) FROM filters_data WHERE filter_key = 'departments'", ct) >= 5);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static EmulatorOptions Options(TestDatabase database, string folder) =>
        new() { ConnectionString = database.ConnectionString, ApiKey = "k", IndexPath = folder };

    private static async Task<long> ScalarAsync(TestDatabase database, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> SnapshotAsync(TestDatabase database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT string_agg(row_to_json(t)::text, E'\n' ORDER BY uuid) FROM (
              SELECT uuid, first_name, last_name, company_id, email, title, departments, mobile_phone, seniority, city, created_at
              FROM contacts) t
            """, connection);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }
}
