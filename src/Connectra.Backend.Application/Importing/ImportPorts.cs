using Connectra.Backend.Application.Background;

namespace Connectra.Backend.Application.Importing;

/// <summary>Counters at a checkpoint: every data row up to <see cref="RowsRead"/> is written, unchanged or failed.</summary>
public sealed record ImportProgress(
    string ImportId, int RowsRead, int Created, int Updated, int Unchanged, int Failed, long ErrorFileLength, int? EstimatedSeconds);

/// <summary>
/// The <c>user_imports</c> and <c>user_import_errors</c> tables. Reads are owner-scoped: another user's import is
/// simply not found. The worker's writes are conditional on its lease and on the job still running, so a cancelled
/// job is never completed over.
/// </summary>
public interface IImportRepository
{
    Task AddAsync(UserImport job, CancellationToken ct);

    /// <summary>The user's imports that are pending or running.</summary>
    Task<int> CountActiveAsync(string userId, CancellationToken ct);

    Task<UserImport?> FindAsync(string importId, string userId, CancellationToken ct);

    Task<(IReadOnlyList<UserImport> Imports, int Total)> ListAsync(string userId, ImportListQuery query, CancellationToken ct);

    /// <summary>A page of the import's row errors in file order, and how many are listed in all.</summary>
    Task<(IReadOnlyList<ImportRowError> Errors, int Total)> ErrorsAsync(string importId, int page, int pageSize, CancellationToken ct);

    /// <summary>Cancels the import if it is pending or running; false when it was not.</summary>
    Task<bool> CancelAsync(string importId, string userId, string message, CancellationToken ct);

    /// <summary>Takes the oldest runnable job with <c>FOR UPDATE SKIP LOCKED</c> (Infrastructure/Jobs/LeasedJobs).</summary>
    Task<UserImport?> ClaimAsync(string owner, TimeSpan lease, CancellationToken ct);

    /// <summary>Renews the lease; false when the job was cancelled or taken over.</summary>
    Task<bool> RenewAsync(string importId, string owner, TimeSpan lease, CancellationToken ct);

    /// <summary>Ends the validating pass: the rows are counted and the job writes from now on.</summary>
    Task<bool> StartProcessingAsync(string importId, string owner, int rowsTotal, TimeSpan lease, CancellationToken ct);

    /// <summary>
    /// Records a batch's counters and row errors and renews the lease, in the caller's transaction, so the batch's
    /// writes and where the job stands commit together. False when the job was cancelled or taken over.
    /// </summary>
    Task<bool> CheckpointAsync(ImportProgress progress, IReadOnlyList<ImportRowError> errors, string owner, TimeSpan lease, CancellationToken ct);

    /// <summary>Marks the job completed, only if it is still running under this lease.</summary>
    Task<bool> CompleteAsync(string importId, string owner, CancellationToken ct);

    /// <summary>Marks the job failed with a message, only if it is still running under this lease.</summary>
    Task<bool> FailAsync(string importId, string owner, string message, CancellationToken ct);

    /// <summary>Gives the job back (pending) without counting the attempt, e.g. when the worker shuts down.</summary>
    Task ReleaseAsync(string importId, string owner, CancellationToken ct);

    /// <summary>Jobs that ended before <paramref name="before"/>: their ids, so their files can go.</summary>
    Task<IReadOnlyList<string>> EndedBeforeAsync(DateTimeOffset before, int limit, CancellationToken ct);
}

/// <summary>Records an import may mean, found by a match key other than the uuid.</summary>
public interface IImportLookup
{
    /// <summary>For each key value, the uuids of the live records that have it (normally one).</summary>
    Task<IReadOnlyDictionary<string, List<string>>> FindAsync(ImportEntity entity, ImportMatchKey key, IReadOnlyCollection<string> values, CancellationToken ct);

    /// <summary>Those of <paramref name="uuids"/> that name a live company.</summary>
    Task<IReadOnlySet<string>> LiveCompaniesAsync(IReadOnlyCollection<string> uuids, CancellationToken ct);
}

/// <summary>Uploaded files and error files. Names are plain file names the application makes (an import id and a suffix).</summary>
public interface IImportStorage
{
    /// <summary>Opens a file for appending after its first <paramref name="keep"/> bytes (0: a fresh, empty file).</summary>
    Task<Stream> OpenAppendAsync(string name, long keep, CancellationToken ct);

    Task<long?> LengthAsync(string name, CancellationToken ct);

    Task<Stream> OpenReadAsync(string name, CancellationToken ct);

    Task DeleteAsync(string name, CancellationToken ct);
}

/// <summary>Wakes the import worker when a job is created on this replica, instead of waiting for its next poll.</summary>
public sealed class ImportSignal : WorkSignal;

public enum ImportRefusal
{
    /// <summary>429: the user has too many imports pending or running.</summary>
    TooMany,

    /// <summary>409: the import is not in a state that allows this.</summary>
    InvalidState,

    /// <summary>415: the body is neither text/csv nor multipart/form-data.</summary>
    UnsupportedMediaType,
}

public sealed class ImportRefusedException(ImportRefusal refusal, string detail, TimeSpan? retryAfter = null) : Exception(detail)
{
    public ImportRefusal Refusal { get; } = refusal;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
