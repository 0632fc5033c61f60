using System.Text.Json;
using System.Text.Json.Serialization;

namespace Connectra.Backend.Application.SavedSearches;

/// <summary>
/// Enum values as their snake_case names only: a number in their place is refused, not read as an index. Set on the
/// property: the API's own enum converter would win over one set on the type.
/// </summary>
public sealed class NamesOnly<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where T : struct, Enum;

public enum SavedSearchEntity
{
    Contacts,
    Companies,
}

public enum SavedSearchVisibility
{
    Private,
    Shared,
}

/// <summary>A firing's state: pending and processing while it is claimed, then one final state.</summary>
public enum FiringStatus
{
    Pending,
    Processing,
    Completed,
    Skipped,
    Failed,
}

/// <summary>A stored query of the query routes (PostgreSQL <c>saved_searches</c>), owned by the token's <c>sub</c>.</summary>
public sealed class SavedSearch
{
    public long Id { get; set; }
    public required string SavedSearchId { get; set; }
    public required string OwnerId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public SavedSearchEntity Entity { get; set; }

    /// <summary>The body of the entity's query route, as JSON, exactly as it was validated.</summary>
    public required string QueryJson { get; set; }

    /// <summary>The query format the query was written in (docs/saved-searches.md#query-format).</summary>
    public int QueryFormatVersion { get; set; }

    public SavedSearchVisibility Visibility { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Starts at 1, one more per change; the ETag.</summary>
    public long Version { get; set; }
}

/// <summary>When a saved search is exported on its own (PostgreSQL <c>saved_search_schedules</c>).</summary>
public sealed class SavedSearchSchedule
{
    public long Id { get; set; }
    public required string ScheduleId { get; set; }
    public required string SavedSearchId { get; set; }
    public required string Cron { get; set; }
    public required string TimeZone { get; set; }
    public List<string> Columns { get; set; } = [];
    public bool Enabled { get; set; }
    public bool SkipIfUnchanged { get; set; }

    /// <summary>The next occurrence not yet turned into a firing; null while disabled.</summary>
    public DateTimeOffset? NextFireAt { get; set; }

    /// <summary>What the last export saw, for <see cref="SkipIfUnchanged"/>.</summary>
    public long? LastCount { get; set; }
    public DateTimeOffset? LastNewestUpdatedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One occurrence of a schedule (PostgreSQL <c>schedule_firings</c>): unique per (schedule, fire time), and claimed as
/// a durable job, so each occurrence becomes at most one export whatever the number of replicas.
/// </summary>
public sealed class ScheduleFiring
{
    public long Id { get; set; }
    public required string ScheduleId { get; set; }
    public DateTimeOffset FireAt { get; set; }
    public FiringStatus Status { get; set; }
    public string? ExportId { get; set; }
    public long? RowCount { get; set; }

    /// <summary>Why the firing was skipped or failed.</summary>
    public string? Reason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public int Attempts { get; set; }
}
