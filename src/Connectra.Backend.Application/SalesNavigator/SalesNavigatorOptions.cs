using System.ComponentModel.DataAnnotations;

namespace Connectra.Backend.Application.SalesNavigator;

/// <summary>The scrape route's settings (section <c>SalesNavigator</c>; docs/operations.md#sales-navigator).</summary>
public sealed class SalesNavigatorOptions
{
    public const string SectionName = "SalesNavigator";

    /// <summary>
    /// Pages one replica parses at once. Each parse may hold up to <see cref="SalesNavigatorLimits.MaxParseAllocatedBytes"/>,
    /// so this times that is the most memory scraping can take; a request finding every slot taken is answered 503 at
    /// once instead of waiting in a queue that would hold its body.
    /// </summary>
    [Range(1, 64)]
    public int MaxConcurrentScrapes { get; set; } = 2;
}
