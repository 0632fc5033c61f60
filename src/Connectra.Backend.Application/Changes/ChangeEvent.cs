namespace Connectra.Backend.Application.Changes;

/// <summary>
/// One committed write of a contact or company, recorded in the write's own transaction (PostgreSQL
/// <c>change_events</c>; docs/webhooks.md#change-feed). It names the record and what kind of change it was, never
/// its values: readers fetch the record.
/// </summary>
public sealed class ChangeEvent
{
    /// <summary>The most field names an update lists (every writable field of either entity fits).</summary>
    public const int MaxChangedFields = 64;

    /// <summary>Strictly increasing in commit order (docs/webhooks.md#ordering); numbers of rolled-back writes are never seen.</summary>
    public long Sequence { get; set; }

    public Guid EventId { get; set; }

    /// <summary>One of <see cref="ChangeTypes.Record"/>.</summary>
    public required string Type { get; set; }

    public required string Uuid { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>The record's version after the write (its ETag).</summary>
    public long Version { get; set; }

    /// <summary>For an update: the names of the fields whose values changed, as the API names them; null otherwise.</summary>
    public List<string>? ChangedFields { get; set; }

    /// <summary>For an event of a user's job (<c>export.completed</c> and the like): that user, whose subscriptions alone receive it.</summary>
    public string? OwnerId { get; set; }
}

/// <summary>The event types of the change feed and of webhooks.</summary>
public static class ChangeTypes
{
    public const string ContactCreated = "contact.created";
    public const string ContactUpdated = "contact.updated";
    public const string ContactDeleted = "contact.deleted";
    public const string CompanyCreated = "company.created";
    public const string CompanyUpdated = "company.updated";
    public const string CompanyDeleted = "company.deleted";

    /// <summary>The types of the change feed: one per committed write of a record.</summary>
    public static IReadOnlyList<string> Record { get; } =
        [ContactCreated, ContactUpdated, ContactDeleted, CompanyCreated, CompanyUpdated, CompanyDeleted];

    /// <summary>"contact.created" and the like.</summary>
    public static string Of(string entity, ChangeKind kind) => $"{entity}.{kind.ToString().ToLowerInvariant()}";
}

public enum ChangeKind
{
    Created,
    Updated,
    Deleted,
}

/// <summary>The one row that remembers how far the purge went, so an expired cursor is told apart from a gap.</summary>
public sealed class ChangeFeedHorizon
{
    public const int TheRow = 1;

    public int Id { get; set; }

    /// <summary>The highest sequence deleted by the retention.</summary>
    public long PurgedThrough { get; set; }
}
