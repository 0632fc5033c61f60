using Connectra.Backend.Application.SavedSearches;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.UnitTests.SavedSearches;

/// <summary>
/// The scheduler's decisions against a fake clock that steps through daylight-saving changes: each occurrence fires
/// exactly once, an occurrence in a skipped hour fires at the gap's end, one in a repeated hour fires once.
/// </summary>
public sealed class SchedulePlanTests
{
    private static readonly TimeSpan Lateness = TimeSpan.FromHours(6);

    /// <summary>Steps a fake clock from <paramref name="start"/> to <paramref name="end"/>, planning as the scheduler does.</summary>
    private static List<DateTimeOffset> Fire(string cron, string zone, DateTimeOffset start, DateTimeOffset end, TimeSpan step)
    {
        var schedule = new SavedSearchSchedule
        {
            ScheduleId = "s", SavedSearchId = "q", Cron = cron, TimeZone = zone, Enabled = true,
            NextFireAt = CronSchedule.Parse(cron, zone, "schedule").Next(start),
        };
        var fired = new List<DateTimeOffset>();
        for (var now = start; now <= end; now += step)
        {
            if (schedule.NextFireAt is { } due && due <= now)
            {
                var planned = ScheduleRunner.Plan(schedule, now, Lateness);
                Assert.False(planned.Skipped);
                fired.Add(planned.FireAt!.Value);
                schedule.NextFireAt = planned.NextFireAt;
            }
        }

        return fired;
    }

