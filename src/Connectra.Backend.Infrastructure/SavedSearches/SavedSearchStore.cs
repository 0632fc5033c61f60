using Connectra.Backend.Application.SavedSearches;
using Connectra.Backend.Infrastructure.Jobs;
using Connectra.Backend.Infrastructure.Persistence;
using Connectra.Backend.Application.Webhooks;
using Connectra.Backend.Infrastructure.Changes;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Connectra.Backend.Infrastructure.SavedSearches;

/// <summary>
/// Saved searches, schedules and firings on EF Core. Firings are planned under <c>FOR UPDATE SKIP LOCKED</c> on the
/// schedule rows and inserted with <c>ON CONFLICT DO NOTHING</c> on (schedule, fire time), and claimed like every
/// durable job (<see cref="LeasedJobs"/>), so replicas never make or run the same firing twice.
/// </summary>
internal sealed class SavedSearchStore(BackendDbContext db) : ISavedSearchStore
{
    private static readonly FiringStatus[] Open = [FiringStatus.Pending, FiringStatus.Processing];

    public async Task AddAsync(SavedSearch search, CancellationToken ct)
    {
        db.SavedSearches.Add(search);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    public Task<int> CountOwnedAsync(string ownerId, CancellationToken ct) => db.SavedSearches.CountAsync(s => s.OwnerId == ownerId, ct);

    public Task<SavedSearch?> FindAsync(string savedSearchId, CancellationToken ct) =>
        db.SavedSearches.AsNoTracking().SingleOrDefaultAsync(s => s.SavedSearchId == savedSearchId, ct);

    public async Task<bool> UpdateAsync(SavedSearch search, long version, CancellationToken ct) =>
        await db.SavedSearches
            .Where(s => s.SavedSearchId == search.SavedSearchId && s.Version == version)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Name, search.Name)
                .SetProperty(s => s.Description, search.Description)
                .SetProperty(s => s.Entity, search.Entity)
                .SetProperty(s => s.QueryJson, search.QueryJson)
                .SetProperty(s => s.QueryFormatVersion, search.QueryFormatVersion)
                .SetProperty(s => s.Visibility, search.Visibility)
                .SetProperty(s => s.UpdatedAt, search.UpdatedAt)
                .SetProperty(s => s.Version, search.Version), ct) == 1;

    public async Task<bool> DeleteAsync(string savedSearchId, long? version, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var deleted = await db.SavedSearches
            .Where(s => s.SavedSearchId == savedSearchId && (version == null || s.Version == version))
            .ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            return false;
        }

        var schedules = db.SavedSearchSchedules.Where(s => s.SavedSearchId == savedSearchId).Select(s => s.ScheduleId);
        await db.ScheduleFirings.Where(f => schedules.Contains(f.ScheduleId)).ExecuteDeleteAsync(ct);
        await db.SavedSearchSchedules.Where(s => s.SavedSearchId == savedSearchId).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    public async Task<(IReadOnlyList<SavedSearch> Searches, int Total)> ListAsync(
        string callerId, bool admin, SavedSearchListQuery query, CancellationToken ct)
    {
        var visible = db.SavedSearches.AsNoTracking();
        if (!admin)
        {
            visible = visible.Where(s => s.OwnerId == callerId || s.Visibility == SavedSearchVisibility.Shared);
        }

        if (query.Entity is { } entity)
        {
            visible = visible.Where(s => s.Entity == entity);
        }

        if (query.OwnerId is { } owner)
        {
            visible = visible.Where(s => s.OwnerId == owner);
        }

        if (query.NameContains is { Length: > 0 } name)
        {
            // ILIKE with the pattern's own wildcards escaped: the search is for the text as typed.
            var pattern = "%" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal) + "%";
            visible = visible.Where(s => EF.Functions.ILike(s.Name, pattern, "\\"));
        }

        var total = await visible.CountAsync(ct);
        var page = await visible.OrderByDescending(s => s.UpdatedAt).ThenByDescending(s => s.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(ct);
        return (page, total);
    }

    public async Task<IReadOnlyList<SavedSearchSchedule>> SchedulesAsync(string savedSearchId, CancellationToken ct) =>
        await db.SavedSearchSchedules.AsNoTracking().Where(s => s.SavedSearchId == savedSearchId).OrderBy(s => s.Id).ToListAsync(ct);

    public async Task AddScheduleAsync(SavedSearchSchedule schedule, CancellationToken ct)
    {
        db.SavedSearchSchedules.Add(schedule);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    public Task<SavedSearchSchedule?> FindScheduleAsync(string savedSearchId, string scheduleId, CancellationToken ct) =>
        db.SavedSearchSchedules.AsNoTracking().SingleOrDefaultAsync(s => s.SavedSearchId == savedSearchId && s.ScheduleId == scheduleId, ct);

    public async Task UpdateScheduleAsync(SavedSearchSchedule schedule, CancellationToken ct)
    {
        db.SavedSearchSchedules.Update(schedule);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    public async Task<bool> DeleteScheduleAsync(string savedSearchId, string scheduleId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var deleted = await db.SavedSearchSchedules.Where(s => s.SavedSearchId == savedSearchId && s.ScheduleId == scheduleId).ExecuteDeleteAsync(ct);
        await db.ScheduleFirings.Where(f => f.ScheduleId == scheduleId).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return deleted > 0;
    }

    public async Task<(IReadOnlyList<ScheduleFiring> Firings, int Total)> FiringsAsync(string scheduleId, int page, int pageSize, CancellationToken ct)
    {
        var firings = db.ScheduleFirings.AsNoTracking().Where(f => f.ScheduleId == scheduleId);
        var total = await firings.CountAsync(ct);
        var items = await firings.OrderByDescending(f => f.FireAt).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return (items, total);
    }

    public async Task<int> PlanDueAsync(DateTimeOffset now, int batch, Func<SavedSearchSchedule, PlannedFiring> plan, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var due = await db.SavedSearchSchedules
            .FromSql($"""
                SELECT * FROM saved_search_schedules
                WHERE enabled AND next_fire_at <= {now}
                ORDER BY next_fire_at, id
                LIMIT {batch}
                FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(ct);
        var made = 0;
        var skipped = new List<string>();
        foreach (var schedule in due)
        {
            var planned = plan(schedule);
            if (planned.FireAt is { } fireAt)
            {
                var status = planned.Skipped ? "skipped" : "pending";
                DateTimeOffset? completed = planned.Skipped ? now : null;
                var inserted = await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO schedule_firings (schedule_id, fire_at, status, reason, created_at, completed_at, attempts)
                    VALUES ({schedule.ScheduleId}, {fireAt}, {status}, {planned.Reason}, now(), {completed}, 0)
                    ON CONFLICT (schedule_id, fire_at) DO NOTHING
                    """, ct);
                made += inserted;
                if (inserted > 0 && planned.Skipped)
                {
                    skipped.Add(schedule.ScheduleId);
                }
            }

            schedule.NextFireAt = planned.NextFireAt;
        }

        await db.SaveChangesAsync(ct);
        foreach (var scheduleId in skipped)
        {
            await AnnounceSkippedAsync(scheduleId, ct);
        }

        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return made;
    }

    public Task<ScheduleFiring?> ClaimFiringAsync(string owner, TimeSpan lease, CancellationToken ct) =>
        LeasedJobs.ClaimAsync(db.ScheduleFirings, "schedule_firings", "true", owner, lease, ct);

    public async Task<(SavedSearchSchedule Schedule, SavedSearch Search)?> FiringSourceAsync(string scheduleId, CancellationToken ct)
    {
        var schedule = await db.SavedSearchSchedules.AsNoTracking().SingleOrDefaultAsync(s => s.ScheduleId == scheduleId, ct);
        var search = schedule is null ? null : await FindAsync(schedule.SavedSearchId, ct);
        return schedule is null || search is null ? null : (schedule, search);
    }

    public async Task<bool> FinishFiringAsync(
        ScheduleFiring firing, string owner, FiringStatus status, string? exportId, long? rowCount, string? reason,
        (long Count, DateTimeOffset? Newest)? seen, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var finished = await db.ScheduleFirings
            .Where(f => f.Id == firing.Id && f.LeaseOwner == owner && Open.Contains(f.Status))
            .ExecuteUpdateAsync(u => u
                .SetProperty(f => f.Status, status)
                .SetProperty(f => f.ExportId, exportId)
                .SetProperty(f => f.RowCount, rowCount)
                .SetProperty(f => f.Reason, reason)
                .SetProperty(f => f.CompletedAt, _ => DateTimeOffset.UtcNow)
                .SetProperty(f => f.LeaseOwner, (string?)null)
                .SetProperty(f => f.LeaseExpiresAt, (DateTimeOffset?)null), ct);
        if (finished == 1 && seen is { } saw)
        {
            await db.SavedSearchSchedules.Where(s => s.ScheduleId == firing.ScheduleId)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastCount, saw.Count).SetProperty(s => s.LastNewestUpdatedAt, saw.Newest), ct);
        }

        if (finished == 1 && status == FiringStatus.Skipped)
        {
            await AnnounceSkippedAsync(firing.ScheduleId, ct);
        }

        await transaction.CommitAsync(ct);
        return finished == 1;
    }

    /// <summary>Records <c>schedule.skipped</c> for the saved search's owner; a schedule whose search is gone has no one to tell.</summary>
    private async Task AnnounceSkippedAsync(string scheduleId, CancellationToken ct)
    {
        var owner = await db.SavedSearchSchedules.Where(s => s.ScheduleId == scheduleId)
            .Join(db.SavedSearches, s => s.SavedSearchId, search => search.SavedSearchId, (_, search) => search.OwnerId)
            .SingleOrDefaultAsync(ct);
        if (owner is not null)
        {
            await JobEvents.RecordAsync(db, WebhookEventTypes.ScheduleSkipped, scheduleId, owner, ct);
        }
    }

    public Task<bool> ExportExistsAsync(string exportId, CancellationToken ct) => db.UserExports.AnyAsync(e => e.ExportId == exportId, ct);
}
