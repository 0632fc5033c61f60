using Connectra.Backend.Application.Writing;

namespace Connectra.Backend.Application.Companies;

/// <summary>Writes companies to PostgreSQL. Reads belong to Connectra (docs/architecture.md#read-path).</summary>
public interface ICompanyRepository : IRecordStore<Company, CompanyMetadata>
{
    /// <summary>Inserts or overwrites companies and their metadata by uuid, in one transaction.</summary>
    Task UpsertAsync(IReadOnlyList<(Company Company, CompanyMetadata Metadata)> companies, CancellationToken ct);

    /// <summary>Whether a live (not deleted) company has this uuid: a contact's company_id must name one.</summary>
    Task<bool> ExistsAsync(string uuid, CancellationToken ct);

    [Obsolete("Companies are read through Connectra (IConnectraApi); PostgreSQL is the write side only.")]
    Task<Company?> FindAsync(string uuid, CancellationToken ct);
}