    [Fact]
    public void Berlin_spring_forward_fires_a_skipped_time_once_at_the_end_of_the_gap()
    {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 does not exist that day.
        var fired = Fire("30 2 * * *", "Europe/Berlin",
            new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 31, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(5));

        Assert.Equal(
            [
                new DateTimeOffset(2026, 3, 28, 1, 30, 0, TimeSpan.Zero), // 02:30 CET
                new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), // the gap's end, 03:00 CEST
                new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.Zero), // 02:30 CEST
                new DateTimeOffset(2026, 3, 31, 0, 30, 0, TimeSpan.Zero),
            ],
            fired);
    }

    [Fact]
    public void Berlin_fall_back_fires_a_repeated_time_once()
    {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
        var fired = Fire("30 2 * * *", "Europe/Berlin",
            new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 26, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(5));

        Assert.Equal(
            [
                new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), // the first 02:30, CEST
                new DateTimeOffset(2026, 10, 26, 1, 30, 0, TimeSpan.Zero), // 02:30 CET
            ],
            fired);
    }

    [Fact]
    public void New_York_keeps_local_time_across_both_changes()
    {
        var spring = Fire("0 9 * * 1-5", "America/New_York",
            new DateTimeOffset(2026, 3, 6, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(10));
        // Friday 09:00 EST, then Monday 09:00 EDT (2026-03-08 is the change).
        Assert.Equal([new DateTimeOffset(2026, 3, 6, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 9, 13, 0, 0, TimeSpan.Zero)], spring);

        // 2026-11-01: 01:30 happens twice (EDT, then EST); an hourly-at-:30 schedule fires for each real hour once.
        var fall = Fire("30 * * * *", "America/New_York",
            new DateTimeOffset(2026, 11, 1, 4, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(5));
        Assert.Equal(
            [
                new DateTimeOffset(2026, 11, 1, 4, 30, 0, TimeSpan.Zero), // 00:30 EDT
                new DateTimeOffset(2026, 11, 1, 5, 30, 0, TimeSpan.Zero), // 01:30 EDT
                new DateTimeOffset(2026, 11, 1, 6, 30, 0, TimeSpan.Zero), // 01:30 EST
                new DateTimeOffset(2026, 11, 1, 7, 30, 0, TimeSpan.Zero), // 02:30 EST
            ],
            fall);
    }

    [Fact]
    public void Missed_occurrences_collapse_into_the_latest_and_an_old_one_is_skipped()
    {
        var schedule = new SavedSearchSchedule
        {
            ScheduleId = "s", SavedSearchId = "q", Cron = "0 * * * *", TimeZone = "UTC", Enabled = true,
            NextFireAt = new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero),
        };

        // Down from 00:30 to 05:10: five occurrences missed, one firing, for the latest.
        var planned = ScheduleRunner.Plan(schedule, new DateTimeOffset(2026, 1, 1, 5, 10, 0, TimeSpan.Zero), Lateness);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 5, 0, 0, TimeSpan.Zero), planned.FireAt);
        Assert.False(planned.Skipped);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 6, 0, 0, TimeSpan.Zero), planned.NextFireAt);

        var daily = new SavedSearchSchedule
        {
            ScheduleId = "d", SavedSearchId = "q", Cron = "0 6 * * *", TimeZone = "UTC", Enabled = true,
            NextFireAt = new DateTimeOffset(2026, 1, 1, 6, 0, 0, TimeSpan.Zero),
        };
        var late = ScheduleRunner.Plan(daily, new DateTimeOffset(2026, 1, 3, 20, 0, 0, TimeSpan.Zero), Lateness);
        Assert.Equal(new DateTimeOffset(2026, 1, 3, 6, 0, 0, TimeSpan.Zero), late.FireAt);
        Assert.True(late.Skipped);
        Assert.Contains("MaxLateness", late.Reason, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 1, 4, 6, 0, 0, TimeSpan.Zero), late.NextFireAt);
    }

    [Theory]
    [InlineData("*/30 * * * *")]
    [InlineData("0,59 * * * *")]
    public void Schedules_firing_more_often_than_the_minimum_are_refused_naming_cron(string cron)
    {
        var schedule = CronSchedule.Parse(cron, "UTC", "schedule");
        var refused = Assert.Throws<VqlValidationException>(() => schedule.EnsureInterval(TimeSpan.FromHours(1), DateTimeOffset.UnixEpoch, "schedule"));
        Assert.Equal("schedule.cron", refused.Field);
    }

    [Fact]
    public void A_schedule_that_fires_too_often_only_across_a_DST_change_is_refused()
    {
        // Hourly at :00 in New York passes across both changes; 01:00 and 01:59 (59 minutes apart) do not.
        CronSchedule.Parse("0 * * * *", "America/New_York", "schedule").EnsureInterval(TimeSpan.FromHours(1), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "schedule");
        Assert.Throws<VqlValidationException>(() =>
            CronSchedule.Parse("0,59 1 * * *", "America/New_York", "schedule").EnsureInterval(TimeSpan.FromHours(1), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "schedule"));
    }

    [Theory]
    [InlineData("* * * * * *", "UTC", "schedule.cron")] // six fields
    [InlineData("61 * * * *", "UTC", "schedule.cron")]
    [InlineData("0 9 * * *", "Mars/Olympus", "schedule.time_zone")]
    [InlineData("0 9 * * *", "W. Europe Standard Time", "schedule.time_zone")] // a Windows name, not IANA
    [InlineData("", "UTC", "schedule.cron")]
    public void Bad_cron_or_zone_is_a_400_naming_the_field(string cron, string zone, string field)
    {
        var refused = Assert.Throws<VqlValidationException>(() => CronSchedule.Parse(cron, zone, "schedule"));
        Assert.Equal(field, refused.Field);
    }

    [Fact]
    public void A_long_expression_is_refused_before_it_is_parsed()
    {
        var refused = Assert.Throws<VqlValidationException>(() => CronSchedule.Parse(string.Join(',', Enumerable.Range(0, 5000).Select(_ => "1")) + " * * * *", "UTC", "schedule"));
        Assert.Equal("schedule.cron", refused.Field);
        Assert.Contains(CronSchedule.MaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_firing_s_export_id_is_the_same_for_every_attempt_and_differs_between_firings()
    {
        var at = new DateTimeOffset(2026, 1, 1, 6, 0, 0, TimeSpan.Zero);
        var one = ScheduleRunner.ExportIdOf(new ScheduleFiring { ScheduleId = "a", FireAt = at });
        Assert.Equal(one, ScheduleRunner.ExportIdOf(new ScheduleFiring { ScheduleId = "a", FireAt = at, Attempts = 3 }));
        Assert.NotEqual(one, ScheduleRunner.ExportIdOf(new ScheduleFiring { ScheduleId = "a", FireAt = at.AddDays(1) }));
        Assert.NotEqual(one, ScheduleRunner.ExportIdOf(new ScheduleFiring { ScheduleId = "b", FireAt = at }));
        Assert.True(Guid.TryParse(one, out _));
    }
}
