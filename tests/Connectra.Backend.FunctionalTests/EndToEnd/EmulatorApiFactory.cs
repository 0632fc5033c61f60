using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Emulator;

namespace Connectra.Backend.FunctionalTests.EndToEnd;

/// <summary>
/// The whole stack: the API over its own PostgreSQL database, reading from the Connectra emulator (Lucene.Net over
/// a second database) loaded with <see cref="DataSet"/>. Real HTTP between them, real query semantics.
/// </summary>
public sealed class EmulatorApiFactory : BackendFactory
{
    private readonly string _emulatorDatabase = TestDatabase.NewConnectionString("emulator_e2e");
    private EmulatorServer? _emulator;

    protected override string ConnectraBaseUrl =>
        _emulator?.BaseUrl.ToString() ?? throw new InvalidOperationException("the emulator has not started");

    protected override async Task StartConnectraAsync(CancellationToken ct)
    {
        await TestDatabase.CreateAsync(_emulatorDatabase, ct);
        _emulator = await EmulatorServer.StartAsync(
            new EmulatorServerOptions { ConnectionString = _emulatorDatabase, ApiKey = ConnectraApiKey }, ct);
        await _emulator.BulkLoadAsync(DataSet.Companies, DataSet.Contacts, ct);
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
public sealed class EndToEndTestGroup : ICollectionFixture<EmulatorApiFactory>
{
    public const string Name = "end-to-end";
}

/// <summary>Tests that only read: the data set is loaded once for the whole group.</summary>
[Collection(EndToEndTestGroup.Name)]
public abstract class EndToEndTestBase(EmulatorApiFactory stack)
{
    protected EmulatorApiFactory Stack { get; } = stack;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected HttpClient Client() => Tokens.Authorize(Stack.CreateClient());
}
