using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Infrastructure.Persistence;
using Connectra.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Infrastructure.Outbox;

/// <summary>
/// Delivers the outbox to Connectra from this replica (docs/outbox.md): rounds back to back while there is work,
/// then waits for a write on this replica or the next poll. Several loops run side by side (Outbox:Concurrency);
/// claims keep them, and other replicas, off each other's records. A lost database or Connectra is waited out, and
/// Connectra's return is watched for, so that what waited for it goes out at once (docs/outbox.md#recovery).
/// </summary>
internal sealed partial class OutboxWorker(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    ConnectraRecovery recovery,
    ConnectraCircuitBreaker breaker,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    private OutboxOptions Options => options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll([
            .. Enumerable.Range(0, Options.Concurrency).Select(_ => DispatchAsync(stoppingToken)),
            WatchRecoveryAsync(stoppingToken),
            PurgeAsync(stoppingToken),
        ]);

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

    /// <summary>
    /// While deliveries fail because Connectra is unavailable, asks its health route every
    /// <see cref="OutboxOptions.RecoveryProbeInterval"/> whether it is back. When it is (or the breaker closed after a
    /// trial call), the breaker is closed and every record waiting for Connectra is made due, for every replica.
    /// </summary>
    private async Task WatchRecoveryAsync(CancellationToken ct)
    {
        await Task.Yield();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (recovery.TakeReturn())
                {
                    await ReleaseWaitingAsync(ct);
                    continue;
                }

                if (recovery.Probing)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var probe = await scope.ServiceProvider.GetRequiredService<ConnectraHealthProbe>().ProbeAsync(ct);
                    if (recovery.Probed(probe.Answered))
                    {
                        // The breaker would fail this replica's calls until its break is over, and its trial call
                        // would wait for a record's back-off; the probe that saw Connectra come back was that trial.
                        await breaker.CloseAsync(ct);
                        continue;
                    }
                }

                await recovery.WaitAsync(recovery.Probing ? Options.RecoveryProbeInterval : Timeout.InfiniteTimeSpan, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                // Records still get their capped back-off without the watch; a crashed loop would stop the host.
                LogWatchFailed(logger, failure);
                await SleepAsync(Options.RecoveryProbeInterval, ct);
            }
        }
    }

    private async Task ReleaseWaitingAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var released = await scope.ServiceProvider.GetRequiredService<IOutboxStore>().ReleaseWaitingAsync(clock.GetUtcNow(), ct);
            LogConnectraBack(logger, released);
            signal.Notify();
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The database is away: the records stay waiting until it is back, so the return is kept for then.
            recovery.Returned();
            LogReleaseFailed(logger, DatabaseFailures.IsUnavailable(failure) ? null : failure, failure.GetType().Name);
            await SleepAsync(Options.PollInterval * 8, ct);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Connectra is back; {Count} outbox messages waiting for it are due now")]
    private static partial void LogConnectraBack(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connectra is back, but the outbox messages waiting for it could not be made due ({Failure}); trying again")]
    private static partial void LogReleaseFailed(ILogger logger, Exception? exception, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Watching for Connectra's return failed; trying again")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} delivered outbox messages")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox purge failed ({Failure}); trying again later")]
    private static partial void LogPurgeFailed(ILogger logger, string failure);
}
