using Connectra.Backend.Application.Background;

namespace Connectra.Backend.Application.Outbox;

/// <summary>
/// One record's undelivered messages, taken together: only the newest state matters, since every message carries the
/// whole record (docs/outbox.md#coalescing).
/// </summary>
/// <param name="Uuid">The record.</param>
/// <param name="MessageIds">Every undelivered message of the record this claim holds, oldest first.</param>
/// <param name="Payload">The newest message's record; null when it is to be built from the write side now.</param>
/// <param name="Sent">Every one of the messages was sent already; what is left is to read the record back.</param>
/// <param name="Attempts">The most sends any of them has had.</param>
public sealed record PendingRecord(string Uuid, IReadOnlyList<long> MessageIds, string? Payload, bool Sent, int Attempts);

/// <summary>
/// Records claimed by one dispatcher: no other replica can take them until <see cref="CommitAsync"/> or disposal (a
/// crashed dispatcher's claim simply lapses with its connection). Nothing is recorded unless committed.
/// </summary>
public interface IOutboxClaim : IAsyncDisposable
{
    IReadOnlyList<PendingRecord> Records { get; }

    /// <summary>Sent; read them back at <paramref name="checkAt"/>.</summary>
    Task SentAsync(IReadOnlyCollection<PendingRecord> records, DateTimeOffset now, DateTimeOffset checkAt, CancellationToken ct);

    /// <summary>Read back as sent: done.</summary>
    Task DeliveredAsync(IReadOnlyCollection<PendingRecord> records, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Not sent (or not readable): try again at <paramref name="retryAt"/>, keeping the reason; sooner, when
    /// <paramref name="waitingForConnectra"/> and Connectra is seen back first.
    /// </summary>
    Task FailedAsync(IReadOnlyCollection<PendingRecord> records, string reason, DateTimeOffset retryAt, bool waitingForConnectra, CancellationToken ct);

    Task CommitAsync(CancellationToken ct);
}

/// <summary>How much the outbox is behind: what /health/outbox and the lag alert report.</summary>
/// <param name="Pending">Undelivered messages.</param>
/// <param name="OldestCreatedAt">When the oldest of them was written.</param>
/// <param name="LastError">The reason of the most recent failed try among them.</param>
/// <param name="Failing">Those whose last try failed: Connectra was unavailable, or refused them.</param>
public sealed record OutboxLag(long Pending, DateTimeOffset? OldestCreatedAt, string? LastError, long Failing);

/// <summary>The outbox table (PostgreSQL <c>connectra_outbox</c>), shared by every replica.</summary>
public interface IOutboxStore
{
    /// <summary>
    /// Up to <paramref name="max"/> records of <paramref name="entity"/> that are due: whose oldest undelivered message
    /// is due and not held by another dispatcher, and (contacts) whose company has nothing undelivered.
    /// </summary>
    Task<IOutboxClaim> ClaimAsync(string entity, int max, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Turns due "send this company's contacts again" messages into one contact message each (built when sent), once
    /// the company itself is delivered. Returns how many messages it expanded.
    /// </summary>
    Task<int> ExpandCompanyContactsAsync(int max, DateTimeOffset now, CancellationToken ct);

    /// <summary>The records as Connectra must hold them now, built from the write side (a tombstone for a deleted one).</summary>
    Task<IReadOnlyDictionary<string, string>> CurrentPayloadsAsync(string entity, IReadOnlyList<string> uuids, CancellationToken ct);

    Task<OutboxLag> LagAsync(CancellationToken ct);

    /// <summary>
    /// Connectra is back: every undelivered message waiting for it is due now, whichever replica takes it. Messages a
    /// dispatcher holds right now are left to that dispatcher. Returns how many it made due.
    /// </summary>
    Task<int> ReleaseWaitingAsync(DateTimeOffset now, CancellationToken ct);

    /// <summary>Deletes delivered messages older than <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeDeliveredAsync(DateTimeOffset before, CancellationToken ct);
}

/// <summary>Wakes this replica's dispatcher when a write commits, so a write is sent at once rather than at the next poll.</summary>
public sealed class OutboxSignal : WorkSignal;
