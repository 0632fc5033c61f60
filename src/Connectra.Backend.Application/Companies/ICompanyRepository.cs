namespace Connectra.Backend.Application.Companies;

/// <summary>Writes companies to PostgreSQL. Reads belong to Connectra (docs/architecture.md#read-path).</summary>
public interface ICompanyRepository
{
    /// <summary>Inserts or overwrites companies and their metadata by uuid, in one transaction.</summary>
    Task UpsertAsync(IReadOnlyList<(Company Company, CompanyMetadata Metadata)> companies, CancellationToken ct);

    [Obsolete("Companies are read through Connectra (IConnectraApi); PostgreSQL is the write side only.")]
    Task<Company?> FindAsync(string uuid, CancellationToken ct);
}
