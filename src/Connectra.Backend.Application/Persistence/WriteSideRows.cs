namespace Connectra.Backend.Application.Persistence;

/// <summary>A write-side row identified by its uuid (the natural key Connectra uses) beside its surrogate id.</summary>
public interface IUuidRow
{
    long Id { get; set; }

    string Uuid { get; }
}

/// <summary>A main write-side row: it keeps its creation time across overwrites and records the last one.</summary>
public interface ITimestampedRow : IUuidRow
{
    DateTimeOffset CreatedAt { get; set; }

    DateTimeOffset? UpdatedAt { get; set; }
}

/// <summary>
/// A contact or company row the API writes: a version for optimistic concurrency (the ETag), and a deletion time,
/// since rows are only ever soft-deleted.
/// </summary>
public interface IWritableRow : ITimestampedRow
{
    long Version { get; set; }

    DateTimeOffset? DeletedAt { get; set; }
}
