using System.Diagnostics;
using Connectra.Client.Records;
using Microsoft.Extensions.Options;
using Refit;

namespace Connectra.Client;

/// <summary>What Connectra's <c>GET /health</c> said, and how long it took to say it.</summary>
/// <param name="Status">"healthy": 200 with status "ok" (or "healthy"); "unhealthy": it answered something else;
/// "unavailable": no answer (refused, timed out).</param>
/// <param name="Error">Why it is not healthy, short and secret-free; null when healthy.</param>
/// <param name="Answer">Connectra's own health answer, when it sent one that could be read.</param>
/// <param name="Latency">The round trip.</param>
public sealed record ConnectraProbeResult(string Status, string? Error, ConnectraHealth? Answer, TimeSpan Latency)
{
    /// <summary>Connectra answered its health route as healthy.</summary>
    public bool Answered => Error is null;
}

/// <summary>
/// One round trip to Connectra's <c>GET /health</c>, bounded by Connectra:HealthProbeTimeout, on the client without
/// retries or breaker: it reports what Connectra does right now. Each call spends a token of Connectra's global rate
/// limit (docs/connectra.md#x12), so callers probe every few seconds at most.
/// </summary>
/// <param name="connectra">The client registered under <see cref="ConnectraClientRegistration.HealthProbeKey"/>.</param>
/// <param name="options">For the probe's bound.</param>
public sealed class ConnectraHealthProbe(IConnectraApi connectra, IOptions<ConnectraOptions> options)
{
    public async Task<ConnectraProbeResult> ProbeAsync(CancellationToken ct)
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

        return new ConnectraProbeResult(status, error, answer, Stopwatch.GetElapsedTime(started));
    }

    private static string Reason(Exception failure) => ConnectraFailure.From(failure)?.Reason ?? failure.Message;
}
