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

    [Fact]
    public void Random_tag_soup_is_parsed_or_refused_naming_html_never_failing_otherwise()
    {
        // Formatting, special, table, template, foreign and raw-text tags, opened and closed at random: the guard's
        // model of the tree builder must hold on markup nobody thought of. The second alphabet, mostly formatting
        // elements and mostly opened, reaches the guard's limits.
        string[][] alphabets =
        [
            ["b", "i", "a", "nobr", "font", "p", "div", "li", "ul", "table", "tr", "td", "th", "caption", "tbody", "template",
                "object", "marquee", "span", "svg", "math", "br", "img", "select", "option", "h1", "button", "noscript", "title"],
            ["b", "i", "font", "u", "s", "div", "p", "table", "td", "tr", "template", "li"],
        ];
        var random = new Random(20261206);
        var (parsed, refused) = (0, 0);
        foreach (var names in alphabets)
        {
            for (var document = 0; document < 50; document++)
            {
                var html = new System.Text.StringBuilder();
                for (var tag = 0; tag < 3_000; tag++)
                {
                    var name = names[random.Next(names.Length)];
                    html.Append(random.Next(5) switch
                    {
                        0 => $"</{name}>",
                        1 or 2 => $"<{name} id={random.Next(4)}>",
                        _ => $"<{name} id={random.Next(40)}>x",
                    });
                }

                try
                {
                    SalesNavigatorParser.Parse(html.ToString(), Now, TestContext.Current.CancellationToken);
                    parsed++;
                }
                catch (VqlValidationException refusal)
                {
                    Assert.Equal("html", refusal.Field);
                    refused++;
                }
            }
        }

        Assert.True(parsed > 10 && refused > 5, $"{parsed} parsed, {refused} refused");
    }
}
