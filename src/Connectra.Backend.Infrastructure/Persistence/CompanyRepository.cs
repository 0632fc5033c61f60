using Connectra.Backend.Application.Companies;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Persistence;

internal sealed class CompanyRepository(BackendDbContext db, TimeProvider clock) : ICompanyRepository
{
    public Task UpsertAsync(IReadOnlyList<(Company Company, CompanyMetadata Metadata)> companies, CancellationToken ct) =>
        db.UpsertWithMetadataAsync(companies, clock.GetUtcNow(), ct);

    [Obsolete("Companies are read through Connectra (IConnectraApi); PostgreSQL is the write side only.")]
    public Task<Company?> FindAsync(string uuid, CancellationToken ct) =>
        db.Companies.AsNoTracking().SingleOrDefaultAsync(c => c.Uuid == uuid, ct);
}
