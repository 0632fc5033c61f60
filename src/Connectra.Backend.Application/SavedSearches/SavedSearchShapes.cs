using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Application.SavedSearches;

/// <summary>The body that creates or replaces a saved search.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SavedSearchRequest
{
    [Required, StringLength(SavedSearchLimits.Name, MinimumLength = 1)]
    public string? Name { get; init; }

    [StringLength(SavedSearchLimits.Description)]
    public string? Description { get; init; }

    /// <summary><c>contacts</c> or <c>companies</c>: which query route <c>query</c> is the body of.</summary>
    [Required, JsonConverter(typeof(NamesOnly<SavedSearchEntity>))]
    public SavedSearchEntity? Entity { get; init; }

    [Required]
    public VqlSearchRequest? Query { get; init; }

    [JsonConverter(typeof(NamesOnly<SavedSearchVisibility>))]
    public SavedSearchVisibility Visibility { get; init; } = SavedSearchVisibility.Private;
}

/// <summary>Bounds of the strings a saved search holds.</summary>
public static class SavedSearchLimits
{
    public const int Name = 200;
    public const int Description = 2000;
    public const int NameSearch = 200;
    public const int Id = 64;
}

/// <summary>A saved search as the API shows it; its version is also the ETag.</summary>
public sealed record SavedSearchView(
    string Id,
    string Name,
    string? Description,
    SavedSearchEntity Entity,
    VqlSearchRequest Query,
    int QueryFormatVersion,
    SavedSearchVisibility Visibility,
    string OwnerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

/// <summary>The list's query string: filters and paging over the searches the caller may read.</summary>
public sealed record SavedSearchListQuery(SavedSearchEntity? Entity, string? OwnerId, string? NameContains, int Page, int PageSize);

/// <summary>A page of saved searches, most recently changed first; <c>total</c> counts all that match.</summary>
public sealed record SavedSearchList(IReadOnlyList<SavedSearchView> SavedSearches, int Total, int Page, int PageSize, int? NextPage);

/// <summary>Paging of a run: the stored query's own limit unless this one is given.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SavedSearchRunRequest
{
    [Range(1, 100)]
    public int? Limit { get; init; }

    [StringLength(RequestStrings.Cursor)]
    public string? Cursor { get; init; }
}

/// <summary>CSV columns of an export of a saved search, in order; every column when absent.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SavedSearchExportRequest
{
    public IReadOnlyList<string>? Columns { get; init; }
}

/// <summary>The body that creates or replaces a schedule.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ScheduleRequest
{
    /// <summary>Five fields: minute hour day-of-month month day-of-week.</summary>
    [Required]
    public string? Cron { get; init; }

    /// <summary>IANA name; UTC when absent.</summary>
    public string? TimeZone { get; init; }

    public IReadOnlyList<string>? Columns { get; init; }

    public bool Enabled { get; init; } = true;

    public bool SkipIfUnchanged { get; init; }
}

public sealed record ScheduleView(
    string Id,
    string SavedSearchId,
    string Cron,
    string TimeZone,
    IReadOnlyList<string> Columns,
    bool Enabled,
    bool SkipIfUnchanged,
    DateTimeOffset? NextFireAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record ScheduleList(IReadOnlyList<ScheduleView> Schedules);

/// <summary>One firing of a schedule: the export it made, or why it made none.</summary>
public sealed record FiringView(
    DateTimeOffset FireAt, FiringStatus Status, string? ExportId, long? RowCount, string? Reason, DateTimeOffset? CompletedAt);

/// <summary>A schedule's firings, newest first.</summary>
public sealed record FiringList(IReadOnlyList<FiringView> Runs, int Total, int Page, int PageSize, int? NextPage);
