namespace Connectra.Backend.Application.SalesNavigator;

/// <summary>
/// What one scrape request may carry (docs/sales-navigator.md#limits). Fixed, not configurable: they guard the HTML
/// parser, whose cost they bound, and a page of Sales Navigator results is far inside them.
/// </summary>
public static class SalesNavigatorLimits
{
    /// <summary>Longest HTML accepted (characters).</summary>
    public const int MaxHtmlChars = 5_000_000;

    /// <summary>Most leads one page may hold; Sales Navigator shows 25 a page.</summary>
    public const int MaxProfiles = 100;

    /// <summary>
    /// Deepest element nesting accepted. HTML tree construction walks the stack of open elements for many tags, so
    /// deep unclosed nesting makes parsing quadratic; real pages nest a few dozen levels.
    /// </summary>
    public const int MaxDepth = 256;

    /// <summary>
    /// Most elements the parser may build, counting those it makes on its own (reopened formatting elements, clones).
    /// Each costs a few hundred bytes; a saved results page has a few tens of thousands.
    /// </summary>
    public const int MaxElements = 250_000;

    /// <summary>
    /// Most formatting elements the tree builder may reopen or clone over the whole page. Misnested markup makes it
    /// redo this for every later block, so the work grows with blocks × open formatting elements; well-formed pages
    /// need none.
    /// </summary>
    public const int MaxRebuiltElements = 20_000;

    /// <summary>Longest a parse may run, on a busy machine too; a results page takes about a second.</summary>
    public static readonly TimeSpan MaxParseTime = TimeSpan.FromSeconds(10);

    /// <summary>Most memory one parse may allocate; a 5 MB results page takes about 80 MB.</summary>
    public const long MaxParseAllocatedBytes = 256L * 1024 * 1024;
}
