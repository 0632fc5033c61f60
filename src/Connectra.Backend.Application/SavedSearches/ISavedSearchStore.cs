namespace Connectra.Backend.Application.SavedSearches;

/// <summary>What the scheduler decided for one due schedule: the firing to record (if any) and the next occurrence.</summary>
public sealed record PlannedFiring(DateTimeOffset? FireAt, bool Skipped, string? Reason, DateTimeOffset? NextFireAt);

/// <summary>
/// The tables <c>saved_searches</c>, <c>saved_search_schedules</c> and <c>schedule_firings</c>. Scoping is the
/// service's; the store finds by id.
/// </summary>
public interface ISavedSearchStore
{
    Task AddAsync(SavedSearch search, CancellationToken ct);

    Task<int> CountOwnedAsync(string ownerId, CancellationToken ct);

    Task<SavedSearch?> FindAsync(string savedSearchId, CancellationToken ct);

    /// <summary>Writes the changed search if it is still at <paramref name="version"/>; false when it is not.</summary>
    Task<bool> UpdateAsync(SavedSearch search, long version, CancellationToken ct);

    /// <summary>Deletes the search, its schedules and their history if it is at <paramref name="version"/> (any when null).</summary>
    Task<bool> DeleteAsync(string savedSearchId, long? version, CancellationToken ct);

    /// <summary>A page of the searches the caller may read (own and shared; all for an administrator).</summary>
    Task<(IReadOnlyList<SavedSearch> Searches, int Total)> ListAsync(
        string callerId, bool admin, SavedSearchListQuery query, CancellationToken ct);

    Task<IReadOnlyList<SavedSearchSchedule>> SchedulesAsync(string savedSearchId, CancellationToken ct);

    Task AddScheduleAsync(SavedSearchSchedule schedule, CancellationToken ct);

    Task<SavedSearchSchedule?> FindScheduleAsync(string savedSearchId, string scheduleId, CancellationToken ct);

    Task UpdateScheduleAsync(SavedSearchSchedule schedule, CancellationToken ct);

    Task<bool> DeleteScheduleAsync(string savedSearchId, string scheduleId, CancellationToken ct);

    /// <summary>A page of a schedule's firings, newest first.</summary>
    Task<(IReadOnlyList<ScheduleFiring> Firings, int Total)> FiringsAsync(string scheduleId, int page, int pageSize, CancellationToken ct);

    /// <summary>
    /// Locks up to <paramref name="batch"/> enabled schedules due at <paramref name="now"/> (<c>FOR UPDATE SKIP
    /// LOCKED</c>), records the firing <paramref name="plan"/> chooses for each (a second row for the same schedule and
    /// fire time is never made) and moves each to its next occurrence, in one transaction. Returns the firings made.
    /// </summary>
    Task<int> PlanDueAsync(DateTimeOffset now, int batch, Func<SavedSearchSchedule, PlannedFiring> plan, CancellationToken ct);

    /// <summary>Takes the oldest runnable firing under a lease, as export jobs are taken.</summary>
    Task<ScheduleFiring?> ClaimFiringAsync(string owner, TimeSpan lease, CancellationToken ct);

    /// <summary>The schedule of a firing and its saved search; null when either was deleted meanwhile.</summary>
    Task<(SavedSearchSchedule Schedule, SavedSearch Search)?> FiringSourceAsync(string scheduleId, CancellationToken ct);

    /// <summary>Records a firing's outcome if this worker still holds it, and what the schedule saw when it made an export.</summary>
    Task<bool> FinishFiringAsync(
        ScheduleFiring firing, string owner, FiringStatus status, string? exportId, long? rowCount, string? reason,
        (long Count, DateTimeOffset? Newest)? seen, CancellationToken ct);

    /// <summary>Whether an export with this id exists (a firing retried after its export was made).</summary>
    Task<bool> ExportExistsAsync(string exportId, CancellationToken ct);
}
