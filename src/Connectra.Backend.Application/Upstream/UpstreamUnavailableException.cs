using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace Connectra.Backend.Application.Upstream;

/// <summary>
/// Connectra could not serve a read: unreachable, timed out, circuit open, 5xx, 429, an answer we cannot parse, or
/// a key it refuses. Clients get 503 with Retry-After; nothing about Connectra's internals reaches them.
/// </summary>
public sealed class UpstreamUnavailableException(string detail, string reason, TimeSpan? retryAfter, Exception? inner)
    : Exception(detail, inner)
{
    /// <summary>A short, secret-free description of what went wrong, for logs and the health probe.</summary>
    public string Reason { get; } = reason;

    /// <summary>How long the caller should wait, when the failure tells us (an open circuit knows its break).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Connectra answered 4xx to a query we built: our bug (or a Connectra build we do not support), not the caller's,
/// so it becomes 502 Bad Gateway.
/// </summary>
public sealed class UpstreamRejectedException(string detail, string reason, Exception inner) : Exception(detail, inner)
{
    public string Reason { get; } = reason;
}

public static class UpstreamFailure
{
    /// <summary>
    /// Classifies a Refit failure. Refit lets a cancelled caller's OperationCanceledException through untouched, so
    /// an aborted request never looks like an outage.
    /// </summary>
    /// <param name="detail">What the client reads, e.g. "Contact service temporarily unavailable".</param>
    /// <param name="failure">The Refit exception.</param>
    /// <param name="breakDuration">The circuit breaker's break, reported as Retry-After when the circuit is open.</param>
    public static Exception From(string detail, ApiExceptionBase failure, TimeSpan? breakDuration = null) => failure switch
    {
        ApiException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } api =>
            new UpstreamUnavailableException(detail, $"Connectra refused our API key (HTTP {(int)api.StatusCode})", null, failure),
        ApiException { StatusCode: HttpStatusCode.TooManyRequests } =>
            new UpstreamUnavailableException(detail, "Connectra rate limit exceeded (HTTP 429)", null, failure),
        ApiException api when (int)api.StatusCode is >= 400 and < 500 =>
            new UpstreamRejectedException(
                "The search service rejected the query the backend built.", $"Connectra answered HTTP {(int)api.StatusCode}", failure),
        ApiException { StatusCode: >= HttpStatusCode.OK and < HttpStatusCode.Ambiguous } =>
            new UpstreamUnavailableException(detail, "Connectra sent a response body that could not be read", null, failure),
        ApiException api => new UpstreamUnavailableException(detail, $"Connectra answered HTTP {(int)api.StatusCode}", null, failure),
        _ => FromTransport(detail, failure, breakDuration),
    };

    private static UpstreamUnavailableException FromTransport(string detail, ApiExceptionBase failure, TimeSpan? breakDuration) =>
        failure.InnerException switch
        {
            BrokenCircuitException => new UpstreamUnavailableException(
                detail, "circuit breaker open after repeated Connectra failures", breakDuration, failure),
            TimeoutRejectedException => new UpstreamUnavailableException(detail, "Connectra did not answer in time", null, failure),
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } =>
                new UpstreamUnavailableException(detail, "Connectra refused or dropped the connection", null, failure),
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } =>
                new UpstreamUnavailableException(detail, "Connectra's host name could not be resolved", null, failure),
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } =>
                new UpstreamUnavailableException(detail, "Connectra closed the connection mid-response", null, failure),
            HttpRequestException => new UpstreamUnavailableException(detail, "Connectra could not be reached", null, failure),
            _ => new UpstreamUnavailableException(detail, "Connectra request failed before an answer", null, failure),
        };
}
