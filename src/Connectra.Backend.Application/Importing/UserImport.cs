namespace Connectra.Backend.Application.Importing;

/// <summary>What a file imports: contacts or companies.</summary>
public enum ImportEntity
{
    Contacts,
    Companies,
}

/// <summary>
/// A job's state as stored. While a worker holds it, the job is <c>processing</c> for the shared claim
/// (Infrastructure/Jobs/LeasedJobs) and <see cref="UserImport.Phase"/> tells validating from processing.
/// </summary>
public enum ImportStatus
{
    Pending,
    Processing,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>Where a running job is: counting and checking the file's rows, or writing them.</summary>
public enum ImportPhase
{
    Validating,
    Processing,
}

/// <summary>What a row may do to the records (docs/imports.md#options).</summary>
public enum ImportMode
{
    /// <summary>Update the record the row matches, or create one when none does.</summary>
    Upsert,

    /// <summary>Only create: a row matching a record is an error.</summary>
    Create,

    /// <summary>Only update: a row matching no record is an error.</summary>
    Update,
}

/// <summary>The field that tells which stored record a row means.</summary>
public enum ImportMatchKey
{
    Uuid,
    Email,
    LinkedinUrl,

    /// <summary>Companies: the host of <c>metadata.website</c>, lower-case, without a leading <c>www.</c>.</summary>
    Website,
}

/// <summary>What an empty cell means.</summary>
public enum ImportBlankValues
{
    /// <summary>Nothing: the stored value stays.</summary>
    Ignore,

    /// <summary>No value: the stored value is cleared.</summary>
    Clear,
}

/// <summary>An import job and its counters (PostgreSQL <c>user_imports</c>). The owner is the token's <c>sub</c>.</summary>
public sealed class UserImport
{
    public long Id { get; set; }
    public required string ImportId { get; set; }
    public required string UserId { get; set; }
    public ImportEntity Entity { get; set; }
    public ImportMode Mode { get; set; }
    public ImportMatchKey MatchOn { get; set; }
    public ImportBlankValues BlankValues { get; set; }
    public bool DryRun { get; set; }

    /// <summary>The mapping, as JSON: CSV header → field path, resolved against the file's header at upload.</summary>
    public required string MappingJson { get; set; }

    /// <summary>The name the file was uploaded under, when the client gave one.</summary>
    public string? FileName { get; set; }

    public long FileSize { get; set; }

    public ImportStatus Status { get; set; } = ImportStatus.Pending;
    public ImportPhase Phase { get; set; } = ImportPhase.Validating;

    /// <summary>Data rows in the file (not the header), once the validating pass has counted them.</summary>
    public int? RowsTotal { get; set; }

    /// <summary>Data rows taken care of: written, unchanged or failed. Resuming starts after this many.</summary>
    public int RowsRead { get; set; }

    public int Created { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Failed { get; set; }

    /// <summary>The length of the error file up to the last checkpoint; a resumed job cuts it back to this.</summary>
    public long ErrorFileLength { get; set; }

    public int? EstimatedTimeRemaining { get; set; }
    public string? ErrorMessage { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The worker holding the job, and until when; an expired lease lets another worker resume it.</summary>
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>How many times a worker took the job.</summary>
    public int Attempts { get; set; }
}

/// <summary>One rejected row's problem, as the errors route lists it (<c>user_import_errors</c>).</summary>
public sealed class ImportRowError
{
    public long Id { get; set; }
    public required string ImportId { get; set; }

    /// <summary>The physical line of the file the row starts on (1 is the header).</summary>
    public long Line { get; set; }

    /// <summary>The CSV column at fault, or null when the row as a whole is.</summary>
    public string? Column { get; set; }

    /// <summary>The rejected value, cut to <see cref="ImportRowErrors.MaxValueLength"/> characters.</summary>
    public string? Value { get; set; }

    public required string Message { get; set; }
}

public static class ImportRowErrors
{
    /// <summary>Longest rejected value the errors route repeats; the error file holds the whole row.</summary>
    public const int MaxValueLength = 256;
}
