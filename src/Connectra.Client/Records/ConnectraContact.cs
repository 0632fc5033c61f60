namespace Connectra.Client.Records;

/// <summary>
/// A contact row as Connectra returns and stores it (docs/connectra.md#contact-document). Connectra omits every empty value, so
/// every member is nullable and absent means empty.
/// </summary>
public sealed record ConnectraContact : IConnectraRecord
{
    public long? Id { get; init; }
    public string? Uuid { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? CompanyId { get; init; }
    public string? Email { get; init; }
    public string? Title { get; init; }
    public IReadOnlyList<string>? Departments { get; init; }
    public string? MobilePhone { get; init; }
    public string? EmailStatus { get; init; }
    public string? Seniority { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? Country { get; init; }
    public string? LinkedinUrl { get; init; }
    public string? FacebookUrl { get; init; }
    public string? TwitterUrl { get; init; }
    public string? Website { get; init; }
    public string? WorkDirectPhone { get; init; }
    public string? HomePhone { get; init; }
    public string? OtherPhone { get; init; }
    public string? Stage { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }

    /// <summary>Present only when the query asked for company_config.populate and the company exists.</summary>
    public ConnectraCompany? Company { get; init; }

    /// <summary>The hit's sort values; present only when the query had an order_by.</summary>
    public IReadOnlyList<string>? Cursor { get; init; }
}
