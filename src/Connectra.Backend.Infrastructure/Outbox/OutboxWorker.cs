using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Infrastructure.Outbox;

/// <summary>
/// Delivers the outbox to Connectra from this replica (docs/outbox.md): rounds back to back while there is work,
/// then waits for a write on this replica or the next poll. Several loops run side by side (Outbox:Concurrency);
/// claims keep them, and other replicas, off each other's records. A lost database or Connectra is waited out.
/// </summary>
internal sealed partial class OutboxWorker(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    private OutboxOptions Options => options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll([.. Enumerable.Range(0, Options.Concurrency).Select(_ => DispatchAsync(stoppingToken)), PurgeAsync(stoppingToken)]);

    private async Task DispatchAsync(CancellationToken ct)
    {
        await Task.Yield();
        while (!ct.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                handled = await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().RunOnceAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                // The database is away, most likely; the claim's rows were never committed, so they are simply due again.
                // An outage says all it has to say in its type; a stack trace a second for minutes would drown the log.
                LogRoundFailed(logger, DatabaseFailures.IsUnavailable(failure) ? null : failure, failure.GetType().Name);
                await SleepAsync(Options.PollInterval * 8, ct);
                continue;
            }

            if (handled == 0)
            {
                await WaitForWorkAsync(ct);
            }
            else if (handled < Options.BatchSize)
            {
                // A part batch means the loop has caught up. Going again at once would send writes one or two at a
                // time, each round paying its queries and calls for almost nothing; a short pause lets a batch gather.
                await SleepAsync(Options.BatchWindow, ct);
            }
        }
    }

    private async Task WaitForWorkAsync(CancellationToken ct)
    {
        try
        {
            await signal.WaitAsync(Options.PollInterval, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PurgeAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var purged = await scope.ServiceProvider.GetRequiredService<IOutboxStore>()
                    .PurgeDeliveredAsync(clock.GetUtcNow() - Options.RetainDelivered, ct);
                if (purged > 0)
                {
                    LogPurged(logger, purged);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                LogPurgeFailed(logger, failure.GetType().Name);
            }

            await SleepAsync(PurgeInterval, ct);
        }
    }

    private Task SleepAsync(TimeSpan wait, CancellationToken ct) =>
        Task.Delay(wait, clock, ct).ContinueWith(_ => { }, TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox round failed ({Failure}); trying again")]
    private static partial void LogRoundFailed(ILogger logger, Exception? exception, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} delivered outbox messages")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox purge failed ({Failure}); trying again later")]
    private static partial void LogPurgeFailed(ILogger logger, string failure);
}
