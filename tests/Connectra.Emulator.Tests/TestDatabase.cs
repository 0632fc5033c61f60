using Npgsql;

namespace Connectra.Emulator.Tests;

/// <summary>
/// A fresh PostgreSQL database on the server named by CONNECTRA_TEST_PG, dropped on dispose. There is no fallback:
/// without the variable the run fails, so a missing database never passes as a green run. Connections are pooled,
/// so a test does not start a server process per command; the drop clears this database's pool first and forces out
/// whatever is still connected.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _server;

    private TestDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(CancellationToken ct)
    {
        var server = Environment.GetEnvironmentVariable("CONNECTRA_TEST_PG");
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                "CONNECTRA_TEST_PG is not set: point it at a PostgreSQL server, e.g. " +
                "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres (scripts/postgres.sh starts one).");
        }

        var database = new TestDatabase(server, "emulator_test_" + Guid.NewGuid().ToString("N")[..16]);
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(ct);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Name}\"", connection);
        await create.ExecuteNonQueryAsync(ct);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
