using System.Diagnostics;
using Connectra.Client;
using Connectra.Client.Records;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Refit;

namespace Connectra.Backend.Api.Health;

/// <summary>Remembers the last failed probe so ops can see what broke even after it recovered.</summary>
public sealed class ConnectraProbeHistory
{
    public string? LastError { get; private set; }

    public DateTimeOffset? LastErrorAt { get; private set; }

    public void Failed(string error, DateTimeOffset at) => (LastError, LastErrorAt) = (error, at);
}

/// <summary>
/// A real round trip to Connectra's <c>GET /health</c>, bounded by Connectra:HealthProbeTimeout, on a client without
/// retries or breaker (the breaker's state is reported beside it).
/// Healthy: 200 with status "ok" (or "healthy") while the data pipeline's breaker is not open; unhealthy: Connectra
/// answered something else; unavailable: no answer (refused, timed out). Connectra answering while the breaker in
/// front of the data requests is open (so they all fail at once) is reported unhealthy too, with the breaker as the
/// error.
/// </summary>
internal sealed class ConnectraHealthCheck(
    [FromKeyedServices(ConnectraClientRegistration.HealthProbeKey)] IConnectraApi connectra,
    ConnectraCircuitBreaker breaker,
    ConnectraProbeHistory history,
    IOptions<ConnectraOptions> options,
    TimeProvider clock) : IHealthCheck
{
    public const string Name = "connectra";
    public const string Tag = "vql";

    private static string Reason(Exception failure) => ConnectraFailure.From(failure)?.Reason ?? failure.Message;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        var timeout = options.Value.HealthProbeTimeout;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        string status;
        string? error;
        ConnectraHealth? answer = null;
        try
        {
            using var response = await connectra.GetHealthAsync(bounded.Token);
            answer = response.IsSuccessStatusCode && response.Error is null ? response.Content : null;
            (status, error) = response switch
            {
                // Refit may hand back a transport failure inside the response instead of throwing it.
                { Error: ApiRequestException failure } => ("unavailable", Reason(failure)),
                { IsSuccessStatusCode: true, Error: null, Content.Status: "ok" or "healthy" } => ("healthy", null),
                { IsSuccessStatusCode: true, Error: null } => ("unhealthy", $"Connectra reported status '{response.Content?.Status}'"),
                { IsSuccessStatusCode: true } => ("unhealthy", "Connectra's health answer could not be read"),
                _ => ("unhealthy", $"Connectra answered HTTP {(int?)response.StatusCode}"),
            };
        }
        catch (ApiExceptionBase failure)
        {
            (status, error) = ("unavailable", Reason(failure));
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            (status, error) = ("unavailable", $"no answer within {timeout.TotalMilliseconds:0} ms");
        }

        var latency = Stopwatch.GetElapsedTime(started);
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
            ["connectra_status"] = status,
            ["latency_ms"] = Math.Round(latency.TotalMilliseconds, 1),
            ["circuit_breaker"] = circuit,
        };
        if (error is not null)
        {
            data["error"] = error;
        }

        if (answer is not null)
        {
            data["details"] = answer;
        }

        return error is null
            ? HealthCheckResult.Healthy("Connectra answered", data)
            : HealthCheckResult.Unhealthy(error, data: data);
    }
}
