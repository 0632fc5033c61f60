using Connectra.Backend.Application.Outbox;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Connectra.Backend.Api.Health;

/// <summary>
/// How far Connectra is behind the writes (docs/outbox.md#lag): undelivered messages and the age of the oldest.
/// Degraded past Outbox:LagAlert; unhealthy only when the outbox cannot be read at all.
/// </summary>
internal sealed class OutboxHealthCheck(IOutboxStore outbox, IOptions<OutboxOptions> options, TimeProvider clock) : IHealthCheck
{
    public const string Name = "outbox";
    public const string Tag = "outbox";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(Timeout);
        OutboxLag lag;
        try
        {
            lag = await outbox.LagAsync(bounded.Token);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return HealthCheckResult.Unhealthy("the outbox could not be read: PostgreSQL did not answer");
        }

        var age = lag.OldestCreatedAt is { } oldest ? clock.GetUtcNow() - oldest : TimeSpan.Zero;
        var data = new Dictionary<string, object> { ["lag"] = lag, ["age"] = age };
        return age >= options.Value.LagAlert
            ? HealthCheckResult.Degraded($"the oldest undelivered write is {age.TotalSeconds:0} s old", data: data)
            : HealthCheckResult.Healthy("Connectra is keeping up with the writes", data);
    }
}
