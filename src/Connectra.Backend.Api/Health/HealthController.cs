using Connectra.Backend.Api.Auth;
using Connectra.Backend.Api.Http;
using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Infrastructure.Persistence;
using Connectra.Client;
using Connectra.Client.Records;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Api.Health;

/// <summary>Health routes polled by ops and load balancers; no token needed, never cached.</summary>
[ApiController, AllowAnonymous, EnableRateLimiting(RateLimiting.Health), Produces("application/json")]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class HealthController(
    HealthCheckService healthChecks,
    ConnectraProbeHistory probeHistory,
    IHostEnvironment environment,
    IOptions<OutboxOptions> outbox,
    IOptions<HealthOptions> health,
    IOptions<ConnectraOptions> connectra,
    TimeProvider clock) : ControllerBase
{
    /// <summary>Liveness: answers while the process serves requests; checks no dependency.</summary>
    [HttpGet("/health"), HttpGet("/api/v1/health/"), DisableRateLimiting] // what load balancers poll; it costs nothing
    [ProducesResponseType<LivenessResponse>(StatusCodes.Status200OK)]
    public LivenessResponse Live() => new("healthy", environment.EnvironmentName.ToLowerInvariant());

    /// <summary>PostgreSQL round trip and pool figures; 503 when the database does not answer within 3 s.</summary>
    [HttpGet("/health/db")]
    [ProducesResponseType<DatabaseHealthResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<DatabaseHealthResponse>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<ActionResult<DatabaseHealthResponse>> Database(CancellationToken ct)
    {
        var entry = await RunAsync(DatabaseHealthCheck.Tag, DatabaseHealthCheck.Name, ct);
        var healthy = entry.Status == HealthStatus.Healthy;
        var status = healthy ? "healthy" : "unhealthy";
        var pool = entry.Data.GetValueOrDefault("pool") as PoolSnapshot ?? new PoolSnapshot(0, 0, 0, 0, 0);
        var message = healthy
            ? $"Pool usage: {pool.UsagePercentage:0.0}% ({pool.Busy}/{pool.MaxSize}), pending: {pool.PendingRequests}"
            : entry.Description ?? "PostgreSQL did not answer";
        return StatusCode(
            healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
            new DatabaseHealthResponse(status, message, LatencyOf(entry), PoolStats.From(pool, status)));
    }

    /// <summary>
    /// Probes Connectra (GET /health, bounded to a few seconds); 200 when healthy, 503 otherwise. With an admin token
    /// (or Health:ExposeDetails) the answer adds Connectra's URL and its own health answer.
    /// </summary>
    [HttpGet("/health/vql"), HttpGet("/api/v1/health/vql")]
    [ProducesResponseType<ConnectraHealthResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ConnectraHealthResponse>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<ActionResult<ConnectraHealthResponse>> Connectra(CancellationToken ct)
    {
        var entry = await RunAsync(ConnectraHealthCheck.Tag, ConnectraHealthCheck.Name, ct);
        var healthy = entry.Status == HealthStatus.Healthy;
        var response = new ConnectraHealthResponse(
            healthy ? "healthy" : "unhealthy",
            ConnectraEnabled: true,
            ConnectraStatus: entry.Data.GetValueOrDefault("connectra_status") as string ?? "unavailable",
            LatencyMs: LatencyOf(entry),
            CircuitBreaker: entry.Data.GetValueOrDefault("circuit_breaker") as string ?? "unknown",
            ConnectraError: healthy ? null : entry.Data.GetValueOrDefault("error") as string ?? entry.Description,
            probeHistory.LastError,
            probeHistory.LastErrorAt,
            clock.GetUtcNow());
        if (health.Value.ExposeDetails || User.IsInRole(AuthSetup.AdminRole))
        {
            response = response with
            {
                // Scheme, host, port and path only: user info or a query string could carry credentials.
                ConnectraBaseUrl = connectra.Value.BaseUrl?.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped),
                ConnectraDetails = entry.Data.GetValueOrDefault("details") as ConnectraHealth,
                MonitoringAvailable = true,
            };
        }

        return StatusCode(healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, response);
    }

    /// <summary>
    /// Outbox lag: undelivered writes, the age of the oldest, and whether delivery is failing; 200 while readable (status
    /// says degraded), 503 otherwise.
    /// </summary>
    [HttpGet("/health/outbox")]
    [ProducesResponseType<OutboxHealthResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<OutboxHealthResponse>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<ActionResult<OutboxHealthResponse>> Outbox(CancellationToken ct)
    {
        var entry = await RunAsync(OutboxHealthCheck.Tag, OutboxHealthCheck.Name, ct);
        var lag = entry.Data.GetValueOrDefault("lag") as OutboxLag;
        var age = entry.Data.GetValueOrDefault("age") as TimeSpan? ?? TimeSpan.Zero;
        var response = new OutboxHealthResponse(
            entry.Status switch { HealthStatus.Healthy => "healthy", HealthStatus.Degraded => "degraded", _ => "unhealthy" },
            entry.Description ?? "",
            lag?.Pending ?? 0,
            Math.Round(age.TotalSeconds, 1),
            lag?.OldestCreatedAt,
            lag?.LastError,
            lag?.Failing ?? 0,
            outbox.Value.DispatcherEnabled,
            clock.GetUtcNow());
        return StatusCode(entry.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK, response);
    }

    private static double LatencyOf(HealthReportEntry entry) =>
        entry.Data.GetValueOrDefault("latency_ms") as double? ?? entry.Duration.TotalMilliseconds;

    private async Task<HealthReportEntry> RunAsync(string tag, string name, CancellationToken ct)
    {
        var report = await healthChecks.CheckHealthAsync(registration => registration.Tags.Contains(tag), ct);
        return report.Entries[name];
    }
}
