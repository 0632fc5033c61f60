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
}
