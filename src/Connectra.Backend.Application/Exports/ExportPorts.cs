using Connectra.Backend.Application.Background;

namespace Connectra.Backend.Application.Exports;

/// <summary>Where a running job stands, as the worker records it after each checkpoint.</summary>
public sealed record ExportProgress(
    string ExportId, int RecordsProcessed, int TotalRecords, double? ProgressPercentage, int? EstimatedSeconds, int MissingCount,
    IReadOnlyList<string> MissingUuids, string Checkpoint);

/// <summary>What a finished job leaves: its file, counts and anything the analyst should know.</summary>
public sealed record ExportCompletion(
    string ExportId, string FilePath, string FileName, long FileSize, int RecordsProcessed, int TotalRecords, int MissingCount,
    IReadOnlyList<string> MissingUuids, string? Notice, DateTimeOffset ExpiresAt);

/// <summary>
/// The <c>user_exports</c> table. Reads are owner-scoped: another user's export is simply not found. The worker's
/// writes are conditional on its lease and on the job still running, so a cancelled job is never completed over.
/// </summary>
public interface IExportRepository
{
    /// <summary>Inserts an export and its chunks in one transaction.</summary>
    Task AddAsync(IReadOnlyList<UserExport> exports, CancellationToken ct);

    /// <summary>The user's exports (not counting chunks) that are pending or running.</summary>
    Task<int> CountActiveAsync(string userId, CancellationToken ct);

    Task<UserExport?> FindAsync(string exportId, string userId, CancellationToken ct);

    /// <summary>The chunks of a chunked export, in chunk order.</summary>
    Task<IReadOnlyList<UserExport>> ChunksAsync(string parentExportId, CancellationToken ct);

    /// <summary>A page of the user's exports (not chunks), newest first, and how many match in all.</summary>
    Task<(IReadOnlyList<UserExport> Exports, int Total)> ListAsync(string userId, ExportListQuery query, CancellationToken ct);

    /// <summary>Cancels the export (and its chunks) if it is pending or running; false when it was not.</summary>
    Task<bool> CancelAsync(string exportId, string userId, string message, CancellationToken ct);

    /// <summary>
    /// Takes the oldest runnable job (pending, or running under an expired lease; a chunked export once none of its
    /// chunks is pending or running) with <c>FOR UPDATE SKIP LOCKED</c>, so replicas never take the same job.
    /// </summary>
    Task<UserExport?> ClaimAsync(string owner, TimeSpan lease, CancellationToken ct);

    /// <summary>Records progress and renews the lease; false when the job was cancelled or taken over.</summary>
    Task<bool> CheckpointAsync(ExportProgress progress, string owner, TimeSpan lease, CancellationToken ct);

    /// <summary>Marks the job completed, only if it is still running under this lease.</summary>
    Task<bool> CompleteAsync(ExportCompletion completion, string owner, CancellationToken ct);

    /// <summary>Marks the job failed with a message, only if it is still running under this lease.</summary>
    Task<bool> FailAsync(string exportId, string owner, string message, CancellationToken ct);

    /// <summary>Gives the job back (pending) without counting the attempt, e.g. when the worker shuts down.</summary>
    Task ReleaseAsync(string exportId, string owner, CancellationToken ct);

    /// <summary>Jobs whose files have expired: their storage names, and the rows expired before <paramref name="rowsBefore"/> are deleted.</summary>
    Task<(IReadOnlyList<string> Files, int DeletedRows)> ExpireAsync(DateTimeOffset now, DateTimeOffset rowsBefore, CancellationToken ct);

    /// <summary>Jobs (chunks included) waiting and running across every replica.</summary>
    Task<ExportBacklog> BacklogAsync(CancellationToken ct);

    /// <summary>Every storage name an export row still refers to (finished or in progress).</summary>
    Task<IReadOnlySet<string>> ReferencedExportIdsAsync(CancellationToken ct);
}

/// <summary>Export files. Names are plain file names the application makes (an export id and a suffix).</summary>
public interface IExportStorage
{
    /// <summary>Opens a file for appending after its first <paramref name="keep"/> bytes (0: a fresh, empty file).</summary>
    Task<Stream> OpenAppendAsync(string name, long keep, CancellationToken ct);

    /// <summary>The file's length, or null when it does not exist.</summary>
    Task<long?> LengthAsync(string name, CancellationToken ct);

    /// <summary>Opens a file for reading, seekable, for ranges of a download.</summary>
    Task<Stream> OpenReadAsync(string name, CancellationToken ct);

    Task DeleteAsync(string name, CancellationToken ct);

    /// <summary>Every file, with its last write time.</summary>
    Task<IReadOnlyList<(string Name, DateTimeOffset Modified)>> ListAsync(CancellationToken ct);
}

/// <summary>Short-lived tokens that authorise one user to download one export.</summary>
public interface IDownloadTokens
{
    string Create(string exportId, string userId, DateTimeOffset notAfter);

    /// <summary>The export and user a token names, or null when it is malformed, forged, expired or of another type.</summary>
    Task<(string ExportId, string UserId)?> ReadAsync(string token);
}

/// <summary>Wakes the export worker when a job is created on this replica, instead of waiting for its next poll.</summary>
public sealed class ExportSignal : WorkSignal;

/// <summary>Why a download or a request about an export is refused; the API maps each to its status.</summary>
public enum ExportRefusal
{
    /// <summary>401: the download token is missing, malformed, forged, expired or of another type.</summary>
    InvalidToken,

    /// <summary>403: the token names another export or another user.</summary>
    TokenMismatch,

    /// <summary>410: the export's file has expired.</summary>
    Expired,

    /// <summary>400: the export is not in a state that allows this (not ready yet, already finished).</summary>
    InvalidState,

    /// <summary>429: the user has too many exports pending or running.</summary>
    TooMany,
}

public sealed class ExportRefusedException(ExportRefusal refusal, string detail, TimeSpan? retryAfter = null) : Exception(detail)
{
    public ExportRefusal Refusal { get; } = refusal;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
