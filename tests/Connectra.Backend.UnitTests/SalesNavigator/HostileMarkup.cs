namespace Connectra.Backend.UnitTests.SalesNavigator;

/// <summary>
/// Markup that makes the HTML tree builder work far beyond the length of its text: formatting elements reopened
/// after every block, the adoption agency, foster parenting, misnested tables, templates. Shared by the parser's
/// tests and the scrape route's budget tests, so both hold the same family.
/// </summary>
/// <param name="Refusal">What the refusal says when the guard must refuse the page; null when the page may be
/// parsed (it must then be answered, or stopped by the parse budget, within the budget's time and memory).</param>
public sealed record HostileMarkup(string Id, string Html, string? Refusal)
{
    public const string Rebuilds = "would rebuild more than";
    public const string TooDeep = "levels deep";
    public const string TooManyElements = "build more than";

    public static IReadOnlyList<HostileMarkup> Family { get; } =
    [
        // The page from the report: 30 s and 5 GB before the guard modelled the formatting list.
        new("reconstruction: 200 distinct <b> closed by </p>, then 50,000 blocks", "<p>" + Numbered("b", 200) + "</p>" + Repeat("<div>x</div>", 50_000), Rebuilds),
        new("reconstruction: 20 distinct <b> closed by </p>, then 50,000 blocks", "<p>" + Numbered("b", 20) + "</p>" + Repeat("<div>x</div>", 50_000), Rebuilds),
        new("reconstruction: each new <b> reopens every earlier one", "<p>" + string.Concat(Enumerable.Range(0, 5_000).Select(i => $"<div><b id={i}></div>")), Rebuilds),
        new("reconstruction: 200 <b> left open over 100,000 paragraphs", "<p>" + Numbered("b", 200) + "</p>" + Repeat("x<p>", 100_000), null),
        new("adoption agency: <b><p>x</b> 100,000 times", Repeat("<b><p>x</b>", 100_000), Rebuilds),
        new("adoption agency: <b><div><i><p>x</b>y</i> 40,000 times", Repeat("<b><div><i><p>x</b>y</i>", 40_000), Rebuilds),
        new("adoption agency: </b> across 100 open blocks, 100,000 times", Numbered("b", 50) + Repeat("<div>", 100) + Repeat("</b>x", 100_000), null),
        new("adoption agency: <a> inside <a> 100,000 times", Repeat("<a href=x>", 100_000), null),
        new("adoption agency: <nobr> inside <nobr> 100,000 times", Repeat("<nobr>x", 100_000), null),
        new("foster parenting: 200 <b> and 50,000 blocks inside <table>", "<table>" + Numbered("b", 200) + Repeat("<div>x</div>", 50_000) + "</table>", null),
        new("foster parenting: text and <b> inside <table> 100,000 times", "<table>" + Repeat("x<b>y", 100_000) + "</table>", TooDeep),
        new("table misnesting: <table><tr><td><b>x</table><i> 40,000 times", Repeat("<table><tr><td><b>x</table><i>", 40_000), TooDeep),
        new("table misnesting: 200 <b> in a row, then 50,000 cells", "<table><tr>" + Numbered("b", 200) + Repeat("<td>x</td>", 50_000) + "</table>", null),
        new("template nesting: 300 <template>", Repeat("<template>", 300), TooDeep),
        new("template: 200 <b> closed by </template>, then 50,000 blocks", "<template>" + Numbered("b", 200) + "</template>" + Repeat("<div>x</div>", 50_000), null),
        new("elements: 300,000 <br>", Repeat("<br>", 300_000), TooManyElements),
    ];

    public override string ToString() => Id;

    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));

    private static string Numbered(string tag, int count) => string.Concat(Enumerable.Range(0, count).Select(i => $"<{tag} id={i}>"));
}
