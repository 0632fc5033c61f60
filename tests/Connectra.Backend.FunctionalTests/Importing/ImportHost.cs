using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.FunctionalTests.Writes;
using Microsoft.AspNetCore.Hosting;

namespace Connectra.Backend.FunctionalTests.Importing;

/// <summary>
/// The API with its import worker, export worker and outbox dispatcher running, over an empty emulator behind a
/// <see cref="FakeConnectra"/> proxy (so a test can unplug Connectra). Imports run in small batches so a job spans many
/// checkpoints. Records are never cleared between tests: each test works with a tag of its own.
/// </summary>
public sealed class ImportHost : BackendFactory
{
    public const int BatchSize = 250;

    private readonly string _storage = Path.Combine(Path.GetTempPath(), "connectra-imports-" + Guid.NewGuid().ToString("N"));
    private UnpluggableEmulator? _connectra;

    public UnpluggableEmulator Connectra => _connectra ?? throw new InvalidOperationException("not started");

    public string StoragePath => _storage;

    protected override string ConnectraBaseUrl => Connectra.Proxy.Url.ToString();

    protected override async Task StartConnectraAsync(CancellationToken ct) =>
        _connectra = await UnpluggableEmulator.StartAsync("emulator_imports", ConnectraApiKey, _ => Task.CompletedTask, ct);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        WriteHost.DeliverOutboxPromptly(builder);
        // Thousands of imported records reach Connectra in batches of 100 (its most per call); more dispatch loops
        // send them side by side, which the delivery itself (claims, read-backs) is built for.
        builder.UseSetting("Outbox:Concurrency", "4");
        builder.UseSetting("Imports:StoragePath", Path.Combine(_storage, "imports"));
        builder.UseSetting("Imports:PollInterval", "00:00:00.050");
        builder.UseSetting("Imports:BatchSize", BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Imports:MaxActivePerUser", "100");
        builder.UseSetting("Imports:WorkerConcurrency", "2");
        builder.UseSetting("Exports:StoragePath", Path.Combine(_storage, "exports"));
        builder.UseSetting("Exports:PollInterval", "00:00:00.050");
        builder.UseSetting("Exports:MaxActivePerUser", "100");
        builder.UseSetting("Connectra:Resilience:TotalRequestTimeout:Timeout", "00:00:02");
        builder.UseSetting("Connectra:Resilience:AttemptTimeout:Timeout", "00:00:01");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectra is not null)
        {
            await _connectra.DisposeAsync();
        }

        if (Directory.Exists(_storage))
        {
            Directory.Delete(_storage, recursive: true);
        }
    }
}
