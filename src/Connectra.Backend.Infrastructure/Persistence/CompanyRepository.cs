using Connectra.Backend.Application.Companies;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Persistence;

internal sealed class CompanyRepository(BackendDbContext db, TimeProvider clock) : ICompanyRepository
{
    public async Task UpsertAsync(IReadOnlyList<(Company Company, CompanyMetadata Metadata)> companies, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Companies.UpsertByUuidAsync(
            [.. companies.Select(c => c.Company)],
            c => c.Uuid,
            (incoming, stored) =>
            {
                incoming.Id = stored?.Id ?? 0;
                incoming.CreatedAt = stored?.CreatedAt ?? now;
                incoming.UpdatedAt = now;
            },
            ct);
        await db.CompaniesMetadata.UpsertByUuidAsync(
            [.. companies.Select(c => c.Metadata)], m => m.Uuid, (incoming, stored) => incoming.Id = stored?.Id ?? 0, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    [Obsolete("Companies are read through Connectra (IConnectraApi); PostgreSQL is the write side only.")]
    public Task<Company?> FindAsync(string uuid, CancellationToken ct) =>
        db.Companies.AsNoTracking().SingleOrDefaultAsync(c => c.Uuid == uuid, ct);
}
