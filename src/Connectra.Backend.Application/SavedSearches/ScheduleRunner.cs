using System.Security.Cryptography;
using System.Text;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Reading;
using Connectra.Backend.Application.Vql;
using Connectra.Backend.Application.Writing;
using Connectra.Client.Records;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Application.SavedSearches;

/// <summary>
/// Turns due schedules into firings and a firing into one export (docs/saved-searches.md#how-a-firing-runs). The
/// firing's export id is derived from (schedule, fire time), so a firing taken up again after a crash finds the export
/// it already made instead of making a second.
/// </summary>
public sealed class ScheduleRunner(
    ISavedSearchStore store,
    SavedSearchService searches,
    EntityReader<ConnectraContact> contacts,
    EntityReader<ConnectraCompany> companies,
    IOptions<SavedSearchOptions> options,
    TimeProvider clock)
{
    /// <summary>Schedules planned per transaction; the loop comes back for more.</summary>
    public const int PlanBatch = 100;

    private SavedSearchOptions Options => options.Value;

    /// <summary>Records the firing of every due schedule; all missed occurrences of one schedule become one firing.</summary>
    public Task<int> PlanAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return store.PlanDueAsync(now, PlanBatch, schedule => Plan(schedule, now, Options.MaxLateness), ct);
    }

    /// <summary>The decision for one due schedule, apart from the database so it can be checked against a fake clock.</summary>
    public static PlannedFiring Plan(SavedSearchSchedule schedule, DateTimeOffset now, TimeSpan maxLateness)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        CronSchedule cron;
        try
        {
            cron = CronSchedule.Parse(schedule.Cron, schedule.TimeZone, "schedule");
        }
        catch (VqlValidationException)
        {
            // Stored schedules were checked when written; one the host can no longer read (a time zone gone from
            // the host's database) stops instead of failing every poll.
            return new PlannedFiring(null, false, null, null);
        }

        var (latest, next) = cron.Due(schedule.NextFireAt ?? now, now);
        if (latest is not { } fireAt)
        {
            return new PlannedFiring(null, false, null, next);
        }

        var late = now - fireAt;
        return late > maxLateness
            ? new PlannedFiring(fireAt, true, $"missed: {late.TotalMinutes:0} minutes late, beyond SavedSearches:MaxLateness", next)
            : new PlannedFiring(fireAt, false, null, next);
    }

    /// <summary>Runs one claimed firing to its outcome.</summary>
    public async Task RunAsync(ScheduleFiring firing, string owner, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(firing);
        var exportId = ExportIdOf(firing);
        if (await store.ExportExistsAsync(exportId, ct))
        {
            await store.FinishFiringAsync(firing, owner, FiringStatus.Completed, exportId, firing.RowCount, null, null, ct);
            return;
        }

        if (await store.FiringSourceAsync(firing.ScheduleId, ct) is not { } source)
        {
            await store.FinishFiringAsync(firing, owner, FiringStatus.Skipped, null, null, "the schedule or its saved search was deleted", null, ct);
            return;
        }

        var (schedule, search) = source;
        try
        {
            (long Count, DateTimeOffset? Newest)? seen = null;
            if (schedule.SkipIfUnchanged)
            {
                var query = SavedSearchService.ForExport(searches.Runnable(search));
                seen = search.Entity == SavedSearchEntity.Contacts
                    ? await SeeAsync(contacts, query, c => c.UpdatedAt, ct)
                    : await SeeAsync(companies, query, c => c.UpdatedAt, ct);
                if (seen.Value.Newest is not null && schedule.LastCount == seen.Value.Count && schedule.LastNewestUpdatedAt == seen.Value.Newest)
                {
                    await store.FinishFiringAsync(firing, owner, FiringStatus.Skipped, null, seen.Value.Count,
                        "unchanged: the same count and newest updated_at as the last export", null, ct);
                    return;
                }
            }

            var created = await searches.ExportAsync(search.OwnerId, search, schedule.Columns.Count == 0 ? null : schedule.Columns, exportId, ct);
            await store.FinishFiringAsync(firing, owner, FiringStatus.Completed, created.ExportId, created.TotalRecords, null, seen, ct);
        }
        catch (Exception refused) when (refused is VqlValidationException or ExportRefusedException or WriteRefusedException)
        {
            var reason = refused is VqlValidationException invalid ? $"{invalid.Field}: {invalid.Message}" : refused.Message;
            await store.FinishFiringAsync(firing, owner, FiringStatus.Failed, null, null, reason, null, ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Another worker made this firing's export meanwhile (this one's lease ran out; the export id is unique):
            // it is done, once. Anything else is left to the lease, which hands the firing to a worker again.
            if (!await store.ExportExistsAsync(exportId, ct))
            {
                throw;
            }

            await store.FinishFiringAsync(firing, owner, FiringStatus.Completed, exportId, null, null, null, ct);
        }
    }

    /// <summary>The export id a firing's export gets: the same for every attempt at one (schedule, fire time).</summary>
    public static string ExportIdOf(ScheduleFiring firing)
    {
        ArgumentNullException.ThrowIfNull(firing);
        var key = $"{firing.ScheduleId}@{firing.FireAt.UtcTicks}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        // RFC 9562 version 8 (custom) with the RFC variant: a valid uuid that no random uuid collides with by design.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString("D");
    }

    /// <summary>
    /// What skip_if_unchanged compares: how many rows match, and the newest updated_at among them. Connectra neither
    /// sorts nor filters on updated_at, so the rows are walked (uuid and updated_at only); past
    /// SavedSearches:UnchangedCheckMaxRows the check is not made and the newest is null, so the export runs.
    /// </summary>
    private async Task<(long Count, DateTimeOffset? Newest)> SeeAsync<T>(
        EntityReader<T> reader, VqlSearchRequest query, Func<T, DateTimeOffset?> updatedAt, CancellationToken ct)
        where T : class, IConnectraRecord
    {
        var where = reader.Plan(query, companyConfig: null).Where;
        var count = await reader.CountAsync(where, ct);
        if (count > Options.UnchangedCheckMaxRows)
        {
            return (count, null);
        }

        DateTimeOffset? newest = null;
        await foreach (var page in reader.PagesAsync(reader.ByUuid(where, new RowSelection(["uuid", "updated_at"], null)), ct))
        {
            foreach (var row in page)
            {
                if (updatedAt(row) is { } at && (newest is null || at > newest))
                {
                    newest = at.ToUniversalTime();
                }
            }
        }

        return (count, newest);
    }
}
