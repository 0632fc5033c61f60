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
    public static string NewConnectionString(string prefix = "backend_test") =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString)
        {
            Database = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)],
        }.ConnectionString;

    public static async Task CreateAsync(string connectionString, CancellationToken ct)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var server = NpgsqlDataSource.Create(ServerConnectionString);
        await using var command = server.CreateCommand($"CREATE DATABASE \"{name}\"");
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var server = NpgsqlDataSource.Create(ServerConnectionString);
        await using var command = server.CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await command.ExecuteNonQueryAsync();
    }
}
