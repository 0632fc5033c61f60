using System.ComponentModel.DataAnnotations;

namespace Connectra.Backend.Application.Importing;

/// <summary>Bound from "Imports"; docs/operations.md#imports lists every setting, docs/imports.md#limits the limits.</summary>
public sealed class ImportOptions
{
    public const string SectionName = "Imports";

    /// <summary>Largest file an import takes, in bytes (512 MiB); a larger upload is a 413.</summary>
    [Range(1024, 16L * 1024 * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Most data rows in one file; a file with more fails in its validating pass.</summary>
    [Range(1, 100_000_000)]
    public int MaxRows { get; set; } = 1_048_576;

    /// <summary>Most cells in one row (the header included).</summary>
    [Range(1, 10_000)]
    public int MaxColumns { get; set; } = 200;

    /// <summary>Longest cell, in characters.</summary>
    [Range(16, 1_000_000)]
    public int MaxCellLength { get; set; } = 10_000;

    /// <summary>Imports of one user that may be pending or running at once.</summary>
    [Range(1, 1000)]
    public int MaxActivePerUser { get; set; } = 2;

    /// <summary>Rows written in one transaction of the write path (and between two cancellation checks).</summary>
    [Range(1, 5000)]
    public int BatchSize { get; set; } = 2500;

    /// <summary>Most row errors kept for the errors route per import; the error file and the count keep them all.</summary>
    [Range(0, 10_000_000)]
    public int MaxErrorsListed { get; set; } = 100_000;

    /// <summary>Folder of uploaded files and error files, shared by every replica like the export folder.</summary>
    [Required(AllowEmptyStrings = false)]
    public string StoragePath { get; set; } = Path.Combine(".local", "imports");

    /// <summary>How long an uploaded file and its error file are kept after the job ends.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan FileLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Jobs one replica runs at once.</summary>
    [Range(1, 64)]
    public int WorkerConcurrency { get; set; } = 1;

    /// <summary>How often an idle worker looks for work.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a job's claim lasts without a renewal; a crashed worker's jobs are resumed after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a running job renews its lease between checkpoints (every batch is one).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times a job may be taken up before it is failed as unrunnable.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;
}
