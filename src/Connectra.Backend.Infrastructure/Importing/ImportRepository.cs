using Connectra.Backend.Application.Importing;
using Connectra.Backend.Infrastructure.Jobs;
using Connectra.Backend.Infrastructure.Persistence;
using Connectra.Backend.Application.Webhooks;
using Connectra.Backend.Infrastructure.Changes;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Connectra.Backend.Infrastructure.Importing;

/// <summary>
/// <c>user_imports</c> and <c>user_import_errors</c> on EF Core, claimed like every durable job table
/// (<see cref="LeasedJobs"/>). The worker's writes are single conditional UPDATEs, so a cancellation and a completion
/// cannot both win; a checkpoint runs in the batch's transaction (the request's DbContext is shared).
/// </summary>
internal sealed class ImportRepository(BackendDbContext db, NpgsqlDataSource database) : IImportRepository
{
    private static readonly ImportStatus[] Active = [ImportStatus.Pending, ImportStatus.Processing];

    public async Task AddAsync(UserImport job, CancellationToken ct)
    {
        db.UserImports.Add(job);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    public Task<int> CountActiveAsync(string userId, CancellationToken ct) =>
        db.UserImports.CountAsync(i => i.UserId == userId && Active.Contains(i.Status), ct);

    public Task<UserImport?> FindAsync(string importId, string userId, CancellationToken ct) =>
        db.UserImports.AsNoTracking().SingleOrDefaultAsync(i => i.ImportId == importId && i.UserId == userId, ct);

    public async Task<(IReadOnlyList<UserImport> Imports, int Total)> ListAsync(string userId, ImportListQuery query, CancellationToken ct)
    {
        var mine = db.UserImports.AsNoTracking().Where(i => i.UserId == userId);
        mine = query.Status switch
        {
            null => mine,
            ImportState.Pending => mine.Where(i => i.Status == ImportStatus.Pending),
            ImportState.Validating => mine.Where(i => i.Status == ImportStatus.Processing && i.Phase == ImportPhase.Validating),
            ImportState.Processing => mine.Where(i => i.Status == ImportStatus.Processing && i.Phase == ImportPhase.Processing),
            ImportState.Completed => mine.Where(i => i.Status == ImportStatus.Completed),
            ImportState.Failed => mine.Where(i => i.Status == ImportStatus.Failed),
            _ => mine.Where(i => i.Status == ImportStatus.Cancelled),
        };

        if (query.Entity is { } entity)
        {
            mine = mine.Where(i => i.Entity == entity);
        }

        if (query.CreatedAfter is { } after)
        {
            mine = mine.Where(i => i.CreatedAt >= after);
        }

        if (query.CreatedBefore is { } before)
        {
            mine = mine.Where(i => i.CreatedAt <= before);
        }

        var total = await mine.CountAsync(ct);
        var page = await mine.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(ct);
        return (page, total);
    }

    public async Task<(IReadOnlyList<ImportRowError> Errors, int Total)> ErrorsAsync(string importId, int page, int pageSize, CancellationToken ct)
    {
        var errors = db.ImportRowErrors.AsNoTracking().Where(e => e.ImportId == importId);
        var total = await errors.CountAsync(ct);
        var rows = await errors.OrderBy(e => e.Line).ThenBy(e => e.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return (rows, total);
    }

    public async Task<bool> CancelAsync(string importId, string userId, string message, CancellationToken ct) =>
        await db.UserImports
            .Where(i => i.ImportId == importId && i.UserId == userId && Active.Contains(i.Status))
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, ImportStatus.Cancelled)
                .SetProperty(i => i.ErrorMessage, message)
                .SetProperty(i => i.EstimatedTimeRemaining, (int?)null)
                .SetProperty(i => i.CompletedAt, _ => DateTimeOffset.UtcNow), ct) > 0;

    public Task<UserImport?> ClaimAsync(string owner, TimeSpan lease, CancellationToken ct) =>
        LeasedJobs.ClaimAsync(db.UserImports, "user_imports", "true", owner, lease, ct);

    /// <summary>
    /// The heartbeat runs beside the batch in flight, whose transaction holds this scope's context and its connection:
    /// it renews on a connection of its own, never in the middle of the batch's statements.
    /// </summary>
    public async Task<bool> RenewAsync(string importId, string owner, TimeSpan lease, CancellationToken ct)
    {
        await using var renew = database.CreateCommand(
            "UPDATE user_imports SET lease_expires_at = @until WHERE import_id = @id AND status = 'processing' AND lease_owner = @owner");
        renew.Parameters.AddWithValue("until", DateTimeOffset.UtcNow + lease);
        renew.Parameters.AddWithValue("id", importId);
        renew.Parameters.AddWithValue("owner", owner);
        return await renew.ExecuteNonQueryAsync(ct) > 0;
    }

