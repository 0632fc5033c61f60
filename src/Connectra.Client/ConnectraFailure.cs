using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace Connectra.Client;

public enum ConnectraFailureKind
{
    /// <summary>
    /// Connectra could not serve the call: unreachable, timed out, circuit open, 5xx, 429, an answer that breaks the
    /// contract, or a key it refuses. Worth retrying later.
    /// </summary>
    Unavailable,

    /// <summary>Connectra answered 4xx to a request we built: a bug on our side, not something waiting cures.</summary>
    Rejected,
}

/// <summary>
/// Why a Connectra call failed, sorted out of Refit's and Polly's exceptions so that callers need neither.
/// <see cref="Reason"/> is short and secret-free: it goes to logs and to the health report, never Connectra's body.
/// </summary>
public sealed record ConnectraFailure(ConnectraFailureKind Kind, string Reason, TimeSpan? RetryAfter)
{
    /// <summary>
    /// Connectra answered, but not as its contract says. Callers treat it as unavailable; operators want it apart,
    /// since waiting does not cure it (an upgraded Connectra, or a bug on either side).
    /// </summary>
    public bool BrokeContract { get; init; }

    /// <summary>
    /// The failure <paramref name="exception"/> stands for, or null when it is no Connectra failure at all. Refit lets
    /// a cancelled caller's OperationCanceledException through untouched, so an aborted request never looks like an
    /// outage.
    /// </summary>
    /// <param name="exception">What the Refit client threw.</param>
    /// <param name="breakDuration">The circuit breaker's break, reported as the wait when the circuit is open.</param>
    public static ConnectraFailure? From(Exception exception, TimeSpan? breakDuration = null) => exception switch
    {
        ApiException api => FromAnswer(api),
        ApiRequestException { InnerException: ConnectraContractException breach } => Breach(breach.Message),
        ApiRequestException request => FromTransport(request.InnerException, breakDuration),
        ConnectraContractException breach => Breach(breach.Message),
        _ => null,
    };

    private static ConnectraFailure FromAnswer(ApiException api) => (int)api.StatusCode switch
    {
        var status when ConnectraErrors.IsCausedByRequest(status, api.Content) =>
            new(ConnectraFailureKind.Rejected, "Connectra refused the query itself (HTTP 500 caused by the request)", null),
        401 or 403 => Unavailable($"Connectra refused our API key (HTTP {(int)api.StatusCode})"),
        429 => Unavailable("Connectra rate limit exceeded (HTTP 429)"),
        >= 400 and < 500 => new(ConnectraFailureKind.Rejected, $"Connectra answered HTTP {(int)api.StatusCode}", null),
        >= 200 and < 300 => Breach("Connectra sent a response body that could not be read"),
        var status => Unavailable($"Connectra answered HTTP {status}"),
    };

    private static ConnectraFailure FromTransport(Exception? cause, TimeSpan? breakDuration) => cause switch
    {
        BrokenCircuitException => new(
            ConnectraFailureKind.Unavailable, "circuit breaker open after repeated Connectra failures", breakDuration),
        TimeoutRejectedException => Unavailable("Connectra did not answer in time"),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } =>
            Unavailable("Connectra refused or dropped the connection"),
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } =>
            Unavailable("Connectra's host name could not be resolved"),
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } =>
            Unavailable("Connectra closed the connection mid-response"),
        HttpRequestException => Unavailable("Connectra could not be reached"),
        _ => Unavailable("Connectra request failed before an answer"),
    };

    private static ConnectraFailure Unavailable(string reason) => new(ConnectraFailureKind.Unavailable, reason, null);

    private static ConnectraFailure Breach(string reason) => Unavailable(reason) with { BrokeContract = true };
}
