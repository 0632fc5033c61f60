using Connectra.Backend.Application.SavedSearches;
using Connectra.Backend.Infrastructure.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Infrastructure.SavedSearches;

/// <summary>
/// Scheduled exports on the shared <see cref="JobWorker{TJob}"/> loop: each turn first records the firings of due
/// schedules, then takes one firing under a lease and turns it into an export (docs/saved-searches.md).
/// </summary>
internal sealed partial class ScheduleWorker(
    IServiceScopeFactory scopes,
    ScheduleSignal signal,
    IOptions<SavedSearchOptions> options,
    TimeProvider clock,
    ILogger<ScheduleWorker> logger) : JobWorker<ScheduleFiring>(scopes, signal, clock, logger)
{
    protected override string Kind => "Scheduled export";

    // One firing at a time: each only inserts an export row; the export worker does the reading.
    protected override JobLoopSettings Settings => new(1, options.Value.PollInterval, options.Value.LeaseDuration);

    protected override string IdOf(ScheduleFiring job) => $"{job.ScheduleId}@{job.FireAt:O}";

    protected override async Task<ScheduleFiring?> ClaimAsync(IServiceProvider services, TimeSpan lease, CancellationToken ct)
    {
        await services.GetRequiredService<ScheduleRunner>().PlanAsync(ct);
        return await services.GetRequiredService<ISavedSearchStore>().ClaimFiringAsync(Owner, lease, ct);
    }

    protected override Task RunAsync(IServiceProvider services, ScheduleFiring job, CancellationToken stopping)
    {
        LogFiring(logger, job.ScheduleId, job.FireAt, job.Attempts);
        return services.GetRequiredService<ScheduleRunner>().RunAsync(job, Owner, stopping);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {ScheduleId} firing of {FireAt} taken up, attempt {Attempt}")]
    private static partial void LogFiring(ILogger logger, string scheduleId, DateTimeOffset fireAt, int attempt);
}
