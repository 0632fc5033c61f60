using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.EndToEnd;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Client.Records;
using Connectra.Emulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Connectra.Backend.FunctionalTests.Exports;

/// <summary>
/// The API with its export worker over the emulator, loaded with <see cref="DataSet"/> plus <see cref="ExtraContacts"/>
/// generated contacts (enough that exports by query cross Connectra's 1,000-row window many times) and a few rows
/// whose values look like spreadsheet formulas. Connectra sits behind a <see cref="FakeConnectra"/> that forwards to
/// the emulator, so a test can unplug it.
/// </summary>
public sealed class ExportHost : BackendFactory
{
    public const int ExtraContacts = 12_000;
    public static readonly TimeSpan OutageBudget = TimeSpan.FromSeconds(3);

    private readonly string _storage = Path.Combine(Path.GetTempPath(), "connectra-exports-" + Guid.NewGuid().ToString("N"));
    private UnpluggableEmulator? _connectra;

    public static IReadOnlyList<ConnectraContact> Contacts { get; } = [.. DataSet.Contacts, .. Generated(ExtraContacts), .. Formulas()];

    public FakeConnectra Connectra => Started.Proxy;

    public Uri EmulatorUrl => Started.EmulatorUrl;

    public string StoragePath => _storage;

    protected override string ConnectraBaseUrl => Connectra.Url.ToString();

    private UnpluggableEmulator Started => _connectra ?? throw new InvalidOperationException("not started");

    /// <summary>Lets Connectra answer again.</summary>
    public void Plug() => Started.Plug();

    /// <summary>Every Connectra call answers 503 until <see cref="Plug"/>.</summary>
    public void Unplug() => Started.Unplug();

    protected override async Task StartConnectraAsync(CancellationToken ct) =>
        _connectra = await UnpluggableEmulator.StartAsync(
            "emulator_exports", ConnectraApiKey, emulator => emulator.BulkLoadAsync(DataSet.Companies, Contacts, ct), ct);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Exports:StoragePath", _storage);
        builder.UseSetting("Exports:PollInterval", "00:00:00.100");
        builder.UseSetting("Exports:CheckpointInterval", "00:00:00.100");
        builder.UseSetting("Exports:LeaseDuration", "00:00:02");
        builder.UseSetting("Exports:OutageBudget", OutageBudget.ToString());
        builder.UseSetting("Exports:MaxActivePerUser", "100");
        builder.UseSetting("Exports:WorkerConcurrency", "4");
        // Jobs stay pending here; a test starts a worker host when it wants them run (and can stop it mid-job).
        builder.UseSetting("Exports:WorkerEnabled", "false");
        // Connectra outages end quickly in these tests; the job's own budget is what is under test.
        builder.UseSetting("Connectra:Resilience:TotalRequestTimeout:Timeout", "00:00:02");
        builder.UseSetting("Connectra:Resilience:AttemptTimeout:Timeout", "00:00:01");
    }

    /// <summary>Another replica of the API, with its export worker running, over the same database and file storage.</summary>
    public WebApplicationFactory<Program> StartWorker(Action<IWebHostBuilder>? configure = null)
    {
        var worker = WithWebHostBuilder(b =>
        {
            b.UseSetting("Exports:WorkerEnabled", "true");
            configure?.Invoke(b);
        });
        _ = worker.Services; // starts the host, and with it the worker
        return worker;
    }

    /// <summary>Runs SQL on the API's database, for what no route does (ageing an export, breaking a lease).</summary>
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
        if (_connectra is not null)
        {
            await _connectra.DisposeAsync();
        }

        if (Directory.Exists(_storage))
        {
            Directory.Delete(_storage, recursive: true);
        }
    }

    /// <summary>Uuids spread over the whole key space, so every uuid range of a parallel export has rows.</summary>
    public static IEnumerable<ConnectraContact> Generated(int count) => Enumerable.Range(0, count).Select(i =>
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"export-contact-{i}"))[..16];
        var company = DataSet.Companies[i % DataSet.Companies.Count];
        return new ConnectraContact
        {
            Uuid = new Guid(bytes).ToString("D"),
            FirstName = DataSet.FirstNames[i % DataSet.FirstNames.Length],
            LastName = DataSet.LastNames[i % DataSet.LastNames.Length],
            CompanyId = company.Uuid,
            Email = $"bulk{i}@{company.NormalizedDomain}",
            Title = DataSet.Titles[i % DataSet.Titles.Length],
            Departments = DataSet.Departments[i % DataSet.Departments.Length],
            EmailStatus = DataSet.EmailStatuses[i % DataSet.EmailStatuses.Length],
            Seniority = DataSet.Seniorities[i % DataSet.Seniorities.Length],
            City = "lyon",
            Country = "france",
            CreatedAt = new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i),
        };
    });

    /// <summary>Values a spreadsheet would run as formulas; none may reach a file unescaped.</summary>
    public static IReadOnlyList<ConnectraContact> Formulas() =>
    [
        new()
        {
            Uuid = "f0000000-0000-4000-8000-000000000001",
            FirstName = "=HYPERLINK(\"http://evil.example\",\"click\")",
            LastName = "@SUM(1+1)",
            Title = "+cmd|' /C calc'!A0",
            Email = "-2+3@evil.example",
            Stage = "\t=1+1",
            City = "\r=1+1",
            CompanyId = DataSet.Companies[0].Uuid,
            Country = "nowhere",
        },
    ];

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    public static HttpStatusCode Status(HttpResponseMessage response) => response.StatusCode;
}