    public async Task<bool> StartProcessingAsync(string importId, string owner, int rowsTotal, TimeSpan lease, CancellationToken ct) =>
        await Running(importId, owner).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Phase, ImportPhase.Processing)
            .SetProperty(i => i.RowsTotal, rowsTotal)
            .SetProperty(i => i.LeaseExpiresAt, _ => DateTimeOffset.UtcNow + lease), ct) > 0;

    public async Task<bool> CheckpointAsync(ImportProgress progress, IReadOnlyList<ImportRowError> errors, string owner, TimeSpan lease, CancellationToken ct)
    {
        var held = await Running(progress.ImportId, owner).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.RowsRead, progress.RowsRead)
            .SetProperty(i => i.Created, progress.Created)
            .SetProperty(i => i.Updated, progress.Updated)
            .SetProperty(i => i.Unchanged, progress.Unchanged)
            .SetProperty(i => i.Failed, progress.Failed)
            .SetProperty(i => i.ErrorFileLength, progress.ErrorFileLength)
            .SetProperty(i => i.EstimatedTimeRemaining, progress.EstimatedSeconds)
            .SetProperty(i => i.LeaseExpiresAt, _ => DateTimeOffset.UtcNow + lease), ct) > 0;
        if (held && errors.Count > 0)
        {
            db.ImportRowErrors.AddRange(errors);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }

        return held;
    }

    public Task<bool> CompleteAsync(string importId, string owner, CancellationToken ct) =>
        JobEvents.InTransactionAsync(db, async () => await AnnouncedAsync(importId, WebhookEventTypes.ImportCompleted, await Running(importId, owner).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, ImportStatus.Completed)
            .SetProperty(i => i.EstimatedTimeRemaining, 0)
            .SetProperty(i => i.CompletedAt, _ => DateTimeOffset.UtcNow)
            .SetProperty(i => i.LeaseOwner, (string?)null)
            .SetProperty(i => i.LeaseExpiresAt, (DateTimeOffset?)null), ct) > 0, ct), ct);

    public Task<bool> FailAsync(string importId, string owner, string message, CancellationToken ct) =>
        JobEvents.InTransactionAsync(db, async () => await AnnouncedAsync(importId, WebhookEventTypes.ImportFailed, await Running(importId, owner).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, ImportStatus.Failed)
            .SetProperty(i => i.ErrorMessage, message)
            .SetProperty(i => i.EstimatedTimeRemaining, (int?)null)
            .SetProperty(i => i.CompletedAt, _ => DateTimeOffset.UtcNow)
            .SetProperty(i => i.LeaseOwner, (string?)null)
            .SetProperty(i => i.LeaseExpiresAt, (DateTimeOffset?)null), ct) > 0, ct), ct);

    /// <summary>When <paramref name="ended"/>, records the import's event for its owner's webhooks.</summary>
    private async Task<bool> AnnouncedAsync(string importId, string type, bool ended, CancellationToken ct)
    {
        if (ended && await db.UserImports.Where(i => i.ImportId == importId).Select(i => i.UserId).SingleOrDefaultAsync(ct) is { } user)
        {
            await JobEvents.RecordAsync(db, type, importId, user, ct);
        }

        return ended;
    }

    public Task ReleaseAsync(string importId, string owner, CancellationToken ct) =>
        Running(importId, owner).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, ImportStatus.Pending)
            .SetProperty(i => i.Attempts, i => i.Attempts - 1)
            .SetProperty(i => i.LeaseOwner, (string?)null)
            .SetProperty(i => i.LeaseExpiresAt, (DateTimeOffset?)null), ct);

    public async Task<IReadOnlyList<string>> EndedBeforeAsync(DateTimeOffset before, int limit, CancellationToken ct) =>
        await db.UserImports.AsNoTracking()
            .Where(i => !Active.Contains(i.Status) && i.CompletedAt < before && i.FileSize > 0)
            .OrderBy(i => i.CompletedAt).Select(i => i.ImportId).Take(limit).ToListAsync(ct);

    private IQueryable<UserImport> Running(string importId, string owner) =>
        db.UserImports.Where(i => i.ImportId == importId && i.Status == ImportStatus.Processing && i.LeaseOwner == owner);
}
