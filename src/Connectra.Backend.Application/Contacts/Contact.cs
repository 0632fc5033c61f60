using Connectra.Backend.Application.Persistence;

namespace Connectra.Backend.Application.Contacts;

/// <summary>
/// A contact on the write side (PostgreSQL <c>contacts</c>). Reads never come from here: Connectra serves them.
/// "_" is the original's placeholder for "unknown" and is kept so rows round-trip with the existing data.
/// </summary>
public sealed class Contact : IWritableRow
{
    public const string Unknown = "_";

    public long Id { get; set; }
    public required string Uuid { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }

    /// <summary>The company's uuid; set to null when that company is deleted.</summary>
    public string? CompanyId { get; set; }
    public string? Email { get; set; }
    public string? Title { get; set; }
    public List<string> Departments { get; set; } = [];
    public string? MobilePhone { get; set; }
    public string? EmailStatus { get; set; }

    /// <summary>Free-text location ("city state country").</summary>
    public string? TextSearch { get; set; }
    public string Seniority { get; set; } = Unknown;
    public string Status { get; set; } = Unknown;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Counts the writes; the API's ETag, and the concurrency token of every update.</summary>
    public long Version { get; set; }

    /// <summary>Set when the API deletes the row; it stays for bookkeeping but is never served or written again.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>A copy to change while the stored one stays as it was.</summary>
    public Contact Copy()
    {
        var copy = (Contact)MemberwiseClone();
        copy.Departments = [.. Departments];
        return copy;
    }
}

/// <summary>1:1 with <see cref="Contact"/> by uuid (no foreign key, as in the original schema).</summary>
public sealed class ContactMetadata : IUuidRow
{
    public long Id { get; set; }
    public required string Uuid { get; set; }
    public string LinkedinUrl { get; set; } = Contact.Unknown;
    public string LinkedinSalesUrl { get; set; } = Contact.Unknown;
    public string FacebookUrl { get; set; } = Contact.Unknown;
    public string TwitterUrl { get; set; } = Contact.Unknown;
    public string Website { get; set; } = Contact.Unknown;
    public string WorkDirectPhone { get; set; } = Contact.Unknown;
    public string HomePhone { get; set; } = Contact.Unknown;
    public string City { get; set; } = Contact.Unknown;
    public string State { get; set; } = Contact.Unknown;
    public string Country { get; set; } = Contact.Unknown;
    public string OtherPhone { get; set; } = Contact.Unknown;
    public string Stage { get; set; } = Contact.Unknown;

    public ContactMetadata Copy() => (ContactMetadata)MemberwiseClone();
}
