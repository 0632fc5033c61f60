namespace Connectra.Client.Records;

/// <summary>A company row as Connectra returns and stores it (docs/connectra.md#company-document); absent means empty.</summary>
public sealed record ConnectraCompany : IConnectraRecord
{
    public long? Id { get; init; }
    public string? Uuid { get; init; }
    public string? Name { get; init; }
    public long? EmployeesCount { get; init; }
    public IReadOnlyList<string>? Industries { get; init; }
    public IReadOnlyList<string>? Keywords { get; init; }
    public string? Address { get; init; }
    public long? AnnualRevenue { get; init; }
    public long? TotalFunding { get; init; }
    public IReadOnlyList<string>? Technologies { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? Country { get; init; }
    public string? LinkedinUrl { get; init; }
    public string? Website { get; init; }
    public string? NormalizedDomain { get; init; }
    public string? FacebookUrl { get; init; }
    public string? TwitterUrl { get; init; }
    public string? CompanyNameForEmails { get; init; }
    public string? PhoneNumber { get; init; }
    public string? LatestFunding { get; init; }
    public long? LatestFundingAmount { get; init; }
    public string? LastRaisedAt { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }

    /// <summary>The hit's sort values; present only when the query had an order_by.</summary>
    public IReadOnlyList<string>? Cursor { get; init; }
}
