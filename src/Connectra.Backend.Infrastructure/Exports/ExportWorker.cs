using Connectra.Backend.Application.Exports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Infrastructure.Exports;

/// <summary>
/// Runs export jobs on this replica: claims the oldest runnable job (safe with any number of replicas, docs/exports.md),
/// runs up to Exports:WorkerConcurrency at once, and now and then deletes expired files and rows. A lost database
/// connection is waited out, not fatal: the worker keeps polling and carries on when PostgreSQL is back.
/// </summary>
internal sealed partial class ExportWorker(
    IServiceScopeFactory scopes,
    ExportSignal signal,
    IOptions<ExportOptions> options,
    TimeProvider clock,
    ILogger<ExportWorker> logger) : BackgroundService
{
    /// <summary>Who holds a job's lease: this process, told apart from any other replica and from its own restarts.</summary>
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private ExportOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        var purging = KeepPurgingAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(job => job.IsCompleted);
            if (running.Count < Options.WorkerConcurrency && await ClaimAsync(stoppingToken) is { } job)
            {
                running.Add(RunAsync(job, stoppingToken));
                continue;
            }

            try
            {
                // A new job on this replica, a finished one, or the next poll, whichever comes first.
                await Task.WhenAny([signal.WaitAsync(Options.PollInterval, stoppingToken), .. running]);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }

        await Task.WhenAll(running);
        await purging;
    }

    private async Task<UserExport?> ClaimAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IExportRepository>().ClaimAsync(_owner, Options.LeaseDuration, ct);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogClaimFailed(logger, failure.GetType().Name);
            await Task.Delay(Options.PollInterval, clock, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task RunAsync(UserExport job, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            LogStarted(logger, job.ExportId, job.Kind, job.Attempts);
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ExportRunner>().RunAsync(job, _owner, stoppingToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // Whatever the runner could not record (e.g. the database went away) is left to the lease: the job is
            // taken up again once it expires.
            LogRunFailed(logger, failure, job.ExportId);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task KeepPurgingAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var purged = await scope.ServiceProvider.GetRequiredService<ExportService>()
                    .PurgeAsync(Options.ExpiredRetention, orphansOlderThan: Options.LeaseDuration * 2, ct);
                if (purged.DeletedCount + purged.DeletedRows > 0)
                {
                    LogPurged(logger, purged.DeletedCount, purged.DeletedRows);
                }

                await Task.Delay(Options.PurgeInterval, clock, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                LogPurgeFailed(logger, failure.GetType().Name);
                await Task.Delay(Options.PollInterval * 10, clock, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId} ({Kind}) taken up, attempt {Attempt}")]
    private static partial void LogStarted(ILogger logger, string exportId, ExportKind kind, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export worker could not look for jobs ({Failure}); trying again")]
    private static partial void LogClaimFailed(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Export {ExportId} stopped without a result; its lease will hand it to a worker again")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string exportId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Files} expired export files and {Rows} expired export rows")]
    private static partial void LogPurged(ILogger logger, int files, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export purge failed ({Failure}); trying again later")]
    private static partial void LogPurgeFailed(ILogger logger, string failure);
}
