using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Persistence;

internal sealed class CompanyRepository(BackendDbContext db, TimeProvider clock) : ICompanyRepository
{
    public Task UpsertAsync(IReadOnlyList<(Company Company, CompanyMetadata Metadata)> companies, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.UpsertWithMetadataAsync(companies, now, (company, metadata, existed) => ConnectraRecords.For(company, metadata, existed, now), ct);
    }

    public Task<bool> ExistsAsync(string uuid, CancellationToken ct) =>
        db.Companies.AnyAsync(c => c.Uuid == uuid && c.DeletedAt == null, ct);

    public Task<(Company Row, CompanyMetadata Metadata)?> FindForWriteAsync(string uuid, CancellationToken ct) =>
        RecordStore.FindForWriteAsync<Company, CompanyMetadata>(db, uuid, u => new CompanyMetadata { Uuid = u }, ct);

    public Task SaveAsync(Company row, CompanyMetadata metadata, long? expectedVersion, IReadOnlyList<OutboxMessage> outbox, CancellationToken ct) =>
        RecordStore.SaveAsync(db, row, metadata, expectedVersion, outbox, ct);

    [Obsolete("Companies are read through Connectra (IConnectraApi); PostgreSQL is the write side only.")]
    public Task<Company?> FindAsync(string uuid, CancellationToken ct) =>
        db.Companies.AsNoTracking().SingleOrDefaultAsync(c => c.Uuid == uuid, ct);
}
