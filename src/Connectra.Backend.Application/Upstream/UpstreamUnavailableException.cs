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
    public const string Detail = "The search service rejected the query the backend built.";

    public string Reason { get; } = reason;
}
