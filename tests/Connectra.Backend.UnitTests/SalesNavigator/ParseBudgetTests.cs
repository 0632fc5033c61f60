using System.Diagnostics;
using Connectra.Backend.Application.SalesNavigator;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.UnitTests.SalesNavigator;

/// <summary>
/// The parse is bounded in work and memory, not only in length and depth (docs/sales-navigator.md#limits): markup the
/// tree builder would multiply is refused before it runs, and whatever runs stays within the parse budget.
/// </summary>
public sealed class ParseBudgetTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    public static TheoryData<HostileMarkup> Family => [.. HostileMarkup.Family];

    [Theory]
    [MemberData(nameof(Family))]
    public void Hostile_markup_is_refused_naming_html_or_parsed_within_the_budget(HostileMarkup hostile)
    {
        // Counted on this thread: the parse is synchronous, so the figure is the parse's own, whatever else runs.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        VqlValidationException? refused = null;
        try
        {
            SalesNavigatorParser.Parse(hostile.Html, Now, TestContext.Current.CancellationToken);
        }
        catch (VqlValidationException e)
        {
            refused = e;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (hostile.Refusal is { } reason)
        {
            Assert.NotNull(refused);
            Assert.Equal("html", refused.Field);
            Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
            // Refused by the linear guard, before the parser built anything.
            Assert.True(allocated < 64L * 1024 * 1024, $"{allocated / (1024 * 1024)} MiB");
        }
        else if (refused is not null)
        {
            // Only the budget may stop a page the guard lets through (a slow machine can reach the time limit).
            Assert.Equal("html", refused.Field);
            Assert.Contains("to parse", refused.Message, StringComparison.Ordinal);
        }

        // The budget is checked every 256 elements and between leads, so a parse overshoots it by little.
        Assert.True(allocated < SalesNavigatorLimits.MaxParseAllocatedBytes + (64L * 1024 * 1024), $"{allocated / (1024 * 1024)} MiB");
        // Generous: the bound is the parse time limit plus the guard, on a loaded machine.
        Assert.True(watch.Elapsed < SalesNavigatorLimits.MaxParseTime * 3, $"{watch.Elapsed}");
    }

    [Fact]
    public void A_parse_that_allocates_more_than_its_budget_is_stopped_naming_html()
    {
        var html = string.Concat(Enumerable.Repeat("<div><span>x</span></div>", 50_000));

        var refused = Assert.Throws<VqlValidationException>(() =>
            SalesNavigatorParser.Parse(html, Now, 1024 * 1024, SalesNavigatorLimits.MaxParseTime, TestContext.Current.CancellationToken));

        Assert.Equal("html", refused.Field);
        Assert.Contains("needs more than 1 MiB to parse", refused.Message, StringComparison.Ordinal);
        Assert.NotEmpty(SalesNavigatorParser.Parse(SalesNavigatorPages.Load("results-page.html"), Now, TestContext.Current.CancellationToken).Profiles);
    }

    [Fact]
    public void A_parse_that_runs_longer_than_its_budget_is_stopped_naming_html()
    {
        var refused = Assert.Throws<VqlValidationException>(() =>
            SalesNavigatorParser.Parse(SalesNavigatorPages.Load("results-page.html"), Now, SalesNavigatorLimits.MaxParseAllocatedBytes, TimeSpan.Zero, TestContext.Current.CancellationToken));

        Assert.Equal("html", refused.Field);
        Assert.Contains("takes more than 0 s to parse", refused.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Misnested => new()
    {
        // What hand-written and generated pages do: the parser repairs these with a few reopened elements.
        "<p><b>bold</p><p>still bold</p>",
        "<b><p>bold</b> plain</p>",
        "<a href=/x><div>block in link</a> after</div>",
        "<table><b>fostered</b><tr><td>cell</td></tr></table>",
        string.Concat(Enumerable.Repeat("<p><i>emphasis <b>strong</p>", 200)),
        string.Concat(Enumerable.Repeat("<li><a href=/x>unclosed link", 2_000)),
    };

    [Theory]
    [MemberData(nameof(Misnested))]
    public void Ordinary_misnesting_stays_within_the_guard(string html) =>
        Assert.Empty(SalesNavigatorParser.Parse(html, Now, TestContext.Current.CancellationToken).Profiles);
}
