using Connectra.Backend.FunctionalTests.EndToEnd;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Emulator;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Connectra.Backend.FunctionalTests.SavedSearches;

/// <summary>
/// The API over the emulator loaded with <see cref="DataSet"/>. Neither the scheduler nor the export worker runs here:
/// a test drives firings itself with a fake clock, and reads the export rows the firings make.
/// </summary>
public sealed class SavedSearchHost : BackendFactory
{
    /// <summary>A field the query format has retired, for the 409 a saved query using it answers.</summary>
    public const string RetiredField = "seniority";

    private readonly string _emulatorDatabase = TestDatabase.NewConnectionString("emulator_saved");
    private EmulatorServer? _emulator;

    public Uri EmulatorUrl => _emulator?.BaseUrl ?? throw new InvalidOperationException("the emulator has not started");

    protected override string ConnectraBaseUrl => EmulatorUrl.ToString();

    protected override async Task StartConnectraAsync(CancellationToken ct)
    {
        await TestDatabase.CreateAsync(_emulatorDatabase, ct);
        _emulator = await EmulatorServer.StartAsync(
            new EmulatorServerOptions { ConnectionString = _emulatorDatabase, ApiKey = ConnectraApiKey }, ct);
        await _emulator.BulkLoadAsync(DataSet.Companies, DataSet.Contacts, ct);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Exports:WorkerEnabled", "false");
        builder.UseSetting("Exports:MaxActivePerUser", "100");
        builder.UseSetting("Exports:StoragePath", Path.Combine(Path.GetTempPath(), "connectra-saved-" + Guid.NewGuid().ToString("N")));
        builder.UseSetting("SavedSearches:SchedulerEnabled", "false");
        builder.UseSetting("SavedSearches:RetiredFields:0", "contacts." + RetiredField);
    }

    public async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        await TestDatabase.DropAsync(_emulatorDatabase);
    }
}

[CollectionDefinition(Name)]
public sealed class SavedSearchTestGroup : ICollectionFixture<SavedSearchHost>
{
    public const string Name = "saved-searches";
}
