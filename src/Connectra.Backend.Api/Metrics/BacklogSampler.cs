using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Outbox;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Api.Metrics;

/// <summary>
/// Reads the outbox lag and the export queue every <see cref="MetricsOptions.SampleInterval"/> for the gauges, so their
/// cost is two indexed queries per interval per replica, however often (or however many) scrapers come.
/// </summary>
internal sealed partial class BacklogSampler(
    IServiceScopeFactory scopes,
    OutboxMetrics outbox,
    ExportMetrics exports,
    IOptions<MetricsOptions> options,
    TimeProvider clock,
    ILogger<BacklogSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                outbox.Sampled(await scope.ServiceProvider.GetRequiredService<IOutboxStore>().LagAsync(stoppingToken));
                exports.Sampled(await scope.ServiceProvider.GetRequiredService<IExportRepository>().BacklogAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                // The gauges keep their last reading; /health/db says whether the database is away.
                LogSampleFailed(logger, failure.GetType().Name);
            }

            await Task.Delay(options.Value.SampleInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sample the outbox and export backlog for metrics ({Failure})")]
    private static partial void LogSampleFailed(ILogger logger, string failure);
}
