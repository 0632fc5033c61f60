namespace Connectra.Backend.Application.Exports;

public enum ExportType
{
    Contacts,
    Companies,
    Emails,
}

public enum ExportStatus
{
    Pending,
    Processing,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>What a job reads: a list of uuids, every row a query matches, or the files of its chunks.</summary>
public enum ExportKind
{
    Uuids,
    Query,
    Chunked,
}

/// <summary>An export job and its file (PostgreSQL <c>user_exports</c>). The owner is the token's <c>sub</c>.</summary>
public sealed class UserExport
{
    public long Id { get; set; }
    public required string ExportId { get; set; }
    public required string UserId { get; set; }
    public ExportType ExportType { get; set; } = ExportType.Contacts;
    public ExportKind Kind { get; set; } = ExportKind.Uuids;

    /// <summary>The file's name in export storage; null until the job completes.</summary>
    public string? FilePath { get; set; }

    /// <summary>The name the download offers.</summary>
    public string? FileName { get; set; }

    public long? FileSize { get; set; }
    public int ContactCount { get; set; }
    public List<string> ContactUuids { get; set; } = [];
    public int CompanyCount { get; set; }
    public List<string> CompanyUuids { get; set; } = [];
    public List<string> LinkedinUrls { get; set; } = [];
    public string? EmailContactsJson { get; set; }
    public string? LinkedinUrlsJson { get; set; }

    /// <summary>The client query of an export by query, as JSON (the body of the query routes).</summary>
    public string? QueryJson { get; set; }

    /// <summary>The CSV columns chosen, in order; empty means every column of the export type.</summary>
    public List<string> Columns { get; set; } = [];

    /// <summary>Set on the chunks of a chunked export: the export that groups them.</summary>
    public string? ParentExportId { get; set; }

    public int? ChunkIndex { get; set; }

    /// <summary>A chunked export merges its chunks' files into one when they are done.</summary>
    public bool Merge { get; set; }

    public ExportStatus Status { get; set; } = ExportStatus.Pending;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public string? DownloadUrl { get; set; }
    public string? DownloadToken { get; set; }
    public int RecordsProcessed { get; set; }
    public int TotalRecords { get; set; }
    public double? ProgressPercentage { get; set; }
    public int? EstimatedTimeRemaining { get; set; }
    public string? ErrorMessage { get; set; }

    /// <summary>Something the analyst should know about a completed file, e.g. rows Connectra counted but did not return.</summary>
    public string? Notice { get; set; }

    /// <summary>Requested uuids nothing matched, and the first of them (the rest are only counted).</summary>
    public int MissingCount { get; set; }
    public List<string> MissingUuids { get; set; } = [];

    /// <summary>The worker holding the job, and until when; an expired lease lets another worker resume it.</summary>
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>How many times a worker took the job.</summary>
    public int Attempts { get; set; }

    /// <summary>The saved search an export was made from (by hand or on a schedule), and its name at the time.</summary>
    public string? SavedSearchId { get; set; }
    public string? SavedSearchName { get; set; }

    /// <summary>Where the job stands (JSON): resuming after a crash starts from here instead of from row one.</summary>
    public string? Checkpoint { get; set; }
}
