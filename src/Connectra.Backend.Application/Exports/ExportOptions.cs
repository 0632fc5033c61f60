using System.ComponentModel.DataAnnotations;

namespace Connectra.Backend.Application.Exports;

/// <summary>Bound from "Exports"; docs/operations.md#exports lists every setting.</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Exports";

    /// <summary>Most uuids one export request may list (all chunks together for a chunked export).</summary>
    [Range(1, 10_000_000)]
    public int MaxUuids { get; set; } = 100_000;

    /// <summary>Most uuids in one chunk of a chunked export.</summary>
    [Range(1, 1_000_000)]
    public int MaxChunkSize { get; set; } = 10_000;

    /// <summary>Most chunks in one chunked export.</summary>
    [Range(1, 10_000)]
    public int MaxChunks { get; set; } = 100;

    /// <summary>Most rows an export by query may hold; a query matching more is refused when the export is asked for.</summary>
    [Range(1, int.MaxValue)]
    public int MaxRows { get; set; } = 5_000_000;

    /// <summary>Exports of one user that may be pending or running at once.</summary>
    [Range(1, 1000)]
    public int MaxActivePerUser { get; set; } = 3;

    /// <summary>How long a file stays downloadable after the job completes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan FileLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long an expired export stays listed (as expired) before its row is purged.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan ExpiredRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Lifetime of the signed download token in a download URL; a new one comes with every status read.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan DownloadTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Key that signs download tokens; every replica must share it. When unset, the API derives it from
    /// Auth:SigningKey.
    /// </summary>
    public string? DownloadTokenKey { get; set; }

    /// <summary>Absolute base of download URLs (e.g. https://api.example.com); relative URLs when unset.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Folder of export files: shared by every replica (a shared volume) in a scaled-out deployment.</summary>
    [Required(AllowEmptyStrings = false)]
    public string StoragePath { get; set; } = Path.Combine(".local", "exports");

    /// <summary>Jobs one replica runs at once.</summary>
    [Range(1, 64)]
    public int WorkerConcurrency { get; set; } = 2;

    /// <summary>How often an idle worker looks for work.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a job's claim lasts without a checkpoint; a crashed worker's jobs are resumed after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a running job records its progress (and renews its lease).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times a job may be taken up before it is failed as unrunnable.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How long a job keeps waiting for an unavailable Connectra before it fails with a clear message.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan OutageBudget { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Most streams of an export by query without a sort that fetch a page at once; fewer while Connectra's page
    /// latency climbs. The query is cut into four times as many uuid ranges (docs/exports.md#streams).
    /// </summary>
    [Range(1, 16)]
    public int ParallelStreams { get; set; } = 4;

    /// <summary>How often the worker deletes expired files and rows.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(10);
}
