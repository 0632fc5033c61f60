using System.Diagnostics;
using Connectra.Client;

namespace Connectra.Backend.Application.Upstream;

/// <summary>Runs one Connectra call and turns its failures into the two upstream exceptions the API maps.</summary>
public sealed class ConnectraCall(ConnectraCircuitBreaker breaker, ConnectraMetrics metrics)
{
    /// <param name="unavailableDetail">What the client reads on a 503, e.g. "Contact service temporarily unavailable".</param>
    /// <param name="call">The Connectra call.</param>
    /// <param name="ct">Cancels the call; a cancelled caller is never reported as an outage.</param>
    public async Task<T> RunAsync<T>(string unavailableDetail, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var answer = await call(ct);
            metrics.Succeeded(Stopwatch.GetElapsedTime(started));
            return answer;
        }
        catch (Exception exception) when (ConnectraFailure.From(exception, breaker.BreakDuration) is { } failure)
        {
            metrics.Failed(Stopwatch.GetElapsedTime(started), failure);
            throw failure.Kind == ConnectraFailureKind.Rejected
                ? new UpstreamRejectedException(UpstreamRejectedException.Detail, failure.Reason, exception)
                : new UpstreamUnavailableException(unavailableDetail, failure.Reason, failure.RetryAfter, exception);
        }
    }
}
