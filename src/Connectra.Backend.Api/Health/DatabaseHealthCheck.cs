using System.Diagnostics;
using Connectra.Backend.Infrastructure.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Connectra.Backend.Api.Health;

/// <summary>A real <c>SELECT 1</c> through the application's own pool, bounded to a few seconds.</summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource, NpgsqlPoolMetrics pool) : IHealthCheck
{
    public const string Name = "database";
    public const string Tag = "db";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(Timeout);
        var started = Stopwatch.GetTimestamp();
        string? error = null;
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(bounded.Token);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            error = e is OperationCanceledException
                ? $"no answer within {Timeout.TotalSeconds:0} s"
                : "PostgreSQL could not be reached or refused the connection";
        }

        var data = new Dictionary<string, object>
        {
            ["latency_ms"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1),
            ["pool"] = pool.Sample(),
        };
        return error is null ? HealthCheckResult.Healthy("PostgreSQL answered", data) : HealthCheckResult.Unhealthy(error, data: data);
    }
}
