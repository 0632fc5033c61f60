using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Persistence;

/// <summary>
/// Insert-or-overwrite by the natural key <c>uuid</c>, the way Connectra's own batch upserts behave: every column is
/// replaced, the row keeps its surrogate id (and whatever <paramref name="keep"/> carries over, e.g. created_at).
/// </summary>
internal static class UuidUpsert
{
    public static async Task UpsertByUuidAsync<T>(
        this DbSet<T> set,
        IReadOnlyList<T> rows,
        Func<T, string> uuidOf,
        Action<T, T?> keep,
        CancellationToken ct)
        where T : class
    {
        var uuids = rows.Select(uuidOf).Distinct().ToList();
        var stored = await set.Where(row => uuids.Contains(EF.Property<string>(row, "Uuid"))).ToDictionaryAsync(uuidOf, ct);

        foreach (var row in rows)
        {
            if (stored.TryGetValue(uuidOf(row), out var existing))
            {
                keep(row, existing);
                set.Entry(existing).CurrentValues.SetValues(row);
            }
            else
            {
                keep(row, null);
                set.Add(row);
                // A later duplicate in the same batch overwrites this one instead of clashing on the unique index.
                stored[uuidOf(row)] = row;
            }
        }
    }
}
