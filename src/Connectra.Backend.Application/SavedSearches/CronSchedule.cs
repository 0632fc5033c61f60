using Cronos;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Application.SavedSearches;

/// <summary>
/// A five-field cron expression in an IANA time zone (docs/saved-searches.md#schedules). Cronos does the calendar work,
/// including daylight-saving gaps (an occurrence inside a skipped hour fires at the gap's end) and overlaps (an
/// occurrence in a repeated hour fires once, in the first pass).
/// </summary>
public sealed class CronSchedule
{
    /// <summary>Longest expression accepted; Cronos parses in linear time, so this bounds the work too.</summary>
    public const int MaxLength = 120;

    /// <summary>Most time-zone name characters (the longest IANA name is about 30).</summary>
    public const int MaxTimeZoneLength = 64;

    /// <summary>How far ahead the interval check looks: a year covers every day-of-month and DST pattern.</summary>
    private static readonly TimeSpan IntervalHorizon = TimeSpan.FromDays(366);

    /// <summary>Most occurrences the interval check walks before it gives up on a schedule as too frequent.</summary>
    private const int IntervalProbeLimit = 10_000;

    private readonly CronExpression _expression;

    private CronSchedule(CronExpression expression, TimeZoneInfo zone)
    {
        _expression = expression;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>Parses and checks a schedule; 400 naming <paramref name="field"/>'s cron or time_zone.</summary>
    public static CronSchedule Parse(string? cron, string? timeZone, string field)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            throw new VqlValidationException($"{field}.cron", "required: five fields (minute hour day-of-month month day-of-week)");
        }

        if (cron.Length > MaxLength)
        {
            throw new VqlValidationException($"{field}.cron", $"at most {MaxLength} characters");
        }

        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cron, CronFormat.Standard);
        }
        catch (CronFormatException invalid)
        {
            throw new VqlValidationException($"{field}.cron", $"not a five-field cron expression: {invalid.Message}");
        }

        var zoneName = string.IsNullOrEmpty(timeZone) ? "UTC" : timeZone;
        if (zoneName.Length > MaxTimeZoneLength)
        {
            throw new VqlValidationException($"{field}.time_zone", $"at most {MaxTimeZoneLength} characters");
        }

        // Windows names resolve too on some hosts; only IANA names are part of the contract.
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneName, out var zone) || !zone.HasIanaId)
        {
            throw new VqlValidationException($"{field}.time_zone", $"'{zoneName}' is not an IANA time zone such as Europe/Berlin");
        }

        return new CronSchedule(expression, zone);
    }

    /// <summary>
    /// 400 when two consecutive occurrences within the next year are closer than <paramref name="minimum"/>; walks at
    /// most a bounded number of occurrences.
    /// </summary>
    public void EnsureInterval(TimeSpan minimum, DateTimeOffset from, string field)
    {
        var end = from + IntervalHorizon;
        DateTimeOffset? previous = null;
        var cursor = from;
        for (var i = 0; i < IntervalProbeLimit; i++)
        {
            var next = Next(cursor);
            if (next is null || next > end)
            {
                return;
            }

            if (previous is { } p && next.Value - p < minimum)
            {
                throw new VqlValidationException($"{field}.cron",
                    $"fires every {(next.Value - p).TotalMinutes:0} minutes at times; schedules may fire at most once every {minimum.TotalMinutes:0} minutes (SavedSearches:MinimumInterval)");
            }

            previous = next;
            cursor = next.Value;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, in UTC (as stored), or null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) =>
        _expression.GetNextOccurrence(after, Zone, inclusive: false)?.ToUniversalTime();

    /// <summary>
    /// What is due at <paramref name="now"/> for a schedule whose next unfired occurrence is <paramref name="due"/>:
    /// the latest occurrence in [due, now] (every earlier missed one collapses into it), and the occurrence after now.
    /// </summary>
    public (DateTimeOffset? Latest, DateTimeOffset? Next) Due(DateTimeOffset due, DateTimeOffset now)
    {
        if (due > now)
        {
            return (null, due);
        }

        var occurrences = _expression.GetOccurrences(due, now, Zone, fromInclusive: true, toInclusive: true);
        DateTimeOffset? latest = null;
        foreach (var occurrence in occurrences)
        {
            latest = occurrence.ToUniversalTime();
        }

        // A schedule is at most once per minimum interval, so even a year of downtime walks few occurrences.
        return (latest ?? due, Next(now));
    }
}
