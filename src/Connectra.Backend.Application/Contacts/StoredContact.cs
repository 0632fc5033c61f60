namespace Connectra.Backend.Application.Contacts;

/// <summary>
/// A contact as a write stored it (docs/writes.md#contacts): the row and its metadata, as PostgreSQL holds them, with
/// the version its ETag carries. The write routes answer with this, never with a read from Connectra.
/// </summary>
public sealed class StoredContact(Contact contact, ContactMetadata metadata)
{
    public string Uuid { get; } = contact.Uuid;
    public string? FirstName { get; } = Values.Clean(contact.FirstName);
    public string? LastName { get; } = Values.Clean(contact.LastName);
    public string? CompanyId { get; } = Values.Clean(contact.CompanyId);
    public string? Email { get; } = Values.Clean(contact.Email);
    public string? Title { get; } = Values.Clean(contact.Title);
    public IReadOnlyList<string> Departments { get; } = Values.CleanList(contact.Departments);
    public string? MobilePhone { get; } = Values.Clean(contact.MobilePhone);
    public string? EmailStatus { get; } = Values.Clean(contact.EmailStatus);
    public string? Seniority { get; } = Values.Clean(contact.Seniority);
    public string? Status { get; } = Values.Clean(contact.Status);
    public string? TextSearch { get; } = Values.Clean(contact.TextSearch);
    public StoredContactMetadata Metadata { get; } = new(metadata);
    public long Version { get; } = contact.Version;
    public DateTimeOffset CreatedAt { get; } = contact.CreatedAt;
    public DateTimeOffset? UpdatedAt { get; } = contact.UpdatedAt;
}

/// <summary>The contact's secondary fields as stored.</summary>
public sealed class StoredContactMetadata(ContactMetadata metadata)
{
    public string? LinkedinUrl { get; } = Values.Clean(metadata.LinkedinUrl);
    public string? LinkedinSalesUrl { get; } = Values.Clean(metadata.LinkedinSalesUrl);
    public string? FacebookUrl { get; } = Values.Clean(metadata.FacebookUrl);
    public string? TwitterUrl { get; } = Values.Clean(metadata.TwitterUrl);
    public string? Website { get; } = Values.Clean(metadata.Website);
    public string? WorkDirectPhone { get; } = Values.Clean(metadata.WorkDirectPhone);
    public string? HomePhone { get; } = Values.Clean(metadata.HomePhone);
    public string? City { get; } = Values.Clean(metadata.City);
    public string? State { get; } = Values.Clean(metadata.State);
    public string? Country { get; } = Values.Clean(metadata.Country);
    public string? OtherPhone { get; } = Values.Clean(metadata.OtherPhone);
    public string? Stage { get; } = Values.Clean(metadata.Stage);
}
