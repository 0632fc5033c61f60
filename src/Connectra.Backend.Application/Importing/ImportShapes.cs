using System.Text.Json.Serialization;

namespace Connectra.Backend.Application.Importing;

/// <summary>A job's state as the API shows it: the stored status, with a running job's phase spelled out.</summary>
public enum ImportState
{
    Pending,
    Validating,
    Processing,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>The answer to an upload: the job to poll.</summary>
public sealed record ImportCreated(
    string ImportId, ImportEntity Entity, ImportState Status, ImportMode Mode, ImportMatchKey MatchOn, ImportBlankValues BlankValues,
    bool DryRun, long FileSize, DateTimeOffset CreatedAt, string StatusUrl);

/// <summary>
/// Where an import stands: a progress bar over the file's data rows. <c>rows_total</c> is null until the validating
/// pass has counted them; <c>created + updated + unchanged + failed = rows_read</c>.
/// </summary>
public sealed record ImportStatusResponse(
    string ImportId,
    ImportEntity Entity,
    ImportState Status,
    ImportMode Mode,
    ImportMatchKey MatchOn,
    ImportBlankValues BlankValues,
    bool DryRun,
    string? FileName,
    long FileSize,
    int? RowsTotal,
    int RowsRead,
    int Created,
    int Updated,
    int Unchanged,
    int Failed,
    double? ProgressPercentage,
    int? EstimatedTime,
    string? ErrorMessage,
    string ErrorsUrl,
    string ErrorsCsvUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt);

/// <summary>The list's query string: filters and paging over the caller's own imports.</summary>
public sealed record ImportListQuery(ImportState? Status, ImportEntity? Entity, DateTimeOffset? CreatedAfter, DateTimeOffset? CreatedBefore, int Page, int PageSize);

/// <summary>The caller's imports, newest first; <c>total</c> counts all that match, not just this page.</summary>
public sealed record ImportList(IReadOnlyList<ImportStatusResponse> Imports, int Total, int Page, int PageSize, int? NextPage);

/// <summary>One problem of a rejected row: the physical line it starts on, the CSV column (null for the whole row), the value and what to fix.</summary>
public sealed record ImportErrorItem(long Line, string? Column, string? Value, string Message);

/// <summary>
/// A page of an import's row errors, in file order. <c>total</c> counts the errors listed; an import keeps at most
/// Imports:MaxErrorsListed of them (<c>truncated</c>), while the error file holds every rejected row.
/// </summary>
public sealed record ImportErrorPage(
    string ImportId, IReadOnlyList<ImportErrorItem> Errors, int Total, int Page, int PageSize, int? NextPage,
    [property: JsonPropertyName("truncated")] bool Truncated);

/// <summary>The answer to a cancellation.</summary>
public sealed record ImportCancelled(string Message, string ImportId, ImportState Status);
