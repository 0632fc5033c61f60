using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Writing;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Persistence;

internal sealed class CompanyRepository(BackendDbContext db) : ICompanyRepository
{
    public Task<bool> ExistsAsync(string uuid, CancellationToken ct) =>
        db.Companies.AnyAsync(c => c.Uuid == uuid && c.DeletedAt == null, ct);

    public Task<(Company Row, CompanyMetadata Metadata)?> FindForWriteAsync(string uuid, CancellationToken ct) =>
        RecordStore.FindForWriteAsync<Company, CompanyMetadata>(db, uuid, u => new CompanyMetadata { Uuid = u }, ct);

    public Task<IReadOnlyDictionary<string, (Company Row, CompanyMetadata Metadata)>> LockForWriteAsync(IReadOnlyCollection<string> uuids, CancellationToken ct)
    {
        var keys = uuids.Distinct().ToArray();
        return RecordStore.LockForWriteAsync(db,
            db.Companies.FromSql($"SELECT * FROM companies WHERE uuid = ANY({keys}) ORDER BY uuid FOR UPDATE"),
            keys, u => new CompanyMetadata { Uuid = u }, ct);
    }

    public async Task<IReadOnlyList<CompanyMatch>> FindMatchesAsync(IReadOnlyCollection<string> linkedinUrls, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        var urls = linkedinUrls.Distinct().ToList();
        // lower(name) has an index of its own (migration CompanyLowerNameIndex); ToLower translates to lower().
        var lower = names.Select(n => n.ToLowerInvariant()).Distinct().ToList();
        var byUrl = await (
            from m in db.CompaniesMetadata
            where urls.Contains(m.LinkedinUrl!)
            join c in db.Companies on m.Uuid equals c.Uuid
            where c.DeletedAt == null
            select new CompanyMatch(c.Uuid, c.Name, m.LinkedinUrl)).AsNoTracking().ToListAsync(ct);
        var byName = await (
            from c in db.Companies
            where c.DeletedAt == null && lower.Contains(c.Name!.ToLower())
            join m in db.CompaniesMetadata on c.Uuid equals m.Uuid into metadata
            from m in metadata.DefaultIfEmpty()
            select new CompanyMatch(c.Uuid, c.Name, m == null ? null : m.LinkedinUrl)).AsNoTracking().ToListAsync(ct);
        return [.. byUrl.Concat(byName).DistinctBy(m => m.Uuid).OrderBy(m => m.Uuid, StringComparer.Ordinal)];
    }

    public Task SaveAsync(IReadOnlyList<RecordWrite<Company, CompanyMetadata>> writes, CancellationToken ct) =>
        RecordStore.SaveAsync(db, writes, ct);

    [Obsolete("Companies are read through Connectra (IConnectraApi); PostgreSQL is the write side only.")]
    public Task<Company?> FindAsync(string uuid, CancellationToken ct) =>
        db.Companies.AsNoTracking().SingleOrDefaultAsync(c => c.Uuid == uuid, ct);
}
