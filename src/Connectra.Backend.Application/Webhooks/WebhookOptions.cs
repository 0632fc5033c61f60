using System.ComponentModel.DataAnnotations;

namespace Connectra.Backend.Application.Webhooks;

/// <summary>Webhook subscriptions and their delivery (section <c>Webhooks</c>; docs/webhooks.md#settings).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Accept <c>http://</c> targets besides <c>https://</c>: development and tests only.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Test-only: let targets resolve to loopback addresses (127.0.0.0/8, ::1), so a test can run its receiver on this
    /// machine. Every other refused range stays refused. Never set in a deployment.
    /// </summary>
    public bool AllowLoopbackForTesting { get; set; }

    /// <summary>Bound of one delivery attempt: connecting, sending and reading the answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Events one request carries at most.</summary>
    [Range(1, 1000)]
    public int MaxEventsPerRequest { get; set; } = 100;

    /// <summary>Bytes of a receiver's answer kept in the delivery log (the rest is not read).</summary>
    [Range(0, 65536)]
    public int MaxResponseBytes { get; set; } = 4096;

    /// <summary>The first retry waits up to this long; each further one doubles the bound (full jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most one retry waits, Retry-After included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long one request is retried before it is given up (a final failure).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "30.00:00:00")]
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(3);

    /// <summary>A subscription whose deliveries fail without a success for this long is disabled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "30.00:00:00")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long the secret a rotation replaced still signs, beside the new one.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Subscriptions one user may own.</summary>
    [Range(1, 10_000)]
    public int MaxPerUser { get; set; } = 25;

    /// <summary>Requests this replica sends at once (to different subscriptions; one subscription's go in order).</summary>
    [Range(1, 256)]
    public int WorkerConcurrency { get; set; } = 16;

    /// <summary>How often an idle replica looks for new events and due retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed request is this replica's before another may send it again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Run the delivery worker in this process (any number of replicas may; they share the work).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>The key ring that encrypts the stored secrets; shared by every replica (as the export folder is).</summary>
    public string KeyRingPath { get; set; } = ".local/keys";
}
