using Npgsql;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>A database of its own for one test class, dropped after it: the class fixture prepares its schema.</summary>
public abstract class ScratchDatabase(string prefix) : IAsyncLifetime
{
    private readonly string _connectionString = TestDatabase.NewConnectionString(prefix);

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await TestDatabase.CreateAsync(_connectionString, TestContext.Current.CancellationToken);
        DataSource = NpgsqlDataSource.Create(_connectionString);
        await PrepareAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        await TestDatabase.DropAsync(_connectionString);
        GC.SuppressFinalize(this);
    }

    /// <summary>Builds the schema the tests need.</summary>
    protected abstract Task PrepareAsync(CancellationToken ct);
}
