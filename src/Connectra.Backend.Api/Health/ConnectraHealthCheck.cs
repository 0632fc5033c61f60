using Connectra.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Connectra.Backend.Api.Health;

/// <summary>Remembers the last failed probe so ops can see what broke even after it recovered.</summary>
public sealed class ConnectraProbeHistory
{
    public string? LastError { get; private set; }

    public DateTimeOffset? LastErrorAt { get; private set; }

    public void Failed(string error, DateTimeOffset at) => (LastError, LastErrorAt) = (error, at);
}

/// <summary>
/// Connectra's <c>GET /health</c> through <see cref="ConnectraHealthProbe"/>, with the state of the breaker in front of
/// the data requests reported beside it. Healthy: Connectra answered healthy while the breaker is not open. Connectra
/// answering while the breaker is open (so every data request fails at once) is reported unhealthy too, with the
/// breaker as the error.
/// </summary>
internal sealed class ConnectraHealthCheck(
    ConnectraHealthProbe probe,
    ConnectraCircuitBreaker breaker,
    ConnectraProbeHistory history,
    TimeProvider clock) : IHealthCheck
{
    public const string Name = "connectra";
    public const string Tag = "vql";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        var result = await probe.ProbeAsync(ct);
        var error = result.Error;
        var circuit = breaker.State;
        if (error is null && circuit is "open" or "isolated")
        {
            // Connectra may answer the probe, yet every data request of this replica fails at once: not healthy.
            error = $"the circuit breaker is {circuit}: data requests fail at once until it closes";
        }

        if (error is not null)
        {
            history.Failed(error, clock.GetUtcNow());
        }

        var data = new Dictionary<string, object>
        {
            ["connectra_status"] = result.Status,
            ["latency_ms"] = Math.Round(result.Latency.TotalMilliseconds, 1),
            ["circuit_breaker"] = circuit,
        };
        if (error is not null)
        {
            data["error"] = error;
        }

        if (result.Answer is not null)
        {
            data["details"] = result.Answer;
        }

        return error is null
            ? HealthCheckResult.Healthy("Connectra answered", data)
            : HealthCheckResult.Unhealthy(error, data: data);
    }
}
