using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Connectra.Backend.Application.Background;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.Persistence;
using Connectra.Backend.Application.SalesNavigator;
using Connectra.Backend.Application.Vql;
using Connectra.Backend.Application.Writing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Application.Importing;

/// <summary>
/// Runs one claimed import job (docs/imports.md#jobs). A validating pass counts the file's rows; then rows are read in
/// batches of Imports:BatchSize, matched to stored records by the match key, and written through the one write path
/// (<see cref="WriteService{TRow, TMeta}"/>, so each reaches Connectra through the outbox). A batch's records, its row
/// errors and the checkpoint after it commit in one transaction: a job resumed after a crash starts after the last
/// committed batch and applies no row twice. Two batches are in flight on two connections, committing in the file's
/// order (docs/imports.md#pipeline). Cancellation and the lease are checked between batches.
/// </summary>
public sealed partial class ImportRunner(
    WriteService<Contact, ContactMetadata> contacts,
    WriteService<Company, CompanyMetadata> companies,
    IImportRepository imports,
    IImportLookup lookup,
    IImportStorage storage,
    IWriteTransaction transaction,
    OutboxSignal outbox,
    IServiceScopeFactory scopes,
    IOptions<ImportOptions> options,
    TimeProvider clock,
    ILogger<ImportRunner> logger)
{
    /// <summary>The column the error file adds after the file's own.</summary>
    public const string ErrorColumn = "error";

    private static readonly JsonElement Null = JsonDocument.Parse("null").RootElement;

    private ImportOptions Options => options.Value;

    public async Task RunAsync(UserImport job, string owner, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Attempts > Options.MaxAttempts)
        {
            await imports.FailAsync(job.ImportId, owner,
                $"The import was started {job.Attempts - 1} times without finishing (Imports:MaxAttempts); rows up to {job.RowsRead} were imported.", stopping);
            return;
        }

        var lease = new JobLease(Options.LeaseDuration);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = lease.KeepAsync(
            c => imports.RenewAsync(job.ImportId, owner, Options.LeaseDuration, c), Options.HeartbeatInterval, clock, work, heartbeatStop.Token);
        try
        {
            if (job.Phase == ImportPhase.Validating)
            {
                var total = await CountRowsAsync(job, lease, work.Token);
                if (!await imports.StartProcessingAsync(job.ImportId, owner, total, Options.LeaseDuration, work.Token))
                {
                    return;
                }

                lease.Renewed();
                job.RowsTotal = total;
            }

            var done = job.Entity == ImportEntity.Contacts
                ? await ProcessAsync(job, owner, contacts, lease, work.Token)
                : await ProcessAsync(job, owner, companies, lease, work.Token);
            if (await imports.CompleteAsync(job.ImportId, owner, CancellationToken.None))
            {
                LogCompleted(logger, job.ImportId, done.RowsRead, done.Created, done.Updated, done.Unchanged, done.Failed);
            }
        }
        catch (Exception stopped) when (stopped is JobLeaseLostException || (stopped is OperationCanceledException && lease.Lost))
        {
            // Cancelled or taken over: whoever holds it now has the last word.
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The replica is shutting down: hand the job back for another worker to resume at its checkpoint.
            await imports.ReleaseAsync(job.ImportId, owner, CancellationToken.None);
        }
        catch (ImportFailedException failed)
        {
            await imports.FailAsync(job.ImportId, owner, failed.Message, CancellationToken.None);
        }
        catch (CsvFileException broken)
        {
            await imports.FailAsync(job.ImportId, owner, $"The file cannot be read from line {broken.Line} on: {broken.Message}; rows before it were imported.", CancellationToken.None);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
        }
    }

    /// <summary>The validating pass: the file's data rows, counted; more than Imports:MaxRows fails the job.</summary>
    private async Task<int> CountRowsAsync(UserImport job, JobLease lease, CancellationToken ct)
    {
        await using var source = await OpenSourceAsync(job, ct);
        using var reader = new CsvRecordReader(source, new CsvLimits(Options.MaxColumns, Options.MaxCellLength));
        if (await reader.ReadAsync(ct) is null)
        {
            throw new ImportFailedException("The file holds no header row.");
        }

        var rows = 0;
        while (await reader.ReadAsync(ct) is not null)
        {
            if (++rows > Options.MaxRows)
            {
                throw new ImportFailedException($"The file has more than {Options.MaxRows} data rows (Imports:MaxRows); split it and import the parts.");
            }

            if (rows % 10_000 == 0)
            {
                lease.EnsureHeld();
            }
        }

        return rows;
    }

    private async Task<Stream> OpenSourceAsync(UserImport job, CancellationToken ct)
    {
        try
        {
            return await storage.OpenReadAsync(ImportService.SourceName(job.ImportId), ct);
        }
        catch (FileNotFoundException)
        {
            throw new ImportFailedException("The uploaded file is no longer in import storage; upload it again.");
        }
    }

    private async Task<ImportProgress> ProcessAsync<TRow, TMeta>(
        UserImport job, string owner, WriteService<TRow, TMeta> writes, JobLease lease, CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        var mapping = JsonSerializer.Deserialize<Dictionary<string, string?>>(job.MappingJson) ?? [];
        var settings = new ImportSettings(job.Mode, job.MatchOn, mapping, job.BlankValues, job.DryRun);
        await using var source = await OpenSourceAsync(job, ct);
        using var reader = new CsvRecordReader(source, new CsvLimits(Options.MaxColumns, Options.MaxCellLength));
        var header = await reader.ReadAsync(ct) ?? throw new ImportFailedException("The file holds no header row.");
        IReadOnlyList<string?> paths;
        try
        {
            paths = ImportColumns.Resolve(job.Entity, settings, header.Cells);
        }
        catch (VqlValidationException refused)
        {
            throw new ImportFailedException($"The header cannot be mapped: {refused.Message}");
        }

        var plan = new RowPlan<TRow, TMeta>(job, settings, header.Cells, paths, writes.Rules.Fields);
        for (var skipped = 0; skipped < job.RowsRead; skipped++)
        {
            if (await reader.ReadAsync(ct) is null)
            {
                throw new ImportFailedException("The file is shorter than the rows already imported; it changed in storage.");
            }
        }

        await using var errorFile = await storage.OpenAppendAsync(ImportService.ErrorsName(job.ImportId), job.ErrorFileLength, ct);
        var run = new BatchRun<TRow, TMeta>(plan, errorFile, header.Cells, Stopwatch.GetTimestamp(), job.RowsRead, owner, lease);
        // Two connections, so a batch is matched and written while the one before it commits (docs/imports.md#pipeline).
        await using var second = scopes.CreateAsyncScope();
        Lane<TRow, TMeta>[] lanes =
        [
            new(writes, imports, transaction),
            new(second.ServiceProvider.GetRequiredService<WriteService<TRow, TMeta>>(), second.ServiceProvider.GetRequiredService<IImportRepository>(),
                second.ServiceProvider.GetRequiredService<IWriteTransaction>()),
        ];
        var lane = 0;
        Committed settled = new(
            new ImportProgress(job.ImportId, job.RowsRead, job.Created, job.Updated, job.Unchanged, job.Failed, job.ErrorFileLength, null), job.Failed);
        BatchInFlight? older = null;
        // The next batch is read and checked while the ones before it are written: reading is the backend's work.
        var next = ReadBatchAsync(reader, plan, ct);
        try
        {
            while (true)
            {
                var (batch, read) = await next;
                if (batch.Count == 0)
                {
                    break;
                }

                lease.EnsureHeld();
                ct.ThrowIfCancellationRequested();
                next = Task.Run(() => ReadBatchAsync(reader, plan, ct), ct);
                var newer = new BatchInFlight(batch);
                newer.Committed = WriteBatchAsync(run, lanes[lane], newer, read, older, settled, ct);
                lane ^= 1;
                if (older is not null)
                {
                    // A batch written again after a failure is written alone, once both lanes are idle: either will do.
                    settled = await SettleAsync(run, lanes[0], older, newer, settled, ct);
                    newer = newer.Redone ? null : newer;
                }

                older = newer;
            }

            if (older is not null)
            {
                settled = await SettleAsync(run, lanes[0], older, null, settled, ct);
            }

            return settled.Progress;
        }
        finally
        {
            // The reader and the second connection are disposed with this method: what still runs on them must finish first.
            await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (older?.Committed is { } last)
            {
                await ((Task)last).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Waits for the older of the batches in flight to commit. A batch that failed rolled back, and so did the one after
    /// it (it commits only after this one). A conflict (another write created one of their records meanwhile) has them
    /// written again one after the other, from their rows; anything else ends the job as before.
    /// </summary>
    private async Task<Committed> SettleAsync<TRow, TMeta>(
        BatchRun<TRow, TMeta> run, Lane<TRow, TMeta> lane, BatchInFlight older, BatchInFlight? newer, Committed settled, CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        try
        {
            var committed = await older.Committed;
            run.Lease.Renewed();
            outbox.Notify();
            return committed;
        }
        catch (Exception failure)
        {
            if (newer is not null)
            {
                await ((Task)newer.Committed).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            // Nothing of either batch was committed: the error file goes back to the last checkpoint.
            run.ErrorFile.SetLength(settled.Progress.ErrorFileLength);
            if (failure is not WriteRefusedException { Refusal: WriteRefusal.Conflict })
            {
                throw;
            }

            settled = await WriteAgainAsync(run, lane, older.Rows, settled, ct);
            if (newer is not null)
            {
                newer.Redone = true;
                settled = await WriteAgainAsync(run, lane, newer.Rows, settled, ct);
            }

            return settled;
        }
    }

    /// <summary>A batch that met a conflict, written alone from its rows, up to three times.</summary>
    private async Task<Committed> WriteAgainAsync<TRow, TMeta>(
        BatchRun<TRow, TMeta> run, Lane<TRow, TMeta> lane, List<CsvRow> rows, Committed settled, CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var alone = new BatchInFlight(rows);
                var committed = await WriteBatchAsync(run, lane, alone, [.. rows.Select(run.Plan.Read)], null, settled, ct);
                run.Lease.Renewed();
                outbox.Notify();
                return committed;
            }
            catch (WriteRefusedException failure) when (failure.Refusal == WriteRefusal.Conflict && attempt < 3)
            {
                run.ErrorFile.SetLength(settled.Progress.ErrorFileLength);
            }
        }
    }

    /// <summary>Up to Imports:BatchSize rows, each read through the field table (none at the end of the file).</summary>
    private async Task<(List<CsvRow> Rows, List<Candidate> Read)> ReadBatchAsync<TRow, TMeta>(CsvRecordReader reader, RowPlan<TRow, TMeta> plan, CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        var rows = new List<CsvRow>(Options.BatchSize);
        while (rows.Count < Options.BatchSize && await reader.ReadAsync(ct) is { } row)
        {
            rows.Add(row);
        }

        return (rows, [.. rows.Select(plan.Read)]);
    }

    /// <summary>
    /// One batch, inside its transaction on its lane: its records written, then, once the batch before it has committed,
    /// its rejected rows appended to the error file and the checkpoint after it with its row errors, so all of it
    /// commits or none of it does, and batches commit in the file's order.
    /// </summary>
    private Task<Committed> WriteBatchAsync<TRow, TMeta>(
        BatchRun<TRow, TMeta> run, Lane<TRow, TMeta> lane, BatchInFlight batch, List<Candidate> candidates, BatchInFlight? prior, Committed settled,
        CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow =>
        lane.Transaction.RunAsync(async inner =>
        {
            var plan = run.Plan;
            var job = plan.Job;
            BatchOutcome<TRow, TMeta> outcome;
            try
            {
                outcome = await BatchAsync(plan, lane.Writes, batch, candidates, prior, inner);
            }
            catch (Exception failure)
            {
                batch.Claimed.TrySetException(failure);
                throw;
            }

            var (progress, listed) = prior is null ? settled : await prior.Committed;
            var errorLength = outcome.Errors.Count > 0 ? await AppendErrorsAsync(run.ErrorFile, run.Header, outcome.Errors, inner) : progress.ErrorFileLength;
            var rowsRead = progress.RowsRead + batch.Rows.Count;
            var elapsed = Stopwatch.GetElapsedTime(run.Started).TotalSeconds;
            var rate = elapsed > 0 ? (rowsRead - run.RowsAtStart) / elapsed : 0;
            int? eta = rate > 0 && job.RowsTotal is { } total && total > rowsRead ? (int)Math.Ceiling((total - rowsRead) / rate) : null;
            var next = new ImportProgress(job.ImportId, rowsRead, progress.Created + outcome.Created, progress.Updated + outcome.Updated,
                progress.Unchanged + outcome.Unchanged, progress.Failed + outcome.Errors.Count, errorLength, eta);
            var errorRows = outcome.Errors.SelectMany(e => e.Problems.Select(p => new ImportRowError
            {
                ImportId = job.ImportId,
                Line = e.Row.Line,
                Column = p.Column,
                Value = p.Value is { Length: > ImportRowErrors.MaxValueLength } v ? v[..ImportRowErrors.MaxValueLength] : p.Value,
                Message = p.Message,
            })).Take(Math.Max(0, Options.MaxErrorsListed - listed)).ToList();
            return await lane.Imports.CheckpointAsync(next, errorRows, run.Owner, Options.LeaseDuration, inner)
                ? new Committed(next, listed + errorRows.Count)
                : throw new JobLeaseLostException();
        }, ct);

    /// <summary>
    /// Decides what each row of a batch does and writes it, inside the batch's transaction: its values read through the
    /// field table, its record found by the match key and locked, and the change it makes. Rows naming one record twice
    /// go in separate rounds, each written after the one before. While the batch before it is uncommitted, its matches
    /// may be stale for the keys and records that batch touches: a batch sharing any waits for it and matches again.
    /// </summary>
    private async Task<BatchOutcome<TRow, TMeta>> BatchAsync<TRow, TMeta>(
        RowPlan<TRow, TMeta> plan, WriteService<TRow, TMeta> writes, BatchInFlight batch, List<Candidate> candidates, BatchInFlight? prior,
        CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        await MatchAsync(plan, candidates, ct);
        if (prior is not null && (await ClaimsOfAsync(prior)).Overlaps(candidates))
        {
            await prior.Committed;
            candidates = [.. batch.Rows.Select(plan.Read)];
            await MatchAsync(plan, candidates, ct);
        }

        batch.Claimed.SetResult(new BatchClaims(candidates));
        return await WriteRoundsAsync(plan, writes, candidates, ct);
    }

    /// <summary>What the batch before matched; its failure if it failed first (before matching, its transaction may never have begun).</summary>
    private static async Task<BatchClaims> ClaimsOfAsync(BatchInFlight prior)
    {
        await Task.WhenAny(prior.Claimed.Task, prior.Committed);
        if (!prior.Claimed.Task.IsCompleted)
        {
            await prior.Committed;
            throw new InvalidOperationException("a batch committed without matching its rows");
        }

        return await prior.Claimed.Task;
    }

    /// <summary>Each row's target: the stored record its key matches, or a new one.</summary>
    private async Task MatchAsync<TRow, TMeta>(RowPlan<TRow, TMeta> plan, List<Candidate> candidates, CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        IReadOnlyDictionary<string, List<string>> hits = new Dictionary<string, List<string>>();
        if (plan.Settings.MatchOn != ImportMatchKey.Uuid)
        {
            var keys = candidates.Where(c => c.Ok && c.Key is not null).Select(c => c.Key!).Distinct(StringComparer.Ordinal).ToList();
            hits = await lookup.FindAsync(plan.Job.Entity, plan.Settings.MatchOn, keys, ct);
        }

        var assigned = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var candidate in candidates.Where(c => c.Ok))
        {
            plan.Target(candidate, hits, assigned);
        }
    }

    private async Task<BatchOutcome<TRow, TMeta>> WriteRoundsAsync<TRow, TMeta>(
        RowPlan<TRow, TMeta> plan, WriteService<TRow, TMeta> writes, List<Candidate> candidates, CancellationToken ct)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        // Round n holds each record's n-th row of the batch, so a round names each record once.
        var rounds = new List<List<Candidate>>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var candidate in candidates.Where(c => c.Ok))
        {
            var round = seen[candidate.Target!] = seen.GetValueOrDefault(candidate.Target!) + 1;
            if (rounds.Count < round)
            {
                rounds.Add([]);
            }

            rounds[round - 1].Add(candidate);
        }

        var outcome = new BatchOutcome<TRow, TMeta>();
        // What earlier rounds of this batch will have written, so later rounds build on it (and a dry run counts alike).
        var pending = new Dictionary<string, (TRow Row, TMeta Metadata)>(StringComparer.Ordinal);
        foreach (var round in rounds)
        {
            // A derived uuid names a record only this row creates: of a batch of new rows, nothing is read.
            var stored = await writes.LockAsync([.. round.Where(c => !c.Derived).Select(c => c.Target!)], ct);
            var changes = new List<(Candidate Candidate, RecordChange<TRow, TMeta> Change)>();
            foreach (var candidate in round)
            {
                (TRow Row, TMeta Metadata)? found = stored.TryGetValue(candidate.Target!, out var record) ? record : null;
                if (pending.TryGetValue(candidate.Target!, out var earlier))
                {
                    found = earlier;
                }

                if (plan.Decide(candidate, found, writes.Rules) is { } change)
                {
                    changes.Add((candidate, change));
                }
            }

            await plan.CheckReferencesAsync(changes, lookup, ct);
            var kept = changes.Where(c => c.Candidate.Ok).ToList();
            foreach (var (candidate, change) in kept)
            {
                pending[candidate.Target!] = (change.Row, change.Metadata);
                if (change.Stored is { Row.DeletedAt: null })
                {
                    outcome.Updated++;
                }
                else
                {
                    outcome.Created++;
                }
            }

            if (kept.Count > 0 && !plan.Job.DryRun)
            {
                await writes.SaveAsync([.. kept.Select(k => k.Change)], ct);
            }
        }

        outcome.Unchanged = candidates.Count(c => c is { Ok: true, Unchanged: true });
        outcome.Errors.AddRange(candidates.Where(c => !c.Ok));
        return outcome;
    }

    private static async Task<long> AppendErrorsAsync(Stream file, IReadOnlyList<string> header, List<Candidate> rejected, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 14);
        var csv = new Utf8CsvWriter(buffer);
        if (file.Length == 0)
        {
            csv.WriteRecord([.. header, ErrorColumn]);
        }

        foreach (var row in rejected)
        {
            // Cells as they were; a short row is padded and a long one cut to the header, which its error says.
            for (var i = 0; i < header.Count; i++)
            {
                csv.WriteField(i < row.Row.Cells.Count ? row.Row.Cells[i] : "");
            }

            csv.WriteField(string.Join("; ", row.Problems.Select(p => p.Column is null ? p.Message : $"{p.Column}: {p.Message}")));
            csv.EndRecord();
        }

        await file.WriteAsync(buffer.WrittenMemory, ct);
        await file.FlushAsync(ct);
        return file.Length;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} completed: {Rows} rows, {Created} created, {Updated} updated, {Unchanged} unchanged, {Failed} failed")]
    private static partial void LogCompleted(ILogger logger, string importId, int rows, int created, int updated, int unchanged, int failed);

    /// <summary>One problem of a row: the CSV column (null for the whole row), the value, what to fix.</summary>
    internal sealed record Problem(string? Column, string? Value, string Message);

    /// <summary>A data row on its way to a record.</summary>
    internal sealed class Candidate(CsvRow row)
    {
        public CsvRow Row { get; } = row;
        public List<Problem> Problems { get; } = [];
        public bool Ok => Problems.Count == 0;
        public List<(int Column, object Field, object? Value)> Values { get; } = [];
        public string? Uuid { get; set; }
        public string? Key { get; set; }
        public string? Target { get; set; }

        /// <summary>The target is a uuid derived for a new record, so there is nothing stored to read or lock for it.</summary>
        public bool Derived { get; set; }
        public bool Unchanged { get; set; }

        public void Fail(string? column, string? value, string message) => Problems.Add(new Problem(column, value, message));
    }

    /// <summary>What every batch of one job's processing shares.</summary>
    private sealed record BatchRun<TRow, TMeta>(
        RowPlan<TRow, TMeta> Plan, Stream ErrorFile, IReadOnlyList<string> Header, long Started, int RowsAtStart, string Owner, JobLease Lease)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow;

    /// <summary>The write path on one connection: a batch in flight has a lane to itself.</summary>
    private sealed record Lane<TRow, TMeta>(WriteService<TRow, TMeta> Writes, IImportRepository Imports, IWriteTransaction Transaction)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow;

    /// <summary>The progress a committed batch checkpointed, and how many row errors are listed so far.</summary>
    private sealed record Committed(ImportProgress Progress, int Listed);

    /// <summary>A batch being written: its rows, what it matched, and its commit.</summary>
    private sealed class BatchInFlight(List<CsvRow> rows)
    {
        public List<CsvRow> Rows { get; } = rows;

        /// <summary>Set once the batch has matched its rows, before it locks or writes anything.</summary>
        public TaskCompletionSource<BatchClaims> Claimed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<Committed> Committed { get; set; } = Task.FromResult<Committed>(null!);

        /// <summary>It failed with the batch before it and was written again alone.</summary>
        public bool Redone { get; set; }
    }

    /// <summary>The match keys and records a batch touches.</summary>
    private sealed class BatchClaims(IReadOnlyList<Candidate> candidates)
    {
        private readonly HashSet<string> _keys = [.. candidates.Select(c => c.Key).OfType<string>()];
        private readonly HashSet<string> _records = [.. candidates.SelectMany(c => new[] { c.Target, c.Uuid }).OfType<string>()];

        /// <summary>
        /// Whether a later batch shares a key or a record with this one: matched before this one commits, its match may
        /// miss a record this one creates or renames, or name one this one changes.
        /// </summary>
        public bool Overlaps(List<Candidate> later) => later.Any(c =>
            (c.Key is { } key && _keys.Contains(key)) || (c.Target is { } target && _records.Contains(target)) || (c.Uuid is { } uuid && _records.Contains(uuid)));
    }

    private sealed class BatchOutcome<TRow, TMeta>
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        public List<Candidate> Errors { get; } = [];
        public int Created { get; set; }
        public int Updated { get; set; }
        public int Unchanged { get; set; }
    }

    /// <summary>How the rows of one job become records: its columns' fields and its options.</summary>
    private sealed class RowPlan<TRow, TMeta>
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        private readonly IReadOnlyList<string> _header;
        private readonly WriteField<TRow, TMeta>?[] _fields;
        private readonly int _uuidColumn;
        private readonly int _keyColumn;
        private readonly int _companyColumn;

        public RowPlan(UserImport job, ImportSettings settings, IReadOnlyList<string> header, IReadOnlyList<string?> paths, IReadOnlyList<WriteField<TRow, TMeta>> fields)
        {
            (Job, Settings, _header) = (job, settings, header);
            _fields = [.. paths.Select(p => p is null or "uuid" ? null : fields.Single(f => (f.InMetadata ? $"metadata.{f.Name}" : f.Name) == p))];
            _uuidColumn = paths.ToList().IndexOf("uuid");
            _keyColumn = paths.ToList().IndexOf(ImportColumns.KeyField(settings.MatchOn));
            _companyColumn = job.Entity == ImportEntity.Contacts ? paths.ToList().IndexOf("company_id") : -1;
        }

        public UserImport Job { get; }

        public ImportSettings Settings { get; }

        private string KeyName => ImportSettings.Word(Settings.MatchOn);

        public Candidate Read(CsvRow row)
        {
            var candidate = new Candidate(row);
            if (row.Error is { } broken)
            {
                var column = row.ErrorColumn is { } c && c < _header.Count ? _header[c] : null;
                candidate.Fail(column, null, $"the row {broken}");
                return candidate;
            }

            if (row.Cells.Count != _header.Count)
            {
                candidate.Fail(null, null,
                    $"the row has {row.Cells.Count} cells but the header has {_header.Count}; give every row one cell per column (empty cells included)");
                return candidate;
            }

            for (var i = 0; i < row.Cells.Count; i++)
            {
                var cell = Unprefixed(row.Cells[i]);
                if (i == _uuidColumn)
                {
                    ReadUuid(candidate, i, cell);
                    continue;
                }

                if (_fields[i] is not { } field)
                {
                    continue;
                }

                if (cell.Trim().Length == 0 && Settings.BlankValues == ImportBlankValues.Ignore)
                {
                    continue;
                }

                try
                {
                    var value = Cell(field.Value, cell, _header[i]);
                    candidate.Values.Add((i, field, value));
                    if (i == _keyColumn)
                    {
                        candidate.Key = KeyOf(value);
                    }
                }
                catch (VqlValidationException refused)
                {
                    candidate.Fail(_header[i], row.Cells[i], refused.Message);
                }
            }

            return candidate;
        }

        /// <summary>The record a row is for: the one its key matches, or a new one.</summary>
        public void Target(Candidate candidate, IReadOnlyDictionary<string, List<string>> hits, Dictionary<string, string> assigned)
        {
            var line = candidate.Row.Line;
            if (Settings.MatchOn == ImportMatchKey.Uuid)
            {
                candidate.Target = candidate.Uuid ?? (Settings.Mode == ImportMode.Create ? New(candidate, line) : null);
                if (candidate.Target is null)
                {
                    candidate.Fail(_uuidColumn >= 0 ? _header[_uuidColumn] : null, "", "the uuid is empty; it is the match key (match_on=uuid)");
                }

                return;
            }

            var keyColumn = _header[_keyColumn];
            if (candidate.Key is not { } key)
            {
                candidate.Fail(keyColumn, "", $"the {KeyName} is empty; it is the match key (match_on={KeyName})");
                return;
            }

            var matched = hits.GetValueOrDefault(key) ?? [];
            if (matched.Count > 1)
            {
                candidate.Fail(keyColumn, key, $"{matched.Count} records have this {KeyName} ({string.Join(", ", matched.Take(3))}); match on uuid to say which one");
                return;
            }

            if (matched.Count == 1)
            {
                if (candidate.Uuid is { } uuid && uuid != matched[0])
                {
                    candidate.Fail(_header[_uuidColumn], uuid, $"the record with this {KeyName} has the uuid {matched[0]}, not {uuid}; a record's uuid never changes");
                    return;
                }

                candidate.Target = matched[0];
                return;
            }

            // No stored record has the key: an earlier row of the batch may be creating it.
            candidate.Target = assigned.TryGetValue(key, out var first) ? first : assigned[key] = candidate.Uuid ?? New(candidate, line);
        }

        /// <summary>The change a row makes to its record, or null when it makes none (unchanged or refused).</summary>
        public RecordChange<TRow, TMeta>? Decide(Candidate candidate, (TRow Row, TMeta Metadata)? found, IWriteRules<TRow, TMeta> rules)
        {
            var live = found is { Row.DeletedAt: null };
            var keyColumn = _keyColumn >= 0 ? _header[_keyColumn] : null;
            if (Settings.Mode == ImportMode.Create && live)
            {
                candidate.Fail(keyColumn, candidate.Key ?? candidate.Target,
                    $"a record with this {KeyName} exists already (uuid {candidate.Target}); mode create only adds records (use upsert or update to change it)");
                return null;
            }

            if (Settings.Mode == ImportMode.Update && !live)
            {
                candidate.Fail(keyColumn, candidate.Key ?? candidate.Target, $"no record has this {KeyName}; mode update only changes records (use upsert or create to add it)");
                return null;
            }

            var (row, metadata) = live ? rules.Copy(found!.Value.Row, found.Value.Metadata) : rules.Empty(candidate.Target!);
            foreach (var (_, field, value) in candidate.Values)
            {
                ((WriteField<TRow, TMeta>)field).Set(row, metadata, value);
            }

            if (live && rules.Fields.All(f => Equals(Normal(f.Get(found!.Value.Row, found.Value.Metadata)), Normal(f.Get(row, metadata)))))
            {
                candidate.Unchanged = true;
                return null;
            }

            return new RecordChange<TRow, TMeta>(row, metadata, found);
        }

        /// <summary>Contacts: a company_id must name a live company, checked for the whole round at once.</summary>
        public async Task CheckReferencesAsync(List<(Candidate Candidate, RecordChange<TRow, TMeta> Change)> changes, IImportLookup lookup, CancellationToken ct)
        {
            if (Job.Entity != ImportEntity.Contacts)
            {
                return;
            }

            var named = changes.Select(c => (c.Candidate, Company: (c.Change.Row as Contact)?.CompanyId)).Where(c => c.Company is not null).ToList();
            if (named.Count == 0)
            {
                return;
            }

            var live = await lookup.LiveCompaniesAsync([.. named.Select(c => c.Company!).Distinct(StringComparer.Ordinal)], ct);
            foreach (var (candidate, company) in named.Where(c => !live.Contains(c.Company!)))
            {
                candidate.Fail(_companyColumn >= 0 ? _header[_companyColumn] : "company_id", company, $"no company has the uuid {company}; import the companies first");
            }
        }

        private void ReadUuid(Candidate candidate, int column, string cell)
        {
            if (cell.Trim().Length == 0)
            {
                return;
            }

            try
            {
                candidate.Uuid = Uuids.Parse(cell.Trim(), _header[column]);
                if (Settings.MatchOn == ImportMatchKey.Uuid)
                {
                    candidate.Key = candidate.Uuid;
                }
            }
            catch (VqlValidationException refused)
            {
                candidate.Fail(_header[column], cell, refused.Message);
            }
        }

        private string? KeyOf(object? value) => (Settings.MatchOn, value) switch
        {
            (ImportMatchKey.Website, string url) => Domain(url),
            (_, string text) => text,
            _ => null,
        };

        private string NewUuid(long line) => UuidV5.Text(UuidV5.UrlNamespace, $"connectra-import:{Job.ImportId}:{line}");

        /// <summary>A uuid for a new record, derived from the import and the line: no stored record can have it yet.</summary>
        private string New(Candidate candidate, long line)
        {
            candidate.Derived = true;
            return NewUuid(line);
        }

        private static object? Normal(object? value) => value switch
        {
            IEnumerable<string> list => string.Join('\u0001', list),
            _ => value,
        };
    }

    /// <summary>A website's domain as a match key: its host, lower-case, without a leading <c>www.</c>.</summary>
    public static string? Domain(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0
            ? uri.Host.ToLowerInvariant() is var host && host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host
            : null;

    /// <summary>
    /// A cell as it was before an export neutralised it: exports lead a cell a spreadsheet would run as a formula
    /// with <c>'</c> (docs/exports.md#format), so an export file imports as it is.
    /// </summary>
    public static string Unprefixed(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Length > 1 && cell[0] == CsvInjection.Prefix && CsvInjection.NeedsPrefix(Encoding.UTF8.GetBytes(cell[1..])) ? cell[1..] : cell;
    }

    /// <summary>
    /// A cell's value as its field reads it, the same as the JSON value the cell stands for would be read: empty is
    /// null, lists split on commas, counts as numbers where they are. Read straight from the text, since a JSON value
    /// per cell is most of an import's cost.
    /// </summary>
    private static object? Cell(WriteValue kind, string cell, string path) => kind.Kind switch
    {
        _ when cell.Length == 0 => kind.Read(Null, path),
        WriteKind.List => kind.ReadItems(cell.Split(ExportColumns.ListSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), path),
        WriteKind.Count when long.TryParse(cell.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
        // Not a number: the JSON string it is, refused in the words a body's string would be.
        WriteKind.Count => kind.Read(JsonSerializer.SerializeToElement(cell), path),
        _ => kind.ReadString(cell, path),
    };

    private sealed class ImportFailedException(string message) : Exception(message);
}
