using Connectra.Backend.Application.Upstream;
using Connectra.Client.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Application.Outbox;

/// <summary>
/// One round of delivery (docs/outbox.md): company refreshes expanded, then due companies, then due contacts (a
/// contact is only due once its company is delivered, since Connectra copies the company into it). Each record is
/// sent, read back after <see cref="OutboxOptions.VerifyDelay"/>, and only called delivered when Connectra holds it
/// as sent; until then it is sent again, with back-off, for as long as it takes. Nothing is ever dropped.
/// </summary>
public sealed partial class OutboxDispatcher(
    IOutboxStore store,
    ConnectraDelivery<ConnectraContact> contacts,
    ConnectraDelivery<ConnectraCompany> companies,
    IOptions<OutboxOptions> options,
    ConnectraRecovery recovery,
    OutboxMetrics metrics,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger)
{
    private OutboxOptions Options => options.Value;

    /// <summary>Returns how many records and refreshes it handled; 0 means there was nothing due.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var handled = await store.ExpandCompanyContactsAsync(Options.BatchSize, clock.GetUtcNow(), ct);
        handled += await DeliverAsync(companies, OutboxEntity.Company, ct);
        handled += await DeliverAsync(contacts, OutboxEntity.Contact, ct);
        return handled;
    }

    private async Task<int> DeliverAsync<T>(ConnectraDelivery<T> delivery, string entity, CancellationToken ct)
        where T : class, IConnectraRecord
    {
        await using var claim = await store.ClaimAsync(entity, Options.BatchSize, clock.GetUtcNow(), ct);
        if (claim.Records.Count == 0)
        {
            return 0;
        }

        var payloads = await PayloadsAsync(entity, claim.Records, ct);
        var toSend = claim.Records.Where(r => !r.Sent).ToList();
        var delivered = new List<PendingRecord>();
        var toCheck = claim.Records.Where(r => r.Sent).ToList();
        if (toCheck.Count > 0)
        {
            IReadOnlyDictionary<string, string> stored;
            try
            {
                stored = await delivery.HeldAsync([.. toCheck.Select(r => r.Uuid)], ct);
                recovery.DeliveryAnswered();
            }
            catch (Exception failure) when (failure is UpstreamUnavailableException or UpstreamRejectedException)
            {
                await FailAsync(claim, claim.Records, failure, entity, ct);
                await claim.CommitAsync(ct);
                return claim.Records.Count;
            }

            foreach (var record in toCheck)
            {
                var matches = stored.TryGetValue(record.Uuid, out var json) && DeliveryCheck.Matches(payloads[record.Uuid], json);
                (matches ? delivered : toSend).Add(record);
                if (!matches)
                {
                    LogNotHeld(logger, entity, record.Uuid, record.Attempts);
                }
            }
        }

        if (toSend.Count > 0)
        {
            await SendAsync(delivery, claim, toSend, payloads, entity, ct);
        }

        if (delivered.Count > 0)
        {
            await claim.DeliveredAsync(delivered, clock.GetUtcNow(), ct);
        }

        await claim.CommitAsync(ct);
        // Counted once committed: an uncommitted claim is simply read back again in a later round.
        metrics.Delivered(entity, delivered.Count);
        return claim.Records.Count;
    }

    /// <summary>The record each claim must leave Connectra holding: the newest message's, or the write side's as it is now.</summary>
    private async Task<Dictionary<string, string>> PayloadsAsync(string entity, IReadOnlyList<PendingRecord> records, CancellationToken ct)
    {
        var payloads = records.Where(r => r.Payload is not null).ToDictionary(r => r.Uuid, r => r.Payload!, StringComparer.Ordinal);
        var toBuild = records.Where(r => r.Payload is null).Select(r => r.Uuid).ToList();
        if (toBuild.Count > 0)
        {
            var built = await store.CurrentPayloadsAsync(entity, toBuild, ct);
            foreach (var uuid in toBuild)
            {
                // The API only soft-deletes, but a row removed by hand is gone all the same: Connectra gets a tombstone.
                payloads[uuid] = built.TryGetValue(uuid, out var json) ? json : ConnectraRecords.Tombstone(entity, uuid);
            }
        }

        return payloads;
    }

    private async Task SendAsync<T>(
        ConnectraDelivery<T> delivery, IOutboxClaim claim, List<PendingRecord> toSend, Dictionary<string, string> payloads, string entity, CancellationToken ct)
        where T : class, IConnectraRecord
    {
        try
        {
            await delivery.SendAsync([.. toSend.Select(r => payloads[r.Uuid])], ct);
            recovery.DeliveryAnswered();
            await SentAsync(claim, toSend, ct);
        }
        catch (UpstreamRejectedException) when (toSend.Count > 1)
        {
            // Connectra refuses the batch for something in it: the records go one by one, so one it cannot take does
            // not hold back the rest.
            foreach (var record in toSend)
            {
                await SendAsync(delivery, claim, [record], payloads, entity, ct);
            }
        }
        catch (Exception failure) when (failure is UpstreamUnavailableException or UpstreamRejectedException)
        {
            await FailAsync(claim, toSend, failure, entity, ct);
        }
    }

    private Task SentAsync(IOutboxClaim claim, IReadOnlyCollection<PendingRecord> records, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // A record sent again because Connectra did not hold it waits longer each time before the next look. One sent
        // for the first time waits only for the index: tries that failed while Connectra was away say nothing about
        // how long it takes to show a write, and a company read back late holds back every contact waiting for it.
        var wait = records.Max(r => r.Sent ? Options.Backoff(r.Attempts) : TimeSpan.Zero);
        return claim.SentAsync(records, now, now + (wait > Options.VerifyDelay ? wait : Options.VerifyDelay), ct);
    }

    /// <summary>
    /// Connectra unavailable: a short back-off, and the records wait for Connectra, so its return makes them due at once.
    /// Connectra refusing: the record itself is the problem, and it backs off for as long as the refusals go on.
    /// </summary>
    private Task FailAsync(IOutboxClaim claim, IReadOnlyCollection<PendingRecord> records, Exception failure, string entity, CancellationToken ct)
    {
        var attempts = records.Max(r => r.Attempts) + 1;
        var unavailable = failure is UpstreamUnavailableException;
        if (unavailable)
        {
            recovery.DeliveryFailed();
        }

        LogNotSent(logger, records.Count, entity, ReasonOf(failure), attempts);
        metrics.Failed(entity, records.Count);
        var wait = unavailable ? Options.OutageBackoff(attempts) : Options.Backoff(attempts);
        return claim.FailedAsync(records, ReasonOf(failure), clock.GetUtcNow() + wait, unavailable, ct);
    }

    private static string ReasonOf(Exception failure) => failure switch
    {
        UpstreamUnavailableException unavailable => unavailable.Reason,
        UpstreamRejectedException rejected => rejected.Reason,
        _ => failure.GetType().Name,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} {Entity} records not delivered to Connectra ({Reason}); try {Attempt} follows after a back-off")]
    private static partial void LogNotSent(ILogger logger, int count, string entity, string reason, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connectra does not hold {Entity} {Uuid} as sent (after {Attempts} sends); sending it again")]
    private static partial void LogNotHeld(ILogger logger, string entity, string uuid, int attempts);
}
