using BenchmarkDotNet.Attributes;
using Connectra.Backend.Application.SavedSearches;
using Connectra.Backend.Application.Vql;

namespace Connectra.Benchmarks;

/// <summary>
/// What checking a schedule costs (docs/benchmarks.md#schedule-checks): parsing and the minimum-interval walk over a
/// year, for an ordinary schedule, the densest one the default minimum allows, and the longest expression accepted.
/// </summary>
[MemoryDiagnoser]
public class CronScheduleBenchmarks
{
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Every minute listed, up to the length limit: the most a hostile expression can make the parser read.</summary>
    private static readonly string Longest = Build();

    [Benchmark(Baseline = true)]
    public DateTimeOffset? Weekly() => Check("0 7 * * 1", "Europe/Berlin");

    [Benchmark]
    public DateTimeOffset? Hourly() => Check("0 * * * *", "America/New_York");

    [Benchmark]
    public DateTimeOffset? LongestExpression()
    {
        try
        {
            return Check(Longest, "UTC");
        }
        catch (VqlValidationException)
        {
            return null; // refused as too frequent, after the walk found two close occurrences
        }
    }

    private static DateTimeOffset? Check(string cron, string zone)
    {
        var schedule = CronSchedule.Parse(cron, zone, "schedule");
        schedule.EnsureInterval(TimeSpan.FromHours(1), From, "schedule");
        return schedule.Next(From);
    }

    private static string Build()
    {
        var minutes = string.Join(',', Enumerable.Range(0, 60).Select(m => m.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var text = minutes + " * * * *";
        return text.Length <= CronSchedule.MaxLength ? text : minutes[..(CronSchedule.MaxLength - 8)].TrimEnd(',') + " * * * *";
    }
}
