using Connectra.Backend.Application.Importing;
using Connectra.Backend.Infrastructure.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Infrastructure.Importing;

/// <summary>
/// Runs import jobs on this replica through the shared <see cref="JobWorker{TJob}"/> loop (docs/imports.md#jobs), up to
/// Imports:WorkerConcurrency at once, and now and then deletes the files of imports that ended long ago.
/// </summary>
internal sealed partial class ImportWorker(
    IServiceScopeFactory scopes,
    ImportSignal signal,
    IOptions<ImportOptions> options,
    TimeProvider clock,
    ILogger<ImportWorker> logger) : JobWorker<UserImport>(scopes, signal, clock, logger)
{
    private ImportOptions Options => options.Value;

    protected override string Kind => "Import";

    protected override JobLoopSettings Settings => new(Options.WorkerConcurrency, Options.PollInterval, Options.LeaseDuration);

    protected override string IdOf(UserImport job) => job.ImportId;

    protected override Task<UserImport?> ClaimAsync(IServiceProvider services, TimeSpan lease, CancellationToken ct) =>
        services.GetRequiredService<IImportRepository>().ClaimAsync(Owner, lease, ct);

    protected override Task RunAsync(IServiceProvider services, UserImport job, CancellationToken stopping)
    {
        LogStarted(logger, job.ImportId, job.Entity, job.Attempts);
        return services.GetRequiredService<ImportRunner>().RunAsync(job, Owner, stopping);
    }

    protected override async Task HousekeepAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var scope = Scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ImportService>().PurgeFilesAsync(stopping);
                await Task.Delay(TimeSpan.FromMinutes(10), Clock, stopping);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} ({Entity}) taken up, attempt {Attempt}")]
    private static partial void LogStarted(ILogger logger, string importId, ImportEntity entity, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import file purge failed ({Failure}); trying again later")]
    private static partial void LogPurgeFailed(ILogger logger, string failure);
}
