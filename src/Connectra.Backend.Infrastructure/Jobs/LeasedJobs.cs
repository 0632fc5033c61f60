using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Connectra.Backend.Infrastructure.Jobs;

/// <summary>
/// The claim every durable job table shares (docs/exports.md#how-a-job-runs). A job table has <c>id</c>,
/// <c>status</c> (<c>pending</c>, <c>processing</c>, then a final state), <c>lease_owner</c>, <c>lease_expires_at</c>,
/// <c>attempts</c>, <c>created_at</c> and <c>started_at</c>. Lease times use the database's clock (<c>now()</c>), the
/// one clock every replica shares.
/// </summary>
internal static class LeasedJobs
{
    /// <summary>
    /// In one statement: takes the oldest runnable job nobody else is locking (<c>FOR UPDATE SKIP LOCKED</c>, so
    /// replicas never take the same job), leases it to <paramref name="owner"/> and counts the attempt. Runnable is
    /// pending, or processing under an expired lease (its worker died), and <paramref name="alsoRunnable"/>.
    /// </summary>
    /// <param name="table">The job table; a name fixed in code, never input.</param>
    /// <param name="alsoRunnable">A further condition on the candidate row <c>j</c>, fixed in code; <c>true</c> for none.</param>
    public static async Task<T?> ClaimAsync<T>(DbSet<T> jobs, string table, string alsoRunnable, string owner, TimeSpan lease, CancellationToken ct)
        where T : class
    {
        var claim = $"""
            UPDATE {table} SET
                status = 'processing',
                lease_owner = @owner,
                lease_expires_at = now() + @lease,
                attempts = attempts + 1,
                started_at = coalesce(started_at, now())
            WHERE id = (
                SELECT j.id FROM {table} j
                WHERE (j.status = 'pending' OR (j.status = 'processing' AND j.lease_expires_at < now()))
                  AND ({alsoRunnable})
                ORDER BY j.created_at, j.id
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING *
            """;
        var claimed = await jobs.FromSqlRaw(claim, new NpgsqlParameter("owner", owner), new NpgsqlParameter("lease", lease))
            .AsNoTracking().ToListAsync(ct);
        return claimed.SingleOrDefault();
    }
}
