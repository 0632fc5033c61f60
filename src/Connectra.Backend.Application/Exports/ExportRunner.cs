using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Connectra.Backend.Application.Background;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Reading;
using Connectra.Backend.Application.Upstream;
using Connectra.Backend.Application.Vql;
using Connectra.Client;
using Connectra.Client.Records;
using Connectra.Client.Vql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Application.Exports;

/// <summary>
/// Runs one claimed export job (docs/exports.md#how-a-job-runs). Rows are read from Connectra only — by uuid in
/// batches, or by walking a query's cursor with no window and no ceiling, several uuid ranges at once when the query
/// has no sort — and streamed into part files while the next page is fetched. Progress is checkpointed, so a job
/// taken over after a crash goes on from its last checkpoint. Cancellation is honoured between batches, and a job
/// that was cancelled is never marked completed.
/// </summary>
public sealed partial class ExportRunner(
    EntityReader<ConnectraContact> contacts,
    EntityReader<ConnectraCompany> companies,
    IExportRepository exports,
    IExportStorage storage,
    IOptions<ExportOptions> options,
    IOptions<ConnectraOptions> connectra,
    ExportMetrics metrics,
    TimeProvider clock,
    ILogger<ExportRunner> logger)
{
    /// <summary>Requested uuids nothing matched that a status lists by value; the rest are counted.</summary>
    public const int MissingSample = 100;

    /// <summary>Uuids looked up per batch: ten Connectra calls of 100, run in parallel.</summary>
    private const int UuidWindow = 1000;

    private ExportOptions Options => options.Value;

    /// <summary>Runs the job to completion, failure or cancellation; returns when the job is no longer this worker's.</summary>
    public async Task RunAsync(UserExport job, string owner, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            if (job.Attempts > Options.MaxAttempts)
            {
                await FailJobAsync(job, owner,
                    $"The export was interrupted {job.Attempts - 1} times before it could finish; ask for it again.", stopping);
                return;
            }

            await (job.Kind switch
            {
                ExportKind.Chunked => MergeAsync(job, owner, stopping),
                _ when job.ExportType == ExportType.Contacts =>
                    ExportAsync(job, owner, contacts, ExportColumns.Contacts, populateCompanies: true, stopping),
                _ => ExportAsync(job, owner, companies, ExportColumns.Companies, populateCompanies: false, stopping),
            });
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The host is stopping: hand the job back so a running replica resumes it from its checkpoint.
            await exports.ReleaseAsync(job.ExportId, owner, CancellationToken.None);
        }
        catch (JobLeaseLostException)
        {
            // Cancelled by its owner, or taken over after a lost lease: the job is someone else's business now, and
            // only a cancelled job's parts may go (a job taken over goes on with them).
            LogStopped(logger, job.ExportId);
            if ((await exports.FindAsync(job.ExportId, job.UserId, CancellationToken.None))?.Status == ExportStatus.Cancelled)
            {
                await DeletePartsAsync(job, CancellationToken.None);
            }
        }
        catch (JobFailedException failure)
        {
            await FailJobAsync(job, owner, failure.Message, CancellationToken.None);
        }
        catch (Exception unexpected) when (unexpected is not OperationCanceledException)
        {
            LogUnexpected(logger, unexpected, job.ExportId);
            await FailJobAsync(job, owner,
                $"The export failed unexpectedly; quote export {job.ExportId} when reporting it.", CancellationToken.None);
        }
    }

    private async Task FailJobAsync(UserExport job, string owner, string message, CancellationToken ct)
    {
        // Not recorded when the job was cancelled or taken over meanwhile: it did not fail here. Its parts are then
        // another worker's (or the cancellation's) to handle: a worker that lost the job deleting them would pull
        // the files from under the one that took it over.
        if (await exports.FailAsync(job.ExportId, owner, message, ct))
        {
            metrics.Finished(ExportMetrics.Failed);
            await DeletePartsAsync(job, CancellationToken.None);
        }
    }

    private async Task ExportAsync<T>(
        UserExport job, string owner, EntityReader<T> reader, IReadOnlyList<ExportColumn<T>> table, bool populateCompanies,
        CancellationToken stopping)
        where T : class, IConnectraRecord
    {
        var columns = job.Columns.Count == 0 ? table : ExportColumns.Choose(table, job.Columns, "columns");
        var selection = Selection(columns, populateCompanies);
        var checkpoint = ExportCheckpoint.FromJson(job.Checkpoint);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var progress = new JobProgress(job, checkpoint, Options.LeaseDuration);

        IReadOnlyList<Func<CancellationToken, Task>> streams;
        AdaptiveConcurrency? pacing = null;
        if (job.Kind == ExportKind.Uuids)
        {
            var uuids = job.ExportType == ExportType.Contacts ? job.ContactUuids : job.CompanyUuids;
            var state = await ResumeAsync(job, progress, 0, stopping);
            if (state.Current.Position == 0)
            {
                progress.StartOver();
            }

            streams = [c => ByUuidsAsync(job, reader, selection, columns, uuids, state, progress, c)];
        }
        else
        {
            var specs = await QuerySpecsAsync(job, reader, selection, checkpoint, stopping);
            if (checkpoint is not null && (checkpoint.Streams.Count != specs.Streams.Count || !SameBounds(checkpoint.Bounds, specs.Bounds)))
            {
                // Split another way than when it was saved (a changed setting): the parts do not line up; start over.
                progress = new JobProgress(job, saved: null, Options.LeaseDuration);
            }

            progress.Bounds = specs.Bounds;
            var states = new StreamState[specs.Streams.Count];
            for (var i = 0; i < specs.Streams.Count; i++)
            {
                states[i] = await ResumeAsync(job, progress, i, stopping, specs.Streams[i].After);
            }

            var pace = pacing = new AdaptiveConcurrency(start: (Options.ParallelStreams + 1) / 2, max: Options.ParallelStreams, metrics.FetchLimitChanged);
            streams = [.. specs.Streams.Select((spec, i) => (Func<CancellationToken, Task>)(c => WalkAsync(job, reader, spec, columns, states[i], progress, pace, c)))];
        }

        var checkpoints = KeepCheckpointingAsync(job, owner, progress, run);
        try
        {
            await Task.WhenAll(streams.Select(stream => stream(run.Token)));
        }
        catch (OperationCanceledException) when (progress.Lease.Lost)
        {
            throw new JobLeaseLostException();
        }
        finally
        {
            await run.CancelAsync();
            await checkpoints;
            pacing?.Dispose();
        }

        if (progress.Lease.Lost)
        {
            throw new JobLeaseLostException();
        }

        await FinishAsync(job, owner, columns.Select(c => c.Name), progress, stopping);
    }

    /// <summary>Uuid ranges an export by query is cut into per stream allowed at once: enough to keep streams even.</summary>
    private const int RangesPerStream = 4;

    /// <summary>
    /// The searches of an export by query: with a sort (or a uuid range of its own), one walk in that order; without
    /// one, a walk in uuid order per range between sampled bounds (docs/exports.md#streams), read a few at a time and
    /// concatenated in uuid order at the end. A resumed job keeps the bounds its checkpoint recorded.
    /// </summary>
    private async Task<StreamPlan> QuerySpecsAsync<T>(
        UserExport job, EntityReader<T> reader, RowSelection selection, ExportCheckpoint? checkpoint, CancellationToken ct)
        where T : class, IConnectraRecord
    {
        var query = JsonSerializer.Deserialize(job.QueryJson!, ExportJson.Default.VqlSearchRequest)
            ?? throw new JobFailedException("The export's query could not be read back.");
        var planned = reader.Plan(query, selection.CompanyConfig);
        var spec = planned with { SelectColumns = selection.Columns };
        var hasUuidRange = spec.Where?.RangeQuery?.Must?.ContainsKey("uuid") ?? false;
        if (!string.IsNullOrWhiteSpace(query.SortBy) || hasUuidRange || Options.ParallelStreams == 1)
        {
            return new StreamPlan([new StreamSpec(spec, null, null)], null);
        }

        IReadOnlyList<string>? bounds = checkpoint?.Bounds is { } saved && checkpoint.Streams.Count == saved.Count + 1 ? saved : null;
        if (bounds is null)
        {
            var planning = new StreamState(-1, new StreamCheckpoint(null, 0, 0, 0, false));
            await WithinOutageBudgetAsync(planning, async () => bounds = await ExportStreams.BoundsAsync(
                (from, to, c) => reader.CountAsync(WithUuidRange(spec.Where, from, to), c), Options.ParallelStreams * RangesPerStream, ct), ct);
        }

        var byUuid = reader.ByUuid(spec.Where, new RowSelection(selection.Columns, selection.CompanyConfig));
        var streams = Enumerable.Range(0, bounds!.Count + 1)
            .Select(i => new StreamSpec(byUuid, i == 0 ? null : [bounds[i - 1]], i < bounds.Count ? bounds[i] : null))
            .ToList();
        return new StreamPlan(streams, bounds);
    }

    private static bool SameBounds(IReadOnlyList<string>? saved, IReadOnlyList<string>? planned) =>
        (saved ?? []).SequenceEqual(planned ?? [], StringComparer.Ordinal);

    /// <summary>One stream: its search, the sort values it starts after, and the uuid it ends with (null: the end).</summary>
    private sealed record StreamSpec(SearchSpec Search, IReadOnlyList<string>? After, string? UpTo);

    private sealed record StreamPlan(IReadOnlyList<StreamSpec> Streams, IReadOnlyList<string>? Bounds);

    private static VqlWhere WithUuidRange(VqlWhere? where, string? from, string? to)
    {
        var range = new VqlRange
        {
            Gte = from is null ? null : VqlValue.Of(from),
            Lt = to is null ? null : VqlValue.Of(to),
        };
        var must = new Dictionary<string, VqlRange>(where?.RangeQuery?.Must ?? new Dictionary<string, VqlRange>()) { ["uuid"] = range };
        return (where ?? new VqlWhere()) with { RangeQuery = new VqlRangeQuery { Must = must } };
    }

    private async Task WalkAsync<T>(
        UserExport job, EntityReader<T> reader, StreamSpec stream, IReadOnlyList<ExportColumn<T>> columns, StreamState state,
        JobProgress progress, AdaptiveConcurrency pacing, CancellationToken ct)
        where T : class, IConnectraRecord
    {
        if (state.Current.Done)
        {
            return;
        }

        await using var part = await PartWriter.OpenAsync(storage, PartName(job, state.Index), state.Current.Bytes, ct);
        // Pages are read from Connectra's bytes into CSV while the previous one is being written (docs/exports.md#reading-pages).
        var pages = ExportPageReader.For(columns, stream.UpTo);
        var compressed = connectra.Value.CompressExportReads;
        await WithinOutageBudgetAsync(state, async () =>
        {
            var walk = reader.RawPagesAsync(stream.Search, state.Current.After, compressed, body => pages.Read(body.Span), pacing.EnterAsync, ct);
            await foreach (var page in Prefetch(walk, ct))
            {
                using (page)
                {
                    progress.Lease.EnsureHeld();
                    var bytes = await part.AppendAsync(page.Csv, ct);
                    metrics.RowsWritten(page.Count);
                    state.Current = state.Current with { After = page.Cursor, Rows = state.Current.Rows + page.Count, Bytes = bytes, Done = page.Ended };
                }
            }
        }, ct);
        state.Current = state.Current with { Done = true };
    }

    private async Task ByUuidsAsync<T>(
        UserExport job, EntityReader<T> reader, RowSelection selection, IReadOnlyList<ExportColumn<T>> columns, IReadOnlyList<string> uuids,
        StreamState state, JobProgress progress, CancellationToken ct)
        where T : class, IConnectraRecord
    {
        if (state.Current.Done)
        {
            return;
        }

        await using var part = await PartWriter.OpenAsync(storage, PartName(job, 0), state.Current.Bytes, ct);
        await WithinOutageBudgetAsync(state, async () =>
        {
            var windows = Windows(uuids, state.Current.Position).Select(window => (Func<CancellationToken, Task<(int Count, Batching.BatchResult<T> Found)>>)(
                async c => (window.Count, await reader.GetManyAsync(window, selection, c))));
            await foreach (var (count, found) in Prefetch(Sequence(windows, ct), ct))
            {
                progress.Lease.EnsureHeld();
                foreach (var row in found.Found)
                {
                    part.Write(columns, row);
                }

                var bytes = await part.FlushAsync(ct);
                metrics.RowsWritten(found.Found.Count);
                progress.Missing(found.Missing);
                state.Current = state.Current with
                {
                    Position = state.Current.Position + count, Rows = state.Current.Rows + found.Found.Count, Bytes = bytes,
                };
            }
        }, ct);
        state.Current = state.Current with { Done = true };
    }

    private static IEnumerable<IReadOnlyList<string>> Windows(IReadOnlyList<string> uuids, int from)
    {
        for (var start = from; start < uuids.Count; start += UuidWindow)
        {
            yield return [.. uuids.Skip(start).Take(UuidWindow)];
        }
    }

    private static async IAsyncEnumerable<TResult> Sequence<TResult>(
        IEnumerable<Func<CancellationToken, Task<TResult>>> steps, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var step in steps)
        {
            yield return await step(ct);
        }
    }

    /// <summary>
    /// Retries a stream while Connectra is unavailable, from where it stopped, until the outage lasts longer than
    /// the budget: then the job fails and says so; a short file is never passed off as complete.
    /// </summary>
    private async Task WithinOutageBudgetAsync(StreamState state, Func<Task> walk, CancellationToken ct)
    {
        DateTimeOffset? outageSince = null;
        var wait = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            var rowsBefore = state.Current.Rows + state.Current.Position;
            try
            {
                await walk();
                return;
            }
            catch (UpstreamUnavailableException unavailable)
            {
                if (state.Current.Rows + state.Current.Position != rowsBefore)
                {
                    outageSince = null; // it got further: a new outage, not the same one
                }

                var now = clock.GetUtcNow();
                outageSince ??= now;
                if (now - outageSince >= Options.OutageBudget)
                {
                    throw new JobFailedException(
                        $"Connectra was unavailable for more than {Options.OutageBudget.TotalSeconds:0} s ({unavailable.Reason}); " +
                        "the export was stopped and no file was produced. Ask for it again later.");
                }

                LogOutage(logger, unavailable.Reason, wait.TotalMilliseconds);
                await Task.Delay(wait, clock, ct);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(15).Ticks));
            }
            catch (UpstreamRejectedException rejected)
            {
                throw new JobFailedException($"Connectra refused the export's query ({rejected.Reason}); the export was stopped.");
            }
        }
    }

    /// <summary>Writes the header and the parts, in order, into the file the analyst downloads, then completes the job.</summary>
    private async Task FinishAsync(UserExport job, string owner, IEnumerable<string> header, JobProgress progress, CancellationToken ct)
    {
        var name = FileName(job);
        var parts = progress.Streams.Select(s => PartName(job, s.Index)).ToList();
        var length = await ConcatenateAsync(name, header, parts, partsHaveHeader: false, ct);
        var rows = progress.Rows;
        var notice = job.Kind == ExportKind.Query && rows != job.TotalRecords
            ? $"Connectra counted {job.TotalRecords} matching rows when the export was asked for; {rows} were exported (rows changed in between, or Connectra's count and its rows disagree)."
            : null;
        var completion = new ExportCompletion(
            job.ExportId, name, $"export_{job.ExportId}.csv", length, rows, job.TotalRecords, progress.MissingCount, progress.MissingUuids,
            notice, clock.GetUtcNow() + Options.FileLifetime);
        await CompleteAsync(job, owner, completion, parts, ct);
    }

    private async Task CompleteAsync(UserExport job, string owner, ExportCompletion completion, IReadOnlyList<string> parts, CancellationToken ct)
    {
        if (!await exports.CompleteAsync(completion, owner, ct))
        {
            // Cancelled at the last moment, or taken over: the cancellation stands and the file goes.
            if (completion.FilePath is { Length: > 0 } file)
            {
                await storage.DeleteAsync(file, CancellationToken.None);
            }

            throw new JobLeaseLostException();
        }

        metrics.Finished(ExportMetrics.Completed);
        foreach (var part in parts)
        {
            await storage.DeleteAsync(part, CancellationToken.None);
        }
    }

    /// <summary>A chunked export, once its chunks are done: fails with them, or merges their files into one.</summary>
    private async Task MergeAsync(UserExport job, string owner, CancellationToken ct)
    {
        var chunks = await exports.ChunksAsync(job.ExportId, ct);
        var failed = chunks.Count(c => c.Status == ExportStatus.Failed);
        var cancelled = chunks.Count(c => c.Status == ExportStatus.Cancelled);
        if (failed + cancelled > 0)
        {
            throw new JobFailedException(failed > 0 ? $"{failed} chunk export(s) failed" : $"{cancelled} chunk export(s) were cancelled");
        }

        var rows = chunks.Sum(c => c.RecordsProcessed);
        var missing = chunks.Sum(c => c.MissingCount);
        var missingUuids = chunks.SelectMany(c => c.MissingUuids).Take(MissingSample).ToList();
        var expires = clock.GetUtcNow() + Options.FileLifetime;
        if (!job.Merge)
        {
            await CompleteAsync(job, owner, new ExportCompletion(job.ExportId, "", "", 0, rows, job.TotalRecords, missing, missingUuids, null, expires), [], ct);
            return;
        }

        var header = job.Columns.Count == 0 ? ExportColumns.Contacts.Select(c => c.Name) : job.Columns;
        var name = FileName(job);
        var length = await ConcatenateAsync(name, header, [.. chunks.Select(c => c.FilePath!)], partsHaveHeader: true, ct);
        await CompleteAsync(job, owner,
            new ExportCompletion(job.ExportId, name, $"export_{job.ExportId}.csv", length, rows, job.TotalRecords, missing, missingUuids, null, expires),
            [], ct);
    }

    /// <summary>
    /// Writes the header, then the parts' bytes as they are. The files of a chunked export's chunks start with that same
    /// header (a single line: column names hold no line break), which is checked and left out.
    /// </summary>
    private async Task<long> ConcatenateAsync(string name, IEnumerable<string> header, IReadOnlyList<string> parts, bool partsHaveHeader, CancellationToken ct)
    {
        var headerLine = new ArrayBufferWriter<byte>();
        new Utf8CsvWriter(headerLine).WriteRecord(header);
        await using var target = await storage.OpenAppendAsync(name, 0, ct);
        await target.WriteAsync(headerLine.WrittenMemory, ct);
        foreach (var part in parts)
        {
            await using var source = await storage.OpenReadAsync(part, ct);
            if (partsHaveHeader)
            {
                await SkipHeaderAsync(source, headerLine.WrittenMemory, ct);
            }

            await source.CopyToAsync(target, 1 << 16, ct);
        }

        await target.FlushAsync(ct);
        return target.Length;
    }

    private static async Task SkipHeaderAsync(Stream source, ReadOnlyMemory<byte> header, CancellationToken ct)
    {
        var start = new byte[header.Length];
        var read = await source.ReadAtLeastAsync(start, start.Length, throwOnEndOfStream: false, ct);
        if (read != start.Length || !header.Span.SequenceEqual(start))
        {
            // Never glue a part under a header it does not share: its cells would land in the wrong columns.
            throw new JobFailedException("A chunk's file does not start with the export's header; the chunks could not be merged.");
        }
    }

    /// <summary>
    /// Writes a checkpoint now and then, until the job ends; stops the job when it was cancelled or taken over. A
    /// checkpoint that cannot be written (the database away) is tried again; if that lasts, the streams stop by
    /// themselves before the lease runs out, and the job is resumed later from its last checkpoint.
    /// </summary>
    private async Task KeepCheckpointingAsync(UserExport job, string owner, JobProgress progress, CancellationTokenSource run)
    {
        await progress.Lease.KeepAsync(
            c => exports.CheckpointAsync(progress.Snapshot(), owner, Options.LeaseDuration, c), Options.CheckpointInterval, clock, run, run.Token,
            failure => LogCheckpointFailed(logger, job.ExportId, failure.GetType().Name));

        // The last word on where the streams stand, so a resumed job loses no finished work.
        try
        {
            await CheckpointAsync(owner, progress, run, CancellationToken.None);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogCheckpointFailed(logger, job.ExportId, failure.GetType().Name);
            progress.Lease.MarkLost();
        }
    }

    private async Task CheckpointAsync(string owner, JobProgress progress, CancellationTokenSource run, CancellationToken ct)
    {
        if (progress.Lease.Lost)
        {
            return;
        }

        if (await exports.CheckpointAsync(progress.Snapshot(), owner, Options.LeaseDuration, ct))
        {
            progress.Lease.Renewed();
        }
        else
        {
            progress.Lease.MarkLost();
            await run.CancelAsync();
        }
    }

    /// <summary>The state of stream <paramref name="index"/>: from its checkpoint when its part file still holds that much, else from the start.</summary>
    private async Task<StreamState> ResumeAsync(UserExport job, JobProgress progress, int index, CancellationToken ct, IReadOnlyList<string>? startAfter = null)
    {
        var saved = progress.Saved(index);
        var length = await storage.LengthAsync(PartName(job, index), ct);
        var state = new StreamState(index, saved is not null && length >= saved.Bytes ? saved : new StreamCheckpoint(startAfter, 0, 0, 0, false));
        progress.Add(state);
        return state;
    }

    private async Task DeletePartsAsync(UserExport job, CancellationToken ct)
    {
        foreach (var (name, _) in await storage.ListAsync(ct))
        {
            if (name.StartsWith(job.ExportId + ".part", StringComparison.Ordinal))
            {
                await storage.DeleteAsync(name, ct);
            }
        }
    }

    /// <summary>The Connectra columns the chosen CSV columns read, and the company attached only when a company column is chosen.</summary>
    private static RowSelection Selection<T>(IReadOnlyList<ExportColumn<T>> columns, bool populateCompanies)
    {
        var own = columns.Where(c => !c.FromCompany).SelectMany(c => c.Reads).Prepend("uuid").Distinct().ToList();
        var fromCompany = columns.Where(c => c.FromCompany).SelectMany(c => c.Reads).ToList();
        var company = populateCompanies && fromCompany.Count > 0
            ? new VqlCompanyConfig { Populate = true, SelectColumns = [.. fromCompany.Prepend("uuid").Distinct()] }
            : null;
        if (company is not null && !own.Contains("company_id"))
        {
            own.Add("company_id");
        }

        return new RowSelection(own, company);
    }

    private static string PartName(UserExport job, int stream) => $"{job.ExportId}.part{stream.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The downloadable file, named per attempt: a worker that lost the job's lease may still be merging when the
    /// one that took it over completes, and it then deletes what it wrote. Under one shared name that was the
    /// winner's file (docs/exports.md#how-a-job-runs).
    /// </summary>
    private static string FileName(UserExport job) =>
        $"{job.ExportId}.{job.Attempts.ToString(CultureInfo.InvariantCulture)}.csv";

    /// <summary>Overlaps fetching and writing: the next item is fetched while the current one is written.</summary>
    private static async IAsyncEnumerable<TItem> Prefetch<TItem>(IAsyncEnumerable<TItem> source, [EnumeratorCancellation] CancellationToken ct)
    {
        using var producing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<TItem>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in source.WithCancellation(producing.Token))
                {
                    await channel.Writer.WriteAsync(item, producing.Token);
                }

                channel.Writer.Complete();
            }
            catch (Exception failure)
            {
                channel.Writer.Complete(failure);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(ct))
            {
                yield return item;
            }
        }
        finally
        {
            await producing.CancelAsync();
            await producer;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId} stopped: cancelled or taken over")]
    private static partial void LogStopped(ILogger logger, string exportId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Export {ExportId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string exportId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export {ExportId} could not record its progress ({Failure}); trying again")]
    private static partial void LogCheckpointFailed(ILogger logger, string exportId, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export waits for Connectra ({Reason}); retrying in {WaitMs} ms")]
    private static partial void LogOutage(ILogger logger, string reason, double waitMs);

    /// <summary>One stream's checkpoint, replaced whole after each batch so a snapshot never sees half an update.</summary>
    private sealed class StreamState(int index, StreamCheckpoint start)
    {
        private StreamCheckpoint _current = start;

        public int Index { get; } = index;

        public StreamCheckpoint Current
        {
            get => Volatile.Read(ref _current);
            set => Volatile.Write(ref _current, value);
        }
    }

    /// <summary>The job's counters across its streams, and the snapshot a checkpoint records.</summary>
    private sealed class JobProgress(UserExport job, ExportCheckpoint? saved, TimeSpan lease)
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private readonly int _rowsAtStart = saved?.Streams.Sum(s => s.Rows + s.Position) ?? 0;
        private readonly List<StreamState> _streams = [];
        private readonly object _gate = new();
        private readonly List<string> _missingUuids = [.. saved?.MissingUuids ?? []];
        private int _missingCount = saved?.MissingCount ?? 0;

        /// <summary>The job's lease: renewed by each checkpoint, checked before each batch, lost when a checkpoint is refused.</summary>
        public JobLease Lease { get; } = new(lease);

        /// <summary>The uuid bounds between the streams of an export by query, recorded with each checkpoint.</summary>
        public IReadOnlyList<string>? Bounds { get; set; }

        public IReadOnlyList<StreamState> Streams => _streams;

        public int Rows => _streams.Sum(s => s.Current.Rows);

        public int MissingCount
        {
            get
            {
                lock (_gate)
                {
                    return _missingCount;
                }
            }
        }

        public IReadOnlyList<string> MissingUuids
        {
            get
            {
                lock (_gate)
                {
                    return [.. _missingUuids];
                }
            }
        }

        public StreamCheckpoint? Saved(int index) => saved is not null && index < saved.Streams.Count ? saved.Streams[index] : null;

        public void Add(StreamState state) => _streams.Add(state);

        /// <summary>A uuid list starting over counts its missing uuids afresh.</summary>
        public void StartOver()
        {
            lock (_gate)
            {
                _missingCount = 0;
                _missingUuids.Clear();
            }
        }

        public void Missing(IReadOnlyList<string> uuids)
        {
            lock (_gate)
            {
                _missingCount += uuids.Count;
                _missingUuids.AddRange(uuids.Take(MissingSample - _missingUuids.Count));
            }
        }

        public ExportProgress Snapshot()
        {
            var states = _streams.Select(s => s.Current).ToList();
            // Uuid lists advance by uuids asked for (found or not); queries by rows written.
            var done = job.Kind == ExportKind.Uuids ? states.Sum(s => s.Position) : states.Sum(s => s.Rows);
            var total = Math.Max(job.TotalRecords, 0);
            double? percent = total > 0 ? Math.Min(99.9, 100.0 * done / total) : null;
            var elapsed = Stopwatch.GetElapsedTime(_started).TotalSeconds;
            var rate = elapsed > 0 ? (done - _rowsAtStart) / elapsed : 0;
            int? eta = rate > 0 && total > done ? (int)Math.Ceiling((total - done) / rate) : null;
            lock (_gate)
            {
                return new ExportProgress(
                    job.ExportId, states.Sum(s => s.Rows), total, percent, eta, _missingCount, [.. _missingUuids],
                    new ExportCheckpoint(states, _missingCount, [.. _missingUuids], Bounds).ToJson());
            }
        }
    }

    /// <summary>CSV rows of one stream into its part file; header-less, since the parts are joined under one header.</summary>
    private sealed class PartWriter : IAsyncDisposable
    {
        private readonly Stream _file;
        private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
        private readonly Utf8CsvWriter _csv;

        private PartWriter(Stream file)
        {
            _file = file;
            _csv = new Utf8CsvWriter(_buffer);
        }

        public static async Task<PartWriter> OpenAsync(IExportStorage storage, string name, long keep, CancellationToken ct) =>
            new(await storage.OpenAppendAsync(name, keep, ct));

        public void Write<T>(IReadOnlyList<ExportColumn<T>> columns, T row)
        {
            foreach (var column in columns)
            {
                _csv.WriteField(Values.Clean(column.Cell(row)));
            }

            _csv.EndRecord();
        }

        /// <summary>Rows already written as CSV reach the file; returns its length, which a checkpoint records.</summary>
        public async Task<long> AppendAsync(ReadOnlyMemory<byte> csv, CancellationToken ct)
        {
            await _file.WriteAsync(csv, ct);
            await _file.FlushAsync(ct);
            return _file.Position;
        }

        /// <summary>Everything written so far reaches the file; returns its length, which a checkpoint records.</summary>
        public async Task<long> FlushAsync(CancellationToken ct)
        {
            await _file.WriteAsync(_buffer.WrittenMemory, ct);
            _buffer.ResetWrittenCount();
            await _file.FlushAsync(ct);
            return _file.Position;
        }

        public ValueTask DisposeAsync() => _file.DisposeAsync();
    }

    private sealed class JobFailedException(string message) : Exception(message);
}
