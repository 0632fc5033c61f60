using System.ComponentModel.DataAnnotations;

namespace Connectra.Backend.Application.SavedSearches;

/// <summary>Bound from "SavedSearches"; docs/operations.md#saved-searches lists every setting.</summary>
public sealed class SavedSearchOptions
{
    public const string SectionName = "SavedSearches";

    /// <summary>Saved searches one user may own.</summary>
    [Range(1, 100_000)]
    public int MaxPerUser { get; set; } = 500;

    /// <summary>Schedules one saved search may carry.</summary>
    [Range(1, 100)]
    public int MaxSchedulesPerSearch { get; set; } = 10;

    /// <summary>The shortest time a schedule may leave between two firings; a cron firing more often is refused.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan MinimumInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A missed firing older than this when the schedule is next looked at is recorded as skipped, not run.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan MaxLateness { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Query fields withdrawn from the query format, as <c>contacts.field</c> or <c>companies.field</c>: a saved query
    /// using one answers 409 naming it instead of running narrower.
    /// </summary>
    [MaxLength(1000)]
    public List<string> RetiredFields { get; set; } = [];

    /// <summary>
    /// Most rows skip_if_unchanged walks to find the newest updated_at (Connectra cannot sort on it); a search matching
    /// more is exported on every firing.
    /// </summary>
    [Range(0, 10_000_000)]
    public int UnchangedCheckMaxRows { get; set; } = 100_000;

    /// <summary>Whether this replica turns due schedules into firings and runs them.</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>How often an idle scheduler looks for due schedules.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a claim holds a firing before another replica may take it over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Wakes the scheduler when a schedule is written on this replica.</summary>
public sealed class ScheduleSignal : Background.WorkSignal;
