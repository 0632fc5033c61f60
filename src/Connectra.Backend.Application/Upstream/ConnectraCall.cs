using Connectra.Client;
using Refit;

namespace Connectra.Backend.Application.Upstream;

/// <summary>Runs one Connectra call and turns its failures into the two upstream exceptions the API maps.</summary>
public sealed class ConnectraCall(ConnectraCircuitBreaker breaker)
{
    public async Task<T> RunAsync<T>(string unavailableDetail, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call(ct);
        }
        catch (ApiExceptionBase failure)
        {
            throw UpstreamFailure.From(unavailableDetail, failure, breaker.BreakDuration);
        }
    }
}
