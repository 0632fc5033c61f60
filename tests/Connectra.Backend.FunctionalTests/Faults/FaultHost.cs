using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.EndToEnd;
using Connectra.Backend.FunctionalTests.Exports;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Connectra.Backend.FunctionalTests.Faults;

/// <summary>
/// The API over a PostgreSQL cluster of its own (so a test can stop it under traffic) and the emulator behind a
/// <see cref="FakeConnectra"/> proxy (so a test can unplug Connectra). Its own workers are off: a test starts
/// replicas to run the outbox and the exports, in this process or as a separate process it can SIGKILL.
/// </summary>
public sealed class FaultHost : BackendFactory
{
    /// <summary>Generated contacts in Lyon, enough that an export of them takes several Connectra pages.</summary>
    public const int LyonContacts = 3_000;

    private readonly PrivatePostgres _postgres;
    private readonly string _storage = Path.Combine(Path.GetTempPath(), "connectra-fault-exports-" + Guid.NewGuid().ToString("N"));
    private UnpluggableEmulator? _connectra;

    public FaultHost()
        : this(PrivatePostgres.Create())
    {
    }

    private FaultHost(PrivatePostgres postgres)
        : base(TestDatabase.NewConnectionString("backend_faults", postgres.ConnectionString)) => _postgres = postgres;

    public PrivatePostgres Postgres => _postgres;

    public UnpluggableEmulator Connectra => _connectra ?? throw new InvalidOperationException("not started");

    protected override string ConnectraBaseUrl => Connectra.Proxy.Url.ToString();

    /// <summary>Settings every replica shares: the same database, Connectra, export folder and quick timings.</summary>
    public IReadOnlyDictionary<string, string> ReplicaSettings(bool outbox, bool exports, bool imports = false) => new Dictionary<string, string>
    {
        ["ConnectionStrings:Backend"] = ConnectionString,
        ["Connectra:BaseUrl"] = ConnectraBaseUrl,
        ["Connectra:ApiKey"] = ConnectraApiKey,
        ["Connectra:Resilience:TotalRequestTimeout:Timeout"] = "00:00:02",
        ["Connectra:Resilience:AttemptTimeout:Timeout"] = "00:00:01",
        ["Connectra:Resilience:Retry:Delay"] = "00:00:00",
        ["Connectra:Resilience:CircuitBreaker:MinimumThroughput"] = "100000",
        ["Outbox:DispatcherEnabled"] = outbox ? "true" : "false",
        ["Outbox:PollInterval"] = "00:00:00.050",
        ["Outbox:BatchWindow"] = "00:00:00.020",
        ["Outbox:VerifyDelay"] = "00:00:00.100",
        ["Outbox:MaxBackoff"] = "00:00:00.500",
        ["Outbox:MaxOutageBackoff"] = "00:00:00.500",
        ["Exports:WorkerEnabled"] = exports ? "true" : "false",
        ["Exports:StoragePath"] = _storage,
        ["Exports:PollInterval"] = "00:00:00.100",
        ["Exports:CheckpointInterval"] = "00:00:00.100",
        ["Exports:LeaseDuration"] = "00:00:02",
        // Outages in these tests end within a minute; the job must wait them out, not fail.
        ["Exports:OutageBudget"] = "00:01:00",
        ["Exports:MaxActivePerUser"] = "100",
        ["Imports:WorkerEnabled"] = imports ? "true" : "false",
        ["Imports:StoragePath"] = Path.Combine(_storage, "imports"),
        ["Imports:PollInterval"] = "00:00:00.100",
        ["Imports:LeaseDuration"] = "00:00:02",
        ["Imports:HeartbeatInterval"] = "00:00:00.500",
        ["Imports:BatchSize"] = "100",
        ["Imports:MaxActivePerUser"] = "100",
    };

    protected override async Task StartConnectraAsync(CancellationToken ct)
    {
        await _postgres.StartAsync(ct);
        _connectra = await UnpluggableEmulator.StartAsync("emulator_faults", ConnectraApiKey,
            emulator => emulator.BulkLoadAsync(DataSet.Companies, [.. DataSet.Contacts, .. ExportHost.Generated(LyonContacts)], ct), ct);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in ReplicaSettings(outbox: false, exports: false))
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// Another replica in this process, with the outbox dispatcher and export worker running; <paramref name="settings"/>
    /// go on top of <see cref="ReplicaSettings"/>.
    /// </summary>
    public WebApplicationFactory<Program> StartWorkerReplica(IReadOnlyDictionary<string, string>? settings = null)
    {
        var replica = WithWebHostBuilder(b =>
        {
            foreach (var (key, value) in ReplicaSettings(outbox: true, exports: true).Concat(settings ?? new Dictionary<string, string>()))
            {
                b.UseSetting(key, value);
            }
        });
        _ = replica.Services; // starts the host, and with it the workers
        return replica;
    }

    public HttpClient Writer() => Tokens.Authorize(CreateClient(), "fault-writer", "writer");

    public HttpClient Reader() => Tokens.Authorize(CreateClient(), "fault-reader");

    /// <summary>How many contacts the public count route finds with <paramref name="field"/> equal to <paramref name="value"/>.</summary>
    public static async Task<long> CountAsync(HttpClient reader, string field, string value, CancellationToken ct)
    {
        using var response = await reader.PostAsJsonAsync("/api/v3/contacts/count", EqualsFilter(field, value), ct);
        return response.StatusCode == HttpStatusCode.OK
            ? (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("count").GetInt64()
            : -1;
    }

    public static object EqualsFilter(string field, string value) =>
        new { filters = new { and = new[] { new { field, @operator = "eq", value } } } };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectra is not null)
        {
            await _connectra.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        if (Directory.Exists(_storage))
        {
            Directory.Delete(_storage, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FaultTestGroup : ICollectionFixture<FaultHost>
{
    public const string Name = "faults";
}
