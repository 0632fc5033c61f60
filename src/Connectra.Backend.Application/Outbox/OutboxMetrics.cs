using System.Diagnostics.Metrics;

namespace Connectra.Backend.Application.Outbox;

/// <summary>
/// Delivery counters, kept by the dispatcher, and the lag as last sampled. The lag is read from a snapshot that a
/// sampler refreshes on its own schedule, so however often Prometheus scrapes, the outbox table is not counted more.
/// </summary>
public sealed class OutboxMetrics
{
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly TimeProvider _clock;
    private OutboxLag? _lag;

    public OutboxMetrics(IMeterFactory meters, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _clock = clock;
        var meter = meters.Create(BackendMeter.Name);
        _delivered = meter.CreateCounter<long>(
            "outbox.records.delivered", "{record}", "Records Connectra was seen to hold as sent, by entity.");
        _failed = meter.CreateCounter<long>(
            "outbox.records.failed", "{record}", "Records whose send or read-back failed and wait for another try, by entity.");
        // No sample yet means no measurement: a 0 before the first read would look like an empty outbox.
        meter.CreateObservableGauge(
            "outbox.pending",
            () => _lag is { } lag ? [new Measurement<long>(lag.Pending)] : Array.Empty<Measurement<long>>(),
            "{message}",
            "Undelivered outbox messages, as last sampled (the same for every replica).");
        meter.CreateObservableGauge(
            "outbox.oldest_pending.age",
            () => _lag is { } lag ? [new Measurement<double>(AgeOf(lag).TotalSeconds)] : Array.Empty<Measurement<double>>(),
            "s",
            "Age of the oldest undelivered message now, as of the last sample; 0 when nothing is pending.");
    }

    public void Delivered(string entity, int records) =>
        _delivered.Add(records, new KeyValuePair<string, object?>("entity", entity));

    public void Failed(string entity, int records) =>
        _failed.Add(records, new KeyValuePair<string, object?>("entity", entity));

    /// <summary>Takes a fresh reading of the lag.</summary>
    public void Sampled(OutboxLag lag) => _lag = lag;

    private TimeSpan AgeOf(OutboxLag lag) =>
        lag.OldestCreatedAt is { } oldest && _clock.GetUtcNow() - oldest is { Ticks: > 0 } age ? age : TimeSpan.Zero;
}
