using System.Text.Json.Serialization;
using Connectra.Backend.Infrastructure.Persistence;

namespace Connectra.Backend.Api.Health;

/// <summary>Liveness: the process runs and serves requests.</summary>
public sealed record LivenessResponse(string Status, string Environment);

/// <summary>PostgreSQL reachability and the backend's connection-pool figures.</summary>
public sealed record DatabaseHealthResponse(string Status, string Message, double LatencyMs, PoolStats Stats);

public sealed record PoolStats(
    long Size, long CheckedOut, long CheckedIn, long PendingRequests, double UsagePercentage, long Timeouts, string HealthStatus)
{
    internal static PoolStats From(PoolSnapshot pool, string status) =>
        new(pool.MaxSize, pool.Busy, pool.Idle, pool.PendingRequests, pool.UsagePercentage, pool.Timeouts, status);
}

/// <summary>
/// Connectra as seen from this replica. <c>connectra_status</c>: healthy, unhealthy (answered, but not "ok") or
/// unavailable (no answer). <c>connectra_error</c> is this probe's failure; <c>last_error</c> the most recent
/// failed probe, kept after recovery. The details (Connectra's URL, its own answer) go only to administrators or
/// where Health:ExposeDetails allows, and are absent otherwise.
/// </summary>
public sealed record ConnectraHealthResponse(
    string Status,
    bool ConnectraEnabled,
    string ConnectraStatus,
    double LatencyMs,
    string CircuitBreaker,
    string? ConnectraError,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset CheckedAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ConnectraBaseUrl { get; init; }

    /// <summary>Connectra's own health answer, as it sent it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Connectra.Client.Records.ConnectraHealth? ConnectraDetails { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? MonitoringAvailable { get; init; }
}

/// <summary>Bound from "Health".</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>
    /// Serve /health/vql's details to anyone. Off by default: they name internal hosts, and the route needs no token;
    /// an admin token gets them either way.
    /// </summary>
    public bool ExposeDetails { get; set; }
}

/// <summary>
/// The outbox to Connectra: how many writes are not yet readable there, how old the oldest is, how many of them
/// failed their last try and why the most recent did. <c>status</c>: healthy, degraded (delivery failing, or lag past
/// the alert threshold: docs/outbox.md#health) or unhealthy (not readable).
/// </summary>
public sealed record OutboxHealthResponse(
    string Status,
    string Message,
    long Pending,
    double OldestPendingAgeSeconds,
    DateTimeOffset? OldestPendingAt,
    string? LastError,
    long Failing,
    bool DispatcherEnabled,
    DateTimeOffset CheckedAt);
