using BenchmarkDotNet.Attributes;
using Connectra.Backend.Application.SalesNavigator;
using Connectra.Backend.Application.Vql;

namespace Connectra.Benchmarks;

/// <summary>
/// What one Sales Navigator parse costs (docs/benchmarks.md#sales-navigator-parse): real-shaped pages against the
/// hostile page that once took half a minute and 5 GB, which the guard now refuses before the parser runs.
/// </summary>
[MemoryDiagnoser]
public class ScrapeParseBenchmarks
{
    private string _resultsPage = "";
    private string _largePage = "";
    private string _reportedPage = "";
    private string _openFormatting = "";

    [GlobalSetup]
    public void Setup()
    {
        _resultsPage = File.ReadAllText(Fixture("results-page.html"));
        // The same markup repeated to near the length limit, its lead markers renamed so the lead limit does not refuse it.
        var unmarked = _resultsPage.Replace("data-x-search-result=\"LEAD\"", "data-x-result=\"LEAD\"", StringComparison.Ordinal);
        _largePage = string.Concat(Enumerable.Repeat(unmarked, (SalesNavigatorLimits.MaxHtmlChars - 100_000) / unmarked.Length));
        _reportedPage = "<p>" + string.Concat(Enumerable.Range(0, 200).Select(i => $"<b id={i}>")) + "</p>"
            + string.Concat(Enumerable.Repeat("<div>x</div>", 50_000));
        _openFormatting = "<p>" + string.Concat(Enumerable.Range(0, 200).Select(i => $"<b id={i}>")) + "</p>"
            + string.Concat(Enumerable.Repeat("x<p>", 100_000));
    }

    [Benchmark(Baseline = true)]
    public int ResultsPage() => Parse(_resultsPage);

    [Benchmark]
    public int LargePage() => Parse(_largePage);

    [Benchmark]
    public int ReportedHostilePage() => Parse(_reportedPage);

    [Benchmark]
    public int OpenFormattingOverParagraphs() => Parse(_openFormatting);

    private static int Parse(string html)
    {
        try
        {
            return SalesNavigatorParser.Parse(html, DateTimeOffset.UnixEpoch, CancellationToken.None).Profiles.Count;
        }
        catch (VqlValidationException)
        {
            return -1;
        }
    }

    private static string Fixture(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var path = Path.Combine(folder.FullName, "tests", "Connectra.Backend.UnitTests", "SalesNavigator", "Fixtures", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"Run from inside the repository: {name} not found above {AppContext.BaseDirectory}.");
    }
}
