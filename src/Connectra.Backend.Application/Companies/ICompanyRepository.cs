using Connectra.Backend.Application.Writing;

namespace Connectra.Backend.Application.Companies;

/// <summary>Writes companies to PostgreSQL. Reads belong to Connectra (docs/architecture.md#read-path).</summary>
public interface ICompanyRepository : IRecordStore<Company, CompanyMetadata>
{
    /// <summary>
    /// Live companies whose metadata LinkedIn URL is one of <paramref name="linkedinUrls"/> or whose name is one of
    /// <paramref name="names"/> ignoring case: an import's candidates before it mints a new uuid.
    /// </summary>
    Task<IReadOnlyList<CompanyMatch>> FindMatchesAsync(IReadOnlyCollection<string> linkedinUrls, IReadOnlyCollection<string> names, CancellationToken ct);

    /// <summary>Whether a live (not deleted) company has this uuid: a contact's company_id must name one.</summary>
    Task<bool> ExistsAsync(string uuid, CancellationToken ct);

    [Obsolete("Companies are read through Connectra (IConnectraApi); PostgreSQL is the write side only.")]
    Task<Company?> FindAsync(string uuid, CancellationToken ct);
}

/// <summary>A live company an import may mean: its uuid, name and metadata LinkedIn URL.</summary>
public sealed record CompanyMatch(string Uuid, string? Name, string? LinkedinUrl);
