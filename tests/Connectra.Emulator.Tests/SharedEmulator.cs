namespace Connectra.Emulator.Tests;

/// <summary>
/// One <see cref="EmulatorHost"/> for every test of a class, where starting one per test (a database, the schema,
/// two indexes, Kestrel) would cost more than the tests. Classes that write call <see cref="ResetAsync"/> before each
/// test so none sees another's rows.
/// </summary>
public sealed class SharedEmulator : IAsyncLifetime
{
    private EmulatorHost? _host;

    public EmulatorHost Host => _host ?? throw new InvalidOperationException("The fixture is not started.");

    /// <summary>Back to a freshly started emulator: no contacts, companies or filter values; the catalogue stays.</summary>
    public Task ResetAsync(CancellationToken ct) => Host.Server.ClearAsync(ct);

    public async ValueTask InitializeAsync() => _host = await EmulatorHost.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
