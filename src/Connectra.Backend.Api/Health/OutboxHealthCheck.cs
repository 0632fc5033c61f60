using Connectra.Backend.Application.Outbox;
using Connectra.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Connectra.Backend.Api.Health;

/// <summary>
/// How far Connectra is behind the writes, and whether delivery is failing (docs/outbox.md#health). Degraded as
/// <see cref="OutboxHealth"/> decides; unhealthy only when the outbox cannot be read at all.
/// </summary>
internal sealed class OutboxHealthCheck(
    IOutboxStore outbox, ConnectraCircuitBreaker breaker, IOptions<OutboxOptions> options, TimeProvider clock) : IHealthCheck
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

        var health = OutboxHealth.Assess(lag, clock.GetUtcNow(), breaker.IsBroken, options.Value.LagAlert);
        var data = new Dictionary<string, object> { ["lag"] = lag, ["age"] = health.Age };
        return health.Degraded
            ? HealthCheckResult.Degraded(health.Description, data: data)
            : HealthCheckResult.Healthy(health.Description, data);
    }
}
