using Connectra.Backend.Application.Changes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Infrastructure.Changes;

/// <summary>
/// Deletes change events past the retention, beside the job loops (docs/webhooks.md#retention). Every replica runs
/// it; two purges at once delete the same rows, which costs nothing but a wasted statement.
/// </summary>
internal sealed partial class ChangeFeedPurger(
    IServiceScopeFactory scopes, IOptionsMonitor<ChangeFeedOptions> options, TimeProvider clock, ILogger<ChangeFeedPurger> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var deleted = await scope.ServiceProvider.GetRequiredService<IChangeFeedStore>()
                    .PurgeAsync(clock.GetUtcNow() - settings.Retention, stoppingToken);
                if (deleted > 0)
                {
                    LogPurged(logger, deleted);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                LogPurgeFailed(logger, failure.GetType().Name);
            }

            await Task.Delay(settings.PurgeInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Change feed: {Count} events past the retention deleted")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change feed purge failed ({Failure}); trying again at the next interval")]
    private static partial void LogPurgeFailed(ILogger logger, string failure);
}
