using Connectra.Backend.Application.Persistence;

namespace Connectra.Backend.Application.Companies;

/// <summary>A company on the write side (PostgreSQL <c>companies</c>). Reads come from Connectra.</summary>
public sealed class Company : IWritableRow
{
    public long Id { get; set; }
    public required string Uuid { get; set; }
    public string? Name { get; set; }
    public long? EmployeesCount { get; set; }
    public List<string> Industries { get; set; } = [];
    public List<string> Keywords { get; set; } = [];
    public string? Address { get; set; }
    public long? AnnualRevenue { get; set; }
    public long? TotalFunding { get; set; }
    public List<string> Technologies { get; set; } = [];
    public string? TextSearch { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Counts the writes; the API's ETag, and the concurrency token of every update.</summary>
    public long Version { get; set; }

    /// <summary>Set when the API deletes the row; it stays for bookkeeping but is never served or written again.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>A copy to change while the stored one stays as it was.</summary>
    public Company Copy()
    {
        var copy = (Company)MemberwiseClone();
        copy.Industries = [.. Industries];
        copy.Keywords = [.. Keywords];
        copy.Technologies = [.. Technologies];
        return copy;
    }
}

/// <summary>1:1 with <see cref="Company"/> by uuid (no foreign key, as in the original schema).</summary>
public sealed class CompanyMetadata : IUuidRow
{
    public long Id { get; set; }
    public required string Uuid { get; set; }
    public string? LinkedinUrl { get; set; }
    public string? LinkedinSalesUrl { get; set; }
    public string? FacebookUrl { get; set; }
    public string? TwitterUrl { get; set; }
    public string? Website { get; set; }
    public string? NormalizedDomain { get; set; }
    public string? CompanyNameForEmails { get; set; }
    public string? PhoneNumber { get; set; }
    public string? LatestFunding { get; set; }
    public long? LatestFundingAmount { get; set; }
    public string? LastRaisedAt { get; set; }
    public string? City { get; set; }
    public string? State { get; set; }
    public string? Country { get; set; }

    public CompanyMetadata Copy() => (CompanyMetadata)MemberwiseClone();
}
