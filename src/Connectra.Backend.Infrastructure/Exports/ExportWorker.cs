using Connectra.Backend.Application.Exports;
using Connectra.Backend.Infrastructure.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Infrastructure.Exports;

/// <summary>
/// Runs export jobs on this replica through the shared <see cref="JobWorker{TJob}"/> loop (safe with any number of
/// replicas, docs/exports.md), up to Exports:WorkerConcurrency at once, and now and then deletes expired files and rows.
/// </summary>
internal sealed partial class ExportWorker(
    IServiceScopeFactory scopes,
    ExportSignal signal,
    IOptions<ExportOptions> options,
    TimeProvider clock,
    ILogger<ExportWorker> logger) : JobWorker<UserExport>(scopes, signal, clock, logger)
{
    private ExportOptions Options => options.Value;

    protected override string Kind => "Export";

    protected override JobLoopSettings Settings => new(Options.WorkerConcurrency, Options.PollInterval, Options.LeaseDuration);

    protected override string IdOf(UserExport job) => job.ExportId;

    protected override Task<UserExport?> ClaimAsync(IServiceProvider services, TimeSpan lease, CancellationToken ct) =>
        services.GetRequiredService<IExportRepository>().ClaimAsync(Owner, lease, ct);

    protected override Task RunAsync(IServiceProvider services, UserExport job, CancellationToken stopping)
    {
        LogStarted(logger, job.ExportId, job.Kind, job.Attempts);
        return services.GetRequiredService<ExportRunner>().RunAsync(job, Owner, stopping);
    }

    protected override async Task HousekeepAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var scope = Scopes.CreateAsyncScope();
                var purged = await scope.ServiceProvider.GetRequiredService<ExportService>()
                    .PurgeAsync(Options.ExpiredRetention, orphansOlderThan: Options.LeaseDuration * 2, stopping);
                if (purged.DeletedCount + purged.DeletedRows > 0)
                {
                    LogPurged(logger, purged.DeletedCount, purged.DeletedRows);
                }

                await Task.Delay(Options.PurgeInterval, Clock, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                LogPurgeFailed(logger, failure.GetType().Name);
                await Task.Delay(Options.PollInterval * 10, Clock, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId} ({Kind}) taken up, attempt {Attempt}")]
    private static partial void LogStarted(ILogger logger, string exportId, ExportKind kind, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Files} expired export files and {Rows} expired export rows")]
    private static partial void LogPurged(ILogger logger, int files, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export purge failed ({Failure}); trying again later")]
    private static partial void LogPurgeFailed(ILogger logger, string failure);
}
