using Connectra.Backend.Application.Exports;
using Connectra.Backend.Infrastructure.Jobs;
using Connectra.Backend.Infrastructure.Persistence;
using Connectra.Backend.Application.Webhooks;
using Connectra.Backend.Infrastructure.Changes;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Exports;

/// <summary>
/// <c>user_exports</c> on EF Core, claimed like every durable job table (<see cref="LeasedJobs"/>). Lease times use the
/// database's clock (<c>now()</c>), the one clock every replica shares; the worker's writes are single conditional
/// UPDATEs, so a cancellation and a completion cannot both win.
/// </summary>
internal sealed class ExportRepository(BackendDbContext db) : IExportRepository
{
    private static readonly ExportStatus[] Active = [ExportStatus.Pending, ExportStatus.Processing];

    /// <summary>A chunked export merges its chunks' files, so it runs only once none of them is still to run.</summary>
    private const string ChunkedWaitsForItsChunks = """
        j.kind <> 'chunked' OR NOT EXISTS (
            SELECT 1 FROM user_exports c
            WHERE c.parent_export_id = j.export_id AND c.status IN ('pending', 'processing'))
        """;

    public async Task AddAsync(IReadOnlyList<UserExport> exports, CancellationToken ct)
    {
        db.UserExports.AddRange(exports);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    public Task<int> CountActiveAsync(string userId, CancellationToken ct) =>
        db.UserExports.CountAsync(e => e.UserId == userId && e.ParentExportId == null && Active.Contains(e.Status), ct);

    public async Task<ExportBacklog> BacklogAsync(CancellationToken ct)
    {
        var counts = await db.UserExports.Where(e => Active.Contains(e.Status))
            .GroupBy(e => e.Status)
            .Select(g => new { Status = g.Key, Count = g.LongCount() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, ct);
        return new ExportBacklog(counts.GetValueOrDefault(ExportStatus.Pending), counts.GetValueOrDefault(ExportStatus.Processing));
    }

    public Task<UserExport?> FindAsync(string exportId, string userId, CancellationToken ct) =>
        db.UserExports.AsNoTracking().SingleOrDefaultAsync(e => e.ExportId == exportId && e.UserId == userId, ct);

    public async Task<IReadOnlyList<UserExport>> ChunksAsync(string parentExportId, CancellationToken ct) =>
        await db.UserExports.AsNoTracking().Where(e => e.ParentExportId == parentExportId).OrderBy(e => e.ChunkIndex).ToListAsync(ct);

    public async Task<(IReadOnlyList<UserExport> Exports, int Total)> ListAsync(string userId, ExportListQuery query, CancellationToken ct)
    {
        var mine = db.UserExports.AsNoTracking().Where(e => e.UserId == userId && e.ParentExportId == null);
        if (query.Status is { } status)
        {
            mine = mine.Where(e => e.Status == status);
        }

        if (query.ExportType is { } type)
        {
            mine = mine.Where(e => e.ExportType == type);
        }

        if (query.CreatedAfter is { } after)
        {
            mine = mine.Where(e => e.CreatedAt >= after);
        }

        if (query.CreatedBefore is { } before)
        {
            mine = mine.Where(e => e.CreatedAt <= before);
        }

        var total = await mine.CountAsync(ct);
        var page = await mine.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(ct);
        return (page, total);
    }

    public async Task<bool> CancelAsync(string exportId, string userId, string message, CancellationToken ct)
    {
        var cancelled = await db.UserExports
            .Where(e => e.ExportId == exportId && e.UserId == userId && Active.Contains(e.Status))
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Status, ExportStatus.Cancelled)
                .SetProperty(e => e.ErrorMessage, message)
                .SetProperty(e => e.CompletedAt, _ => DateTimeOffset.UtcNow), ct);
        if (cancelled > 0)
        {
            // The chunks of a chunked export go with it.
            await db.UserExports
                .Where(e => e.ParentExportId == exportId && Active.Contains(e.Status))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.Status, ExportStatus.Cancelled)
                    .SetProperty(e => e.ErrorMessage, message)
                    .SetProperty(e => e.CompletedAt, _ => DateTimeOffset.UtcNow), ct);
        }

        return cancelled > 0;
    }

    public Task<UserExport?> ClaimAsync(string owner, TimeSpan lease, CancellationToken ct) =>
        LeasedJobs.ClaimAsync(db.UserExports, "user_exports", ChunkedWaitsForItsChunks, owner, lease, ct);

    public async Task<bool> CheckpointAsync(ExportProgress progress, string owner, TimeSpan lease, CancellationToken ct) =>
        await Running(progress.ExportId, owner).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.RecordsProcessed, progress.RecordsProcessed)
            .SetProperty(e => e.TotalRecords, progress.TotalRecords)
            .SetProperty(e => e.ProgressPercentage, progress.ProgressPercentage)
            .SetProperty(e => e.EstimatedTimeRemaining, progress.EstimatedSeconds)
            .SetProperty(e => e.MissingCount, progress.MissingCount)
            .SetProperty(e => e.MissingUuids, progress.MissingUuids.ToList())
            .SetProperty(e => e.Checkpoint, progress.Checkpoint)
            .SetProperty(e => e.LeaseExpiresAt, _ => DateTimeOffset.UtcNow + lease), ct) > 0;

    public Task<bool> CompleteAsync(ExportCompletion completion, string owner, CancellationToken ct) =>
        JobEvents.InTransactionAsync(db, async () => await AnnouncedAsync(completion.ExportId, WebhookEventTypes.ExportCompleted, await Running(completion.ExportId, owner).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.Status, ExportStatus.Completed)
            .SetProperty(e => e.FilePath, completion.FilePath.Length > 0 ? completion.FilePath : null)
            .SetProperty(e => e.FileName, completion.FileName.Length > 0 ? completion.FileName : null)
            .SetProperty(e => e.FileSize, completion.FilePath.Length > 0 ? completion.FileSize : null)
            .SetProperty(e => e.RecordsProcessed, completion.RecordsProcessed)
            .SetProperty(e => e.TotalRecords, completion.TotalRecords)
            .SetProperty(e => e.ProgressPercentage, 100.0)
            .SetProperty(e => e.EstimatedTimeRemaining, 0)
            .SetProperty(e => e.MissingCount, completion.MissingCount)
            .SetProperty(e => e.MissingUuids, completion.MissingUuids.ToList())
            .SetProperty(e => e.Notice, completion.Notice)
            .SetProperty(e => e.ExpiresAt, completion.ExpiresAt)
            .SetProperty(e => e.CompletedAt, _ => DateTimeOffset.UtcNow)
            .SetProperty(e => e.Checkpoint, (string?)null)
            .SetProperty(e => e.LeaseOwner, (string?)null)
            .SetProperty(e => e.LeaseExpiresAt, (DateTimeOffset?)null), ct) > 0, ct), ct);

    public Task<bool> FailAsync(string exportId, string owner, string message, CancellationToken ct) =>
        JobEvents.InTransactionAsync(db, async () => await AnnouncedAsync(exportId, WebhookEventTypes.ExportFailed, await Running(exportId, owner).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.Status, ExportStatus.Failed)
            .SetProperty(e => e.ErrorMessage, message)
            .SetProperty(e => e.EstimatedTimeRemaining, (int?)null)
            .SetProperty(e => e.CompletedAt, _ => DateTimeOffset.UtcNow)
            .SetProperty(e => e.Checkpoint, (string?)null)
            .SetProperty(e => e.LeaseOwner, (string?)null)
            .SetProperty(e => e.LeaseExpiresAt, (DateTimeOffset?)null), ct) > 0, ct), ct);

    /// <summary>When <paramref name="ended"/>, records the export's event for its owner's webhooks (not for the chunks of a chunked export).</summary>
    private async Task<bool> AnnouncedAsync(string exportId, string type, bool ended, CancellationToken ct)
    {
        if (ended && await db.UserExports.Where(e => e.ExportId == exportId && e.ParentExportId == null).Select(e => e.UserId).SingleOrDefaultAsync(ct) is { } user)
        {
            await JobEvents.RecordAsync(db, type, exportId, user, ct);
        }

        return ended;
    }

    public Task ReleaseAsync(string exportId, string owner, CancellationToken ct) =>
        Running(exportId, owner).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.Status, ExportStatus.Pending)
            .SetProperty(e => e.Attempts, e => e.Attempts - 1)
            .SetProperty(e => e.LeaseOwner, (string?)null)
            .SetProperty(e => e.LeaseExpiresAt, (DateTimeOffset?)null), ct);

    public async Task<(IReadOnlyList<string> Files, int DeletedRows)> ExpireAsync(DateTimeOffset now, DateTimeOffset rowsBefore, CancellationToken ct)
    {
        var expired = db.UserExports.Where(e => e.ExpiresAt < now && e.FilePath != null && !Active.Contains(e.Status));
        var files = await expired.Select(e => e.FilePath!).ToListAsync(ct);
        await expired.ExecuteUpdateAsync(s => s.SetProperty(e => e.FilePath, (string?)null), ct);
        var deleted = await db.UserExports.Where(e => e.ExpiresAt < rowsBefore && !Active.Contains(e.Status)).ExecuteDeleteAsync(ct);
        return (files, deleted);
    }

    public async Task<IReadOnlySet<string>> ReferencedExportIdsAsync(CancellationToken ct) =>
        (await db.UserExports.Where(e => e.FilePath != null || Active.Contains(e.Status)).Select(e => e.ExportId).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);

    private IQueryable<UserExport> Running(string exportId, string owner) =>
        db.UserExports.Where(e => e.ExportId == exportId && e.Status == ExportStatus.Processing && e.LeaseOwner == owner);
}
