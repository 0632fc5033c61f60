using Connectra.Client.Filters;
using Connectra.Client.Records;
using Connectra.Emulator.Search;
using Connectra.Emulator.Seeding;
using Connectra.Emulator.Store;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Connectra.Emulator;

/// <summary>
/// Connectra's behaviour behind the HTTP layer: PostgreSQL as the source of truth, one Lucene index per entity
/// playing Elasticsearch, reads in two phases (index for uuids, database for rows) and writes to both.
/// </summary>
internal sealed partial class EmulatorEngine : IAsyncDisposable
{
    private const int CatchUpBatch = 1_000;

    // Beyond this many rows written after the last commit, one bulk rebuild is faster than catching up row by row.
    private const long RebuildBacklog = 50_000;

    private readonly EmulatorOptions _options;
    private readonly NpgsqlDataSource _db;
    private readonly EntityStore _entities;
    private readonly FilterStore _filters;
    private readonly SearchIndex _contacts;
    private readonly SearchIndex _companies;
    private readonly ILogger _logger;
    // One writer at a time keeps each index's write sequence monotonic, which the commit-and-catch-up relies on.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _committer = Task.CompletedTask;

    private EmulatorEngine(
        EmulatorOptions options, NpgsqlDataSource db, SearchIndex contacts, SearchIndex companies, ILogger logger)
    {
        _options = options;
        _db = db;
        _entities = new EntityStore(db);
        _filters = new FilterStore(db);
        _contacts = contacts;
        _companies = companies;
        SortedWalk = new SortedWalk(options.TermWalkMinimumMatches, new FilterCache(options.FilterCacheMegabytes * 1024L * 1024L));
        _logger = logger;
    }

    public bool Strict => _options.Strict;

    /// <summary>How searches (of either entity) sorted first by an ascending keyword find their page, with its counters.</summary>
    public SortedWalk SortedWalk { get; }

