using Connectra.Emulator;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>
/// The emulator over a database of its own, reached through a <see cref="FakeConnectra"/> that forwards to it: a real
/// Connectra a test can unplug (every call 503) or make misbehave, then plug in again.
/// </summary>
public sealed class UnpluggableEmulator : IAsyncDisposable
{
    private readonly string _database;

    private UnpluggableEmulator(string database, EmulatorServer emulator, FakeConnectra proxy)
    {
        _database = database;
        Emulator = emulator;
        Proxy = proxy;
    }

    public EmulatorServer Emulator { get; }

    /// <summary>What the backend is pointed at.</summary>
    public FakeConnectra Proxy { get; }

    public Uri EmulatorUrl => Emulator.BaseUrl;

    public static async Task<UnpluggableEmulator> StartAsync(string prefix, string apiKey, Func<EmulatorServer, Task> load, CancellationToken ct)
    {
        var database = TestDatabase.NewConnectionString(prefix);
        await TestDatabase.CreateAsync(database, ct);
        var emulator = await EmulatorServer.StartAsync(new EmulatorServerOptions { ConnectionString = database, ApiKey = apiKey }, ct);
        await load(emulator);
        var proxy = await FakeConnectra.StartAsync(ct);
        var started = new UnpluggableEmulator(database, emulator, proxy);
        started.Plug();
        return started;
    }

    /// <summary>Lets Connectra answer again.</summary>
    public void Plug() => Proxy.Behaviour = FakeConnectra.Forward(EmulatorUrl);

    /// <summary>Every Connectra call answers 503 until <see cref="Plug"/>.</summary>
    public void Unplug() => Proxy.Behaviour = FakeConnectra.Status(503);

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Emulator.DisposeAsync();
        await TestDatabase.DropAsync(_database);
    }
}
