using Connectra.Backend.Application.Writing;

namespace Connectra.Backend.Infrastructure.Persistence;

/// <summary>
/// A transaction on the request's DbContext, which every repository of the request shares: their writes inside it
/// commit together, and their own SaveChanges join it instead of committing alone.
/// </summary>
internal sealed class WriteTransaction(BackendDbContext db) : IWriteTransaction
{
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var result = await work(ct);
            await transaction.CommitAsync(ct);
            return result;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
