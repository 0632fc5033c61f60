namespace Connectra.Backend.Application.Outbox;

/// <summary>
/// A record to deliver to Connectra, written in the same transaction as the change it carries (PostgreSQL
/// <c>connectra_outbox</c>). The dispatcher sends it, reads it back, and only then calls it delivered
/// (docs/outbox.md).
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Connectra's error texts can be long; the row keeps their start.</summary>
    public const int MaxErrorLength = 1000;

    public long Id { get; set; }

    /// <summary>What <see cref="Uuid"/> names: see <see cref="OutboxEntity"/>.</summary>
    public required string Entity { get; set; }

    public required string Uuid { get; set; }

    /// <summary>
    /// The flat Connectra record (JSON, as Connectra's batch upsert takes it); null when the dispatcher builds it from
    /// the write side at send time (refreshing a contact's copy of its company).
    /// </summary>
    public string? Payload { get; set; }

    /// <summary>For a contact: its company, which must be delivered first (Connectra copies it into the contact).</summary>
    public string? DependsOn { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>Not before this time: the back-off after a failed send or a failed read-back.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Connectra answered the batch upsert; not yet proof of anything (it answers 200 even when it wrote nothing).</summary>
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Read back from Connectra as sent, or superseded by a later message for the same record.</summary>
    public DateTimeOffset? DeliveredAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>
    /// The last try failed because Connectra was unavailable (not because it refused the record): the record is due
    /// again as soon as Connectra is seen back (docs/outbox.md#recovery).
    /// </summary>
    public bool WaitingForConnectra { get; set; }
}

/// <summary>The kinds of <see cref="OutboxMessage.Entity"/>.</summary>
public static class OutboxEntity
{
    public const string Contact = "contact";
    public const string Company = "company";

    /// <summary>Every contact of the company named by the message must be sent again (its copy of the company changed).</summary>
    public const string CompanyContacts = "company-contacts";
}
