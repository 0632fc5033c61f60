using Connectra.Backend.Application.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Persistence;

/// <summary>
/// Insert-or-overwrite by the natural key <c>uuid</c>, the way Connectra's own batch upserts behave: every column is
/// replaced; a row keeps its surrogate id and its creation time.
/// </summary>
internal static class UuidUpsert
{
    /// <summary>Main rows and their 1:1 metadata rows, in one transaction.</summary>
    public static async Task UpsertWithMetadataAsync<TRow, TMetadata>(
        this BackendDbContext db, IReadOnlyList<(TRow Row, TMetadata Metadata)> items, DateTimeOffset now, CancellationToken ct)
        where TRow : class, ITimestampedRow
        where TMetadata : class, IUuidRow
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await UpsertAsync(db.Set<TRow>(), [.. items.Select(i => i.Row)], (incoming, stored) =>
        {
            incoming.CreatedAt = stored?.CreatedAt ?? now;
            incoming.UpdatedAt = now;
        }, ct);
        await UpsertAsync(db.Set<TMetadata>(), [.. items.Select(i => i.Metadata)], (_, _) => { }, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private static async Task UpsertAsync<T>(DbSet<T> set, IReadOnlyList<T> rows, Action<T, T?> keep, CancellationToken ct)
        where T : class, IUuidRow
    {
        var uuids = rows.Select(r => r.Uuid).Distinct().ToList();
        var stored = await set.Where(row => uuids.Contains(EF.Property<string>(row, nameof(IUuidRow.Uuid)))).ToDictionaryAsync(r => r.Uuid, ct);

        foreach (var row in rows)
        {
            var existing = stored.GetValueOrDefault(row.Uuid);
            row.Id = existing?.Id ?? 0;
            keep(row, existing);
            if (existing is null)
            {
                set.Add(row);
                // A later duplicate in the same batch overwrites this one instead of clashing on the unique index.
                stored[row.Uuid] = row;
            }
            else
            {
                set.Entry(existing).CurrentValues.SetValues(row);
            }
        }
    }
}