    /// <summary>
    /// Creates the schema if needed and opens the indexes: rebuilt from PostgreSQL when missing, built for another
    /// database or version, or when <paramref name="reindex"/> asks; otherwise brought up to date with the rows
    /// written after their last commit.
    /// </summary>
    public static async Task<EmulatorEngine> OpenAsync(
        EmulatorOptions options, ILoggerFactory loggers, bool reindex, CancellationToken ct)
    {
        options.Validate();
        var db = NpgsqlDataSource.Create(options.ConnectionString);
        SearchIndex? contacts = null, companies = null;
        try
        {
            await Schema.EnsureAsync(db, ct);
            var instance = await Schema.InstanceIdAsync(db, ct);
            companies = SearchIndex.Open(Path.Combine(options.IndexPath, "companies"), IndexSchema.Companies, instance);
            contacts = SearchIndex.Open(Path.Combine(options.IndexPath, "contacts"), IndexSchema.Contacts, instance);
            var engine = new EmulatorEngine(options, db, contacts, companies, loggers.CreateLogger<EmulatorEngine>());
            if (reindex || !contacts.IsCurrent || !companies.IsCurrent
                || await engine.BacklogAsync(ct) > RebuildBacklog)
            {
                await engine.RebuildAsync(ct);
            }
            else
            {
                await engine.CatchUpAsync(ct);
            }

            engine._committer = engine.CommitPeriodicallyAsync();
            return engine;
        }
        catch
        {
            contacts?.Dispose();
            companies?.Dispose();
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>Throws both indexes away and indexes every row again; created_at becomes now for all (docs/connectra.md#x8).</summary>
    public async Task RebuildAsync(CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await _companies.RebuildAsync(CompanyDocuments(now, ct), ct);
            var companies = await _entities.LoadCompaniesByUuidAsync(ct);
            await _contacts.RebuildAsync(ContactDocuments(companies, now, ct), ct);
            LogRebuilt(_logger, started.ElapsedMilliseconds);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<List<ConnectraContact>> SearchContactsAsync(VqlRequest query, CancellationToken ct)
    {
        var hits = IndexSearch.Search(_contacts, query, Strict, SortedWalk);
        if (hits.Count == 0)
        {
            return [];
        }

        var columns = Columns(TableColumns.Contacts, query.SelectColumns, "ERR_DATA_FETCH_FAILED: ");
        if (columns.Count > 0)
        {
            columns.Add("company_id");
        }

        var rowsTask = _entities.FetchContactsAsync(hits.Select(h => h.Uuid).Distinct().ToList(), columns, ct);
        Task<List<ConnectraCompany>>? companiesTask = null;
        if (query.PopulateCompany)
        {
            var companyColumns = Columns(TableColumns.Companies, query.CompanySelectColumns, "ERR_DATA_FETCH_FAILED: ");
            var companyIds = hits.Select(h => h.CompanyId).Where(id => id.Length > 0).Distinct().ToList();
            companiesTask = _entities.FetchCompaniesAsync(companyIds, companyColumns, ct);
        }

        var rows = ByUuid(await rowsTask, c => c.Uuid);
        var companies = companiesTask is null ? null : ByUuid(await companiesTask, c => c.Uuid);
        var result = new List<ConnectraContact>(hits.Count);
        foreach (var hit in hits)
        {
            // Rows are matched to hits by uuid: a selection without uuid loses every row (docs/connectra.md#x2).
            if (rows.TryGetValue(hit.Uuid, out var row))
            {
                result.Add(row with
                {
                    Company = companies?.GetValueOrDefault(hit.CompanyId),
                    Cursor = hit.Cursor,
                });
            }
        }

        return result;
    }

    public async Task<List<ConnectraCompany>> SearchCompaniesAsync(VqlRequest query, CancellationToken ct)
    {
        var hits = IndexSearch.Search(_companies, query, Strict, SortedWalk);
        if (hits.Count == 0)
        {
            return [];
        }

        var columns = Columns(TableColumns.Companies, query.SelectColumns, "");
        var rows = ByUuid(await _entities.FetchCompaniesAsync(hits.Select(h => h.Uuid).Distinct().ToList(), columns, ct), c => c.Uuid);
        var result = new List<ConnectraCompany>(hits.Count);
        foreach (var hit in hits)
        {
            if (rows.TryGetValue(hit.Uuid, out var row))
            {
                result.Add(row with { Cursor = hit.Cursor });
            }
        }

        return result;
    }

    public long CountContacts(VqlRequest query) => IndexSearch.Count(_contacts, query, Strict);

    public long CountCompanies(VqlRequest query) => IndexSearch.Count(_companies, query, Strict);

    public Task<List<ConnectraFilter>> FiltersAsync(string service, CancellationToken ct) => _filters.ListAsync(service, ct);

    public Task<List<ConnectraFilterValue>> FilterValuesAsync(
        string service, string key, string searchText, long page, long limit, CancellationToken ct) =>
        _filters.ValuesAsync(service, key, searchText, page, limit, ct);

    /// <summary>
    /// C3 (docs/connectra.md#entity-batch-upserts): rows stored as sent, company_* copies taken from PostgreSQL now, filter values added. Returns the
    /// write errors Connectra would drop; a failed company lookup or filter read throws as Connectra answers them.
    /// </summary>
    public async Task<IReadOnlyList<string>> UpsertContactsAsync(IReadOnlyList<ConnectraContact> contacts, CancellationToken ct)
    {
        var companyIds = contacts.Select(c => c.CompanyId ?? "").Where(id => Guid.TryParse(id, out _)).Distinct().ToList();
        Dictionary<string, ConnectraCompany> companies;
        try
        {
            companies = ByUuid(await _entities.FetchCompaniesAsync(companyIds, null, ct), c => c.Uuid);
        }
        catch (NpgsqlException ex)
        {
            throw ConnectraFailure.BadRequest(ex.Message);
        }

        var valueKeys = await FilterKeysAsync(ConnectraService.Contact, ct);
        return await WriteAsync(
            () => _entities.UpsertContactsAsync(contacts, ct),
            now => contacts.Where(c => !string.IsNullOrEmpty(c.Uuid))
                .Select(c => (c.Uuid!, IndexDocuments.Contact(c, companies.GetValueOrDefault(c.CompanyId ?? ""), now))),
            _contacts,
            contacts.SelectMany(c => FilterStore.ValuesOf(c, valueKeys)).ToList(),
            ct);
    }

    /// <summary>K3 (docs/connectra.md#entity-batch-upserts). Contacts keep the company_* copies they were indexed with (X8).</summary>
    public async Task<IReadOnlyList<string>> UpsertCompaniesAsync(IReadOnlyList<ConnectraCompany> companies, CancellationToken ct)
    {
        var valueKeys = await FilterKeysAsync(ConnectraService.Company, ct);
        return await WriteAsync(
            () => _entities.UpsertCompaniesAsync(companies, ct),
            now => companies.Where(c => !string.IsNullOrEmpty(c.Uuid)).Select(c => (c.Uuid!, IndexDocuments.Company(c, now))),
            _companies,
            companies.SelectMany(c => FilterStore.ValuesOf(c, valueKeys)).ToList(),
            ct);
    }

    /// <summary>
    /// M1 (docs/connectra.md#row-batch-upsert): rows cleaned and converted, duplicates dropped (first wins), companies then contacts written.
    /// Connectra writes the two in parallel, so there a contact may miss its new company's copies; here it does not.
    /// </summary>
    public async Task<IReadOnlyList<string>> UpsertRowsAsync(IReadOnlyList<IReadOnlyDictionary<string, string>> rows, CancellationToken ct)
    {
        var mapped = rows.Select(RowMapper.Map).ToList();
        var companies = mapped.Select(m => m.Company).DistinctBy(c => c.Uuid).ToList();
        var contacts = mapped.Select(m => m.Contact).DistinctBy(c => c.Uuid).ToList();
        var errors = new List<string>();
        errors.AddRange(await UpsertCompaniesAsync(companies, ct));
        errors.AddRange(await UpsertContactsAsync(contacts, ct));
        return errors;
    }

    /// <summary>
    /// The seed command's path for rows given by the caller: binary COPY, the filter values an upsert would add, one
    /// bulk rebuild. COPY fails on a uuid already stored, as an insert would.
    /// </summary>
    public async Task BulkLoadAsync(
        IReadOnlyList<ConnectraCompany> companies, IReadOnlyList<ConnectraContact> contacts, CancellationToken ct)
    {
        var values = new HashSet<StoredFilterValue>();
        if (companies.Count > 0)
        {
            await CopyLoader.CopyCompaniesAsync(_db, companies, ct);
            var keys = await _filters.StoredValueKeysAsync(ConnectraService.Company, ct);
            values.UnionWith(companies.SelectMany(c => FilterStore.ValuesOf(c, keys)));
        }

        if (contacts.Count > 0)
        {
            await CopyLoader.CopyContactsAsync(_db, contacts, ct);
            var keys = await _filters.StoredValueKeysAsync(ConnectraService.Contact, ct);
            values.UnionWith(contacts.SelectMany(c => FilterStore.ValuesOf(c, keys)));
        }

        await _filters.AddValuesAsync(values, ct);
        await RebuildAsync(ct);
    }

    /// <summary>Deletes every contact, company and filter value, in PostgreSQL and in the indexes.</summary>
    public async Task ClearAsync(CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            await _entities.ClearAsync(ct);
            _contacts.DeleteAll();
            _companies.DeleteAll();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Refresh()
    {
        _contacts.Refresh();
        _companies.Refresh();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _committer;
        await _writeLock.WaitAsync();
        try
        {
            _contacts.Dispose();
            _companies.Dispose();
        }
        finally
        {
            _writeLock.Release();
        }

        await _db.DisposeAsync();
        _stopping.Dispose();
        _writeLock.Dispose();
    }

    private async Task<IReadOnlyList<string>> WriteAsync(
        Func<Task<long>> store,
        Func<long, IEnumerable<(string Uuid, Lucene.Net.Documents.Document Document)>> documents,
        SearchIndex index,
        IReadOnlyCollection<StoredFilterValue> values,
        CancellationToken ct)
    {
        var errors = new List<string>();
        await _writeLock.WaitAsync(ct);
        try
        {
            try
            {
                var seq = await store();
                // A batch PostgreSQL refused is not indexed either, so index and database stay equal (Connectra
                // would index it anyway; docs/emulator.md).
                index.Upsert(documents(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), seq);
            }
            catch (NpgsqlException ex)
            {
                errors.Add(Describe(ex));
            }
        }
        finally
        {
            _writeLock.Release();
        }

        try
        {
            await _filters.AddValuesAsync(values, ct);
        }
        catch (NpgsqlException ex)
        {
            errors.Add(Describe(ex));
        }

        return errors;
    }

    private static string Describe(NpgsqlException ex) => ex is PostgresException pg ? pg.MessageText : ex.Message;

    private async Task<List<string>> FilterKeysAsync(string service, CancellationToken ct)
    {
        try
        {
            return await _filters.StoredValueKeysAsync(service, ct);
        }
        catch (PostgresException ex)
        {
            throw ConnectraFailure.Internal(ex.MessageText);
        }
    }

    private async Task<long> BacklogAsync(CancellationToken ct)
    {
        await using var command = _db.CreateCommand(
            "SELECT (SELECT count(*) FROM companies WHERE index_seq > $1) + (SELECT count(*) FROM contacts WHERE index_seq > $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = _companies.IndexedSeq });
        command.Parameters.Add(new NpgsqlParameter { Value = _contacts.IndexedSeq });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task CatchUpAsync(CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var companies = new List<StoredCompany>();
        await foreach (var stored in _entities.StreamCompaniesAsync(_companies.IndexedSeq, ct))
        {
            companies.Add(stored);
        }

        foreach (var chunk in companies.Chunk(CatchUpBatch))
        {
            _companies.Upsert(
                chunk.Where(s => s.Company.Uuid is not null).Select(s => (s.Company.Uuid!, IndexDocuments.Company(s.Company, now))),
                chunk[^1].IndexSeq);
        }

        var contacts = new List<StoredContact>();
        await foreach (var stored in _entities.StreamContactsAsync(_contacts.IndexedSeq, ct))
        {
            contacts.Add(stored);
        }

        foreach (var chunk in contacts.Chunk(CatchUpBatch))
        {
            var ids = chunk.Select(s => s.Contact.CompanyId ?? "").Where(id => Guid.TryParse(id, out _)).Distinct().ToList();
            var byUuid = ByUuid(await _entities.FetchCompaniesAsync(ids, null, ct), c => c.Uuid);
            _contacts.Upsert(
                chunk.Where(s => s.Contact.Uuid is not null).Select(s =>
                    (s.Contact.Uuid!, IndexDocuments.Contact(s.Contact, byUuid.GetValueOrDefault(s.Contact.CompanyId ?? ""), now))),
                chunk[^1].IndexSeq);
        }

        _contacts.Commit();
        _companies.Commit();
        if (companies.Count + contacts.Count > 0)
        {
            LogCaughtUp(_logger, companies.Count, contacts.Count);
        }
    }

    private async IAsyncEnumerable<(long, Func<Lucene.Net.Documents.Document>)> CompanyDocuments(
        long now, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var stored in _entities.StreamCompaniesAsync(0, ct))
        {
            // Elasticsearch refuses an empty _id, so such rows live in PostgreSQL only.
            if (stored.Company.Uuid is not null)
            {
                yield return (stored.IndexSeq, () => IndexDocuments.Company(stored.Company, now));
            }
        }
    }

    private async IAsyncEnumerable<(long, Func<Lucene.Net.Documents.Document>)> ContactDocuments(
        Dictionary<string, ConnectraCompany> companies, long now,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var stored in _entities.StreamContactsAsync(0, ct))
        {
            if (stored.Contact.Uuid is not null)
            {
                yield return (stored.IndexSeq, () => IndexDocuments.Contact(
                    stored.Contact, companies.GetValueOrDefault(stored.Contact.CompanyId ?? ""), now));
            }
        }
    }

    private async Task CommitPeriodicallyAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                _contacts.Commit();
                _companies.Commit();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: DisposeAsync commits a last time.
        }
    }

    /// <summary>Checks a select_columns list against the table; PostgreSQL would fail the query the same way.</summary>
    private static List<string> Columns(TableColumns table, IReadOnlyList<string> selected, string prefix)
    {
        foreach (var name in selected)
        {
            if (table.Find(name) is null)
            {
                throw ConnectraFailure.Internal($"{prefix}ERROR #42703 column \"{name}\" does not exist");
            }
        }

        return [.. selected];
    }

    private static Dictionary<string, T> ByUuid<T>(IEnumerable<T> rows, Func<T, string?> uuid)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (uuid(row) is { } key)
            {
                result.TryAdd(key, row);
            }
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Search indexes rebuilt from PostgreSQL in {ElapsedMs} ms")]
    private static partial void LogRebuilt(ILogger logger, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Indexed {Companies} companies and {Contacts} contacts written after the last commit")]
    private static partial void LogCaughtUp(ILogger logger, int companies, int contacts);
}
