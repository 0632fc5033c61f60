using Connectra.Backend.Application.Background;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Connectra.Backend.Infrastructure.Jobs;

/// <summary>How one kind of durable job is polled on a replica.</summary>
/// <param name="Concurrency">Jobs of this kind running at once on this replica.</param>
/// <param name="PollInterval">How often an idle loop looks for jobs other replicas created.</param>
/// <param name="LeaseDuration">How long a claim holds a job before another replica may take it over.</param>
internal sealed record JobLoopSettings(int Concurrency, TimeSpan PollInterval, TimeSpan LeaseDuration);

/// <summary>
/// The poll loop every kind of durable job shares (docs/exports.md#how-a-job-runs; imports and scheduled firings
/// reuse it): claims one runnable job at a time under a lease (<see cref="LeasedJobs"/>), runs up to
/// <see cref="JobLoopSettings.Concurrency"/> at once, each in its own scope, and wakes early when this replica creates
/// a job or one finishes. A lost database connection is waited out, not fatal: the loop keeps polling and carries on
/// when PostgreSQL is back. A job that throws is left to its lease, which hands it to a worker again. On shutdown the
/// loop waits for the running jobs, which hand themselves back.
/// </summary>
internal abstract partial class JobWorker<TJob>(IServiceScopeFactory scopes, WorkSignal signal, TimeProvider clock, ILogger logger) : BackgroundService
    where TJob : class
{
    /// <summary>Who holds a job's lease: this process, told apart from any other replica and from its own restarts.</summary>
    protected string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>For work a job kind does beside the loop, each piece in its own scope.</summary>
    protected IServiceScopeFactory Scopes => scopes;

    protected TimeProvider Clock => clock;

    /// <summary>"Export" and the like, for logs.</summary>
    protected abstract string Kind { get; }

    /// <summary>Read on every turn of the loop, so changed options apply without a restart.</summary>
    protected abstract JobLoopSettings Settings { get; }

    /// <summary>The next runnable job, now leased to <see cref="Owner"/>, or null when there is none.</summary>
    protected abstract Task<TJob?> ClaimAsync(IServiceProvider services, TimeSpan lease, CancellationToken ct);

    /// <summary>Runs a claimed job until it is no longer this worker's: done, failed, cancelled, taken over or handed back.</summary>
    protected abstract Task RunAsync(IServiceProvider services, TJob job, CancellationToken stopping);

    /// <summary>The job's id, for logs.</summary>
    protected abstract string IdOf(TJob job);

    /// <summary>Work beside the loop for as long as the host runs (purging expired jobs); nothing by default.</summary>
    protected virtual Task HousekeepAsync(CancellationToken stopping) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        var housekeeping = HousekeepAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = Settings;
            running.RemoveAll(job => job.IsCompleted);
            if (running.Count < settings.Concurrency && await TryClaimAsync(settings, stoppingToken) is { } job)
            {
                running.Add(RunOneAsync(job, stoppingToken));
                continue;
            }

            try
            {
                // A new job on this replica, a finished one, or the next poll, whichever comes first.
                await Task.WhenAny([signal.WaitAsync(settings.PollInterval, stoppingToken), .. running]);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }

        await Task.WhenAll(running);
        await housekeeping;
    }

    private async Task<TJob?> TryClaimAsync(JobLoopSettings settings, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await ClaimAsync(scope.ServiceProvider, settings.LeaseDuration, ct);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogClaimFailed(logger, Kind, failure.GetType().Name);
            await Task.Delay(settings.PollInterval, clock, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task RunOneAsync(TJob job, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await RunAsync(scope.ServiceProvider, job, stoppingToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // Whatever the job could not record (e.g. the database went away) is left to the lease: the job is taken
            // up again once it expires.
            LogRunFailed(logger, failure, Kind, IdOf(job));
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} worker could not look for jobs ({Failure}); trying again")]
    private static partial void LogClaimFailed(ILogger logger, string kind, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Kind} {JobId} stopped without a result; its lease will hand it to a worker again")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string kind, string jobId);
}
