using System.Diagnostics.Metrics;

namespace Connectra.Backend.Application.Exports;

/// <summary>How many jobs are waiting and running, as sampled from <c>user_exports</c>.</summary>
public sealed record ExportBacklog(long Pending, long Processing);

/// <summary>
/// Export throughput, counted by the runner as rows are written and jobs end, and the queue as last sampled (a
/// sampler refreshes it, so scrapes never query the table).
/// </summary>
public sealed class ExportMetrics
{
    public const string Completed = "completed";
    public const string Failed = "failed";

    private readonly Counter<long> _rows;
    private readonly Counter<long> _finished;
    private readonly UpDownCounter<long> _fetchLimit;
    private ExportBacklog? _backlog;

    public ExportMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(BackendMeter.Name);
        _rows = meter.CreateCounter<long>(
            "exports.rows", "{row}", "CSV rows written by export jobs on this replica (a job resumed after a crash rewrites rows past its checkpoint).");
        _finished = meter.CreateCounter<long>(
            "exports.jobs.finished", "{job}", "Export jobs (chunks included) that ended on this replica, by result: completed or failed.");
        _fetchLimit = meter.CreateUpDownCounter<long>(
            "exports.fetch.limit", "{page}",
            "Pages the export jobs running on this replica may fetch from Connectra at once, summed over the jobs; each job's share adapts to Connectra's page latency.");
        meter.CreateObservableGauge(
            "exports.jobs",
            () => _backlog is { } backlog
                ? [Measurement(backlog.Pending, "pending"), Measurement(backlog.Processing, "processing")]
                : Array.Empty<Measurement<long>>(),
            "{job}",
            "Export jobs waiting (pending) and running (processing) across all replicas, as last sampled.");
    }

    public void RowsWritten(int rows) => _rows.Add(rows);

    /// <param name="result"><see cref="Completed"/> or <see cref="Failed"/>.</param>
    public void Finished(string result) => _finished.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary>A running job's limit of pages fetched at once moved by <paramref name="delta"/> (docs/exports.md#streams).</summary>
    public void FetchLimitChanged(int delta) => _fetchLimit.Add(delta);

    public void Sampled(ExportBacklog backlog) => _backlog = backlog;

    private static Measurement<long> Measurement(long value, string status) => new(value, new KeyValuePair<string, object?>("status", status));
}
