using Npgsql;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>
/// Databases on the PostgreSQL server named by CONNECTRA_TEST_PG (test.sh starts one). Unset fails the run: a
/// silently skipped database test would look like a pass.
/// </summary>
public static class TestDatabase
{
    public const string ServerVariable = "CONNECTRA_TEST_PG";

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set. Run ./test.sh, or point it at a PostgreSQL server, e.g. " +
                $"{ServerVariable}=\"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\".");

    /// <summary>A connection string for a database name no other test uses; <see cref="CreateAsync"/> makes it.</summary>
    public static string NewConnectionString(string prefix = "backend_test", string? server = null) =>
        new NpgsqlConnectionStringBuilder(server ?? ServerConnectionString)
        {
            Database = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)],
        }.ConnectionString;

    /// <summary>An empty database.</summary>
    public static Task CreateAsync(string connectionString, CancellationToken ct) =>
        ExecuteOnServerAsync(connectionString, $"CREATE DATABASE \"{DatabaseName(connectionString)}\"", ct);

    /// <summary>Drops the database, closing this process's idle connections to it and forcing out any others.</summary>
    public static async Task DropAsync(string connectionString)
    {
        using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await ExecuteOnServerAsync(connectionString, $"DROP DATABASE IF EXISTS \"{DatabaseName(connectionString)}\" WITH (FORCE)", CancellationToken.None);
    }

    /// <summary>Runs on the server the database lives on: the shared one, or a test's <see cref="PrivatePostgres"/>.</summary>
    private static async Task ExecuteOnServerAsync(string databaseConnectionString, string sql, CancellationToken ct)
    {
        var database = new NpgsqlConnectionStringBuilder(databaseConnectionString);
        var shared = new NpgsqlConnectionStringBuilder(ServerConnectionString);
        var server = database.Host == shared.Host && database.Port == shared.Port
            ? shared
            : new NpgsqlConnectionStringBuilder(databaseConnectionString) { Database = "postgres" };
        // Unpooled: a pooled connection would not survive a test restarting its server.
        server.Pooling = false;
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string DatabaseName(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;
}
