using Connectra.Backend.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Respawn;
using WireMock.Server;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>
/// The real API (its Program, middleware and DI) over a fresh, migrated PostgreSQL database, pointed at some
/// Connectra: WireMock in <see cref="ApiFactory"/>, the emulator in <see cref="EmulatorApiFactory"/>.
/// </summary>
public abstract class BackendFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ConnectraApiKey = "test-connectra-key";
    private readonly string _connectionString;

    protected BackendFactory()
        : this(TestDatabase.NewConnectionString())
    {
    }

    /// <summary>For a host whose database lives elsewhere than the shared test server.</summary>
    protected BackendFactory(string connectionString) => _connectionString = connectionString;
    private Respawner? _respawner;

    public string ConnectionString => _connectionString;

    /// <summary>Tests fire requests far faster than any client; the throttling tests set their own limits.</summary>
    public static IReadOnlyDictionary<string, string> Unthrottled { get; } =
        new[] { "Reads", "Writes", "Exports", "Health" }.ToDictionary(policy => $"RateLimits:{policy}:PermitLimit", _ => "1000000");

    /// <summary>Where Connectra is; read when the host is built, after <see cref="StartConnectraAsync"/>.</summary>
    protected abstract string ConnectraBaseUrl { get; }

    protected virtual Task StartConnectraAsync(CancellationToken ct) => Task.CompletedTask;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // UseSetting reaches Program.cs before Build(); ConfigureAppConfiguration would arrive too late.
        builder.UseSetting("ConnectionStrings:Backend", _connectionString);
        builder.UseSetting("Connectra:BaseUrl", ConnectraBaseUrl);
        builder.UseSetting("Connectra:ApiKey", ConnectraApiKey);
        builder.UseSetting("Connectra:HealthProbeTimeout", "00:00:02");
        // Tests stub catalogues of their own; none may see another test's.
        builder.UseSetting("Connectra:FilterCatalogueCacheDuration", "00:00:00");
        builder.UseSetting("Connectra:Resilience:Retry:Delay", "00:00:00"); // real retries, no waiting
        builder.UseSetting("Connectra:Resilience:Retry:UseJitter", "false");
        // The shared host must never trip its breaker because one test made Connectra fail; breaker tests build
        // their own host.
        builder.UseSetting("Connectra:Resilience:CircuitBreaker:MinimumThroughput", "100000");
        // Only the write tests deliver the outbox; elsewhere nothing is written and the dispatcher would only poll.
        builder.UseSetting("Outbox:DispatcherEnabled", "false");
        // A test ping or delivery to an address that never answers gives up quickly.
        builder.UseSetting("Webhooks:Timeout", "00:00:01");
        foreach (var (key, value) in Unthrottled)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Serilog:MinimumLevel:Override:Polly", "Fatal"); // tests provoke failures on purpose
    }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await StartConnectraAsync(ct);
        await TestDatabase.CreateAsync(_connectionString, ct);
        await using (var scope = Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BackendDbContext>().Database.MigrateAsync(ct);
        }

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(ct);
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = ["__EFMigrationsHistory"],
        });
    }

    /// <summary>
    /// The single number <paramref name="sql"/> returns from the API's database, for what no route tells (outbox rows,
    /// sessions). Unpooled: some tests restart the server or end its sessions, which a pooled connection would not survive.
    /// </summary>
    public async Task<long> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Empties the tables between tests. The host's background workers (outbox, webhooks, jobs) keep running and may
    /// lock rows in another order than the reset's deletes; PostgreSQL then ends one side as a deadlock, so a reset
    /// the deadlock chose is simply run again.
    /// </summary>
    public virtual async Task ResetAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync();
                await _respawner!.ResetAsync(connection);
                return;
            }
            catch (PostgresException deadlock) when (deadlock.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(50 * attempt);
            }
        }
    }

    public override async ValueTask DisposeAsync() // override, never hide: this is the one xunit v3 calls
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(_connectionString);
        GC.SuppressFinalize(this);
    }
}

/// <summary>The API with WireMock standing in for Connectra: for failures and exact wire shapes.</summary>
public class ApiFactory : BackendFactory
{
    public WireMockServer Connectra { get; } = WireMockServer.Start();

    protected override string ConnectraBaseUrl => Connectra.Url!;

    public override async Task ResetAsync()
    {
        Connectra.Reset();
        await base.ResetAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Connectra.Dispose();
        GC.SuppressFinalize(this);
    }
}

[CollectionDefinition(Name)]
public sealed class ApiTestGroup : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}

/// <summary>Joins the shared <see cref="ApiFactory"/> and resets WireMock and the database before each test.</summary>
[Collection(ApiTestGroup.Name)]
public abstract class ApiTestBase(ApiFactory api) : IAsyncLifetime
{
    protected ApiFactory Api { get; } = api;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync() => await Api.ResetAsync();

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>A client carrying a valid development token for <paramref name="userId"/>.</summary>
    protected HttpClient AuthorizedClient(string userId = "test-user", params string[] roles) =>
        Tokens.Authorize(Api.CreateClient(), userId, roles);
}
