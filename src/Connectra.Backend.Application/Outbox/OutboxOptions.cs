using System.ComponentModel.DataAnnotations;

namespace Connectra.Backend.Application.Outbox;

/// <summary>The dispatcher that carries writes to Connectra (section <c>Outbox</c>; docs/outbox.md#settings).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Off only for hosts that must not deliver (tests that look at the outbox itself, command-line verbs).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>Dispatch loops per replica; claims keep them off each other's records.</summary>
    [Range(1, 8)]
    public int Concurrency { get; set; } = 2;

    /// <summary>How often an idle dispatcher looks for work written by other replicas.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long after a send the dispatcher reads the records back. Connectra's index shows a write only after its
    /// refresh (about a second for Elasticsearch); reading earlier would resend what is merely not visible yet.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan VerifyDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a loop that has caught up waits before its next round, so that writes arriving one at a time still go
    /// out in batches. It adds at most this much to the lag.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Records per batch upsert; Connectra takes at most 100.</summary>
    [Range(1, 100)]
    public int BatchSize { get; set; } = 100;

    /// <summary>The longest wait between two tries of a record Connectra refuses or keeps losing.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest wait between two tries of a record while Connectra is unavailable. Short, because a record must not
    /// sit out its back-off once Connectra is back; the recovery probe usually makes it due sooner still.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan MaxOutageBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a replica whose deliveries fail because Connectra is unavailable asks Connectra's health route
    /// whether it is back. Each probe spends a token of Connectra's global rate limit.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RecoveryProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long delivered messages stay for inspection before they are purged.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan RetainDelivered { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Above this age of the oldest undelivered message, /health/outbox says degraded.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LagAlert { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The wait before try number <paramref name="attempts"/> + 1 of a record Connectra refused or did not hold:
    /// doubling from half a second, capped at <see cref="MaxBackoff"/>, with jitter.
    /// </summary>
    public TimeSpan Backoff(int attempts) => Backoff(attempts, MaxBackoff);

    /// <summary>The same wait after Connectra was unavailable, capped at <see cref="MaxOutageBackoff"/>.</summary>
    public TimeSpan OutageBackoff(int attempts) => Backoff(attempts, MaxOutageBackoff);

    private static TimeSpan Backoff(int attempts, TimeSpan cap)
    {
        if (attempts <= 0)
        {
            return TimeSpan.Zero;
        }

        var doubled = TimeSpan.FromMilliseconds(500 * Math.Pow(2, Math.Min(attempts - 1, 16)));
        var capped = doubled < cap ? doubled : cap;
        // Replicas that failed together should not all come back in the same millisecond.
        return capped * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }
}
