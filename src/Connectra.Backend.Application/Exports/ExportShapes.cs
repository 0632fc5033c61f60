using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Application.Exports;

/// <summary>
/// E1: contacts to export, either by uuid (<c>contact_uuids</c>) or by query (<c>query</c>, the body of
/// <c>/contacts/query</c>); exactly one of the two. <c>columns</c> picks CSV columns, in order.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ContactExportRequest
{
    public IReadOnlyList<string>? ContactUuids { get; init; }

    public VqlSearchRequest? Query { get; init; }

    public IReadOnlyList<string>? Columns { get; init; }
}

/// <summary>E2: companies to export, by uuid (<c>company_uuids</c>) or by query; exactly one of the two.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CompanyExportRequest
{
    public IReadOnlyList<string>? CompanyUuids { get; init; }

    public VqlSearchRequest? Query { get; init; }

    public IReadOnlyList<string>? Columns { get; init; }
}

/// <summary>E3: contact uuids in chunks, each exported by its own job, merged into one file unless <c>merge</c> is false.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ChunkedExportRequest
{
    [Required]
    public IReadOnlyList<IReadOnlyList<string>>? Chunks { get; init; }

    public bool Merge { get; init; } = true;

    public IReadOnlyList<string>? Columns { get; init; }
}

/// <summary>The answer to E1 and E2: the same shape for both export types.</summary>
public sealed record ExportCreated(
    string ExportId,
    ExportType ExportType,
    ExportStatus Status,
    int? ContactCount,
    int? CompanyCount,
    int? TotalRecords,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string? DownloadUrl,
    string StatusUrl);

/// <summary>The answer to E3.</summary>
public sealed record ChunkedExportCreated(
    string ExportId, IReadOnlyList<string> ChunkIds, int TotalCount, ExportStatus Status, bool Merge, string StatusUrl);

/// <summary>
/// E5, and each entry of E4. <c>download_url</c> carries a fresh, short-lived download token and is null until the file
/// is ready; <c>missing_uuids</c> lists the first requested uuids nothing matched (<c>missing_count</c> counts all).
/// </summary>
public sealed record ExportStatusResponse(
    string ExportId,
    ExportType ExportType,
    ExportStatus Status,
    double? ProgressPercentage,
    int? EstimatedTime,
    int RecordsProcessed,
    int TotalRecords,
    int ContactCount,
    int CompanyCount,
    int MissingCount,
    IReadOnlyList<string> MissingUuids,
    string? ErrorMessage,
    string? Notice,
    string? FileName,
    long? FileSize,
    string? DownloadUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ExpiresAt,
    bool Expired,
    IReadOnlyList<string> ChunkIds,
    string? SavedSearchId,
    string? SavedSearchName);

/// <summary>
/// An export made from a saved search: the search it names, and for a scheduled firing an export id fixed by the
/// firing, so a firing retried after a crash finds its export instead of making a second one.
/// </summary>
public sealed record ExportOrigin(string SavedSearchId, string SavedSearchName, string? ExportId);

/// <summary>E4's query string: filters and paging over the caller's own exports.</summary>
public sealed record ExportListQuery(ExportStatus? Status, ExportType? ExportType, DateTimeOffset? CreatedAfter, DateTimeOffset? CreatedBefore, int Page, int PageSize);

/// <summary>E4: the caller's exports, newest first; <c>total</c> counts all that match, not just this page.</summary>
public sealed record ExportList(IReadOnlyList<ExportStatusResponse> Exports, int Total, int Page, int PageSize, int? NextPage);

/// <summary>E7.</summary>
public sealed record ExportCancelled(string Message, string ExportId, ExportStatus Status);

/// <summary>E8: expired files and rows removed.</summary>
public sealed record ExportsPurged(string Message, int DeletedCount, int DeletedRows);

/// <summary>A file ready to stream: its storage name, the name offered to the browser, its size.</summary>
public sealed record ExportDownload(string StorageName, string FileName, long Length);
