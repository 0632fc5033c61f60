using Connectra.Client.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Emulator;

/// <summary>What <see cref="EmulatorServer.StartAsync"/> needs; nothing is read from configuration or environment.</summary>
public sealed class EmulatorServerOptions
{
    /// <summary>Npgsql connection string of a database the emulator may own (it creates its tables there).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The X-API-Key clients must send.</summary>
    public required string ApiKey { get; init; }

    /// <summary>Folder of the Lucene indexes; null means a fresh temporary folder, deleted on dispose.</summary>
    public string? IndexPath { get; init; }

    /// <summary>Capacity of the process-wide token bucket (Connectra's MAX_REQUESTS_PER_MINUTE).</summary>
    public int MaxRequestsPerMinute { get; init; } = 600_000;

    /// <summary>Reproduce Connectra's 500s for client mistakes (default on); see <see cref="EmulatorOptions.Strict"/>.</summary>
    public bool Strict { get; init; } = true;

    /// <summary>
    /// Matches from which an ascending keyword sort walks the terms instead of sorting every match; see
    /// <see cref="EmulatorOptions.TermWalkMinimumMatches"/>. Lower it to reach that plan with little data.
    /// </summary>
    public int TermWalkMinimumMatches { get; init; } = Search.SortedWalk.DefaultMinimumMatches;
}

/// <summary>
/// A Connectra emulator running in this process on a free loopback port, for tests:
/// <code>
/// await using var connectra = await EmulatorServer.StartAsync(new() { ConnectionString = cs, ApiKey = "k" }, ct);
/// await connectra.UpsertCompaniesAsync(companies, ct);
/// await connectra.UpsertContactsAsync(contacts, ct);   // searchable as soon as this returns
/// // point the client at connectra.BaseUrl with X-API-Key "k"
/// </code>
/// The upsert methods take the same path as <c>POST /companies/batch-upsert</c> and <c>/contacts/batch-upsert</c>
/// (any number of rows, written 100 at a time) but throw when PostgreSQL refuses a batch instead of hiding it as
/// Connectra does. Upsert companies before their contacts: a contact copies its company's fields when written.
/// For thousands of new rows, <see cref="BulkLoadAsync"/> takes the <c>seed</c> command's path instead.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private const int Batch = 100;

    private readonly WebApplication _app;
    private readonly EmulatorEngine _engine;
    private readonly string? _temporaryIndexPath;
    private int _disposed;

    private EmulatorServer(WebApplication app, EmulatorEngine engine, Uri baseUrl, string? temporaryIndexPath)
    {
        _app = app;
        _engine = engine;
        BaseUrl = baseUrl;
        _temporaryIndexPath = temporaryIndexPath;
    }

    /// <summary>Root URL of the emulator, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>
    /// Creates the schema if needed, opens (or rebuilds from PostgreSQL) the indexes and starts Kestrel on
    /// 127.0.0.1 with a free port.
    /// </summary>
    public static async Task<EmulatorServer> StartAsync(EmulatorServerOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var temporary = options.IndexPath is null
            ? Path.Combine(Path.GetTempPath(), "connectra-emulator-" + Guid.NewGuid().ToString("N"))
            : null;
        var settings = new EmulatorOptions
        {
            ConnectionString = options.ConnectionString,
            ApiKey = options.ApiKey,
            IndexPath = options.IndexPath ?? temporary!,
            MaxRequestsPerMinute = options.MaxRequestsPerMinute,
            Strict = options.Strict,
            TermWalkMinimumMatches = options.TermWalkMinimumMatches,
        };
        var (app, engine) = await EmulatorApp.CreateAsync(settings, "http://127.0.0.1:0", logging: null, reindex: false, ct);
        try
        {
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
                .Addresses.First();
            return new EmulatorServer(app, engine, new Uri(address.TrimEnd('/') + "/"), temporary);
        }
        catch
        {
            await engine.DisposeAsync();
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes companies as <c>POST /companies/batch-upsert</c> does.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL refused a batch (e.g. the same uuid twice in it).</exception>
    public async Task UpsertCompaniesAsync(IReadOnlyList<ConnectraCompany> companies, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(companies);
        foreach (var chunk in companies.Chunk(Batch))
        {
            ThrowOnErrors(await _engine.UpsertCompaniesAsync(chunk, ct));
        }
    }

    /// <summary>Writes contacts as <c>POST /contacts/batch-upsert</c> does, copying their companies' current fields.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL refused a batch.</exception>
    public async Task UpsertContactsAsync(IReadOnlyList<ConnectraContact> contacts, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        foreach (var chunk in contacts.Chunk(Batch))
        {
            ThrowOnErrors(await _engine.UpsertContactsAsync(chunk, ct));
        }
    }

    /// <summary>
    /// Loads rows that are not stored yet the way the <c>seed</c> command does: binary COPY into PostgreSQL, the
    /// filter values an upsert would add, then one bulk rebuild of both indexes. Far faster than upserting thousands
    /// of rows 100 at a time; the rows are stored as upserts store them. The rebuild re-indexes every stored row, as
    /// a restart without an index does: all contacts take their company's current fields and created_at becomes
    /// now (X8). Searchable when this returns.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// PostgreSQL refused the rows (e.g. a uuid already stored: COPY never overwrites); companies may be stored
    /// while their contacts are not.
    /// </exception>
    public async Task BulkLoadAsync(
        IReadOnlyList<ConnectraCompany> companies, IReadOnlyList<ConnectraContact> contacts, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(companies);
        ArgumentNullException.ThrowIfNull(contacts);
        try
        {
            await _engine.BulkLoadAsync(companies, contacts, ct);
        }
        catch (Npgsql.NpgsqlException ex)
        {
            throw new InvalidOperationException("The emulator could not load the rows: " + ex.Message, ex);
        }
    }

    /// <summary>
    /// Makes every write so far visible to searches. Upserts are searchable when they return already; this exists
    /// for callers that wrote through HTTP from elsewhere and want a barrier.
    /// </summary>
    public Task RefreshAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        _engine.Refresh();
        return Task.CompletedTask;
    }

    /// <summary>How many searches so far took the term walk (<see cref="EmulatorOptions.TermWalkMinimumMatches"/>).</summary>
    internal long TermWalks => _engine.SortedWalk.Walks;

    /// <summary>How many sorted searches found their candidates by reading sort values instead of walking terms.</summary>
    internal long SortValueScans => _engine.SortedWalk.Scans;

    /// <summary>Filter match sets computed so far; a search whose sets were cached adds none.</summary>
    internal long FilterCacheMisses => _engine.SortedWalk.Cache.Misses;

    /// <summary>Deletes every contact, company and filter value (the filter catalogue stays), e.g. between tests.</summary>
    public Task ClearAsync(CancellationToken ct = default) => _engine.ClearAsync(ct);

    /// <summary>Stops Kestrel, commits the indexes and deletes the temporary index folder if there was one.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        await _engine.DisposeAsync();
        if (_temporaryIndexPath is not null && Directory.Exists(_temporaryIndexPath))
        {
            Directory.Delete(_temporaryIndexPath, recursive: true);
        }
    }

    private static void ThrowOnErrors(IReadOnlyList<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The emulator could not write the batch: " + string.Join("; ", errors));
        }
    }
}
