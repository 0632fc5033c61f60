namespace Connectra.Backend.Application.Companies;

/// <summary>Writes companies to PostgreSQL. Reads belong to Connectra (backend-api.md §1).</summary>
public interface ICompanyRepository
{
    /// <summary>Inserts or overwrites companies and their metadata by uuid, in one transaction.</summary>
    Task UpsertAsync(IReadOnlyList<(Company Company, CompanyMetadata Metadata)> companies, CancellationToken ct);

    [Obsolete("Companies are read through Connectra (IConnectraApi); PostgreSQL is the write side only.")]
    Task<Company?> FindAsync(string uuid, CancellationToken ct);
}
