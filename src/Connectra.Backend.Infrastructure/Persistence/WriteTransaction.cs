using Connectra.Backend.Application.Writing;
using Connectra.Backend.Infrastructure.Changes;

namespace Connectra.Backend.Infrastructure.Persistence;

/// <summary>
/// A transaction on the request's DbContext, which every repository of the request shares: their writes inside it
/// commit together, and their own SaveChanges join it instead of committing alone. The change events of its writes
/// are recorded just before the commit.
/// </summary>
internal sealed class WriteTransaction(BackendDbContext db, PendingChanges changes) : IWriteTransaction
{
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var result = await work(ct);
            // Last before the commit: the feed's lock is then held for the commit alone (docs/webhooks.md#ordering).
            await changes.RecordAsync(ct);
            await transaction.CommitAsync(ct);
            return result;
        }
        finally
        {
            changes.Discard();
            db.ChangeTracker.Clear();
        }
    }
}
