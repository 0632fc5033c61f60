namespace Connectra.Backend.Application;

/// <summary>
/// Every slot for a costly kind of work is taken; the API answers 503 with <see cref="Exception.Message"/> and
/// <c>Retry-After</c>. The request itself is fine: the same request a moment later may succeed.
/// </summary>
public sealed class ServerBusyException(string detail, TimeSpan retryAfter) : Exception(detail)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
