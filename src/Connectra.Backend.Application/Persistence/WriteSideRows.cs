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
