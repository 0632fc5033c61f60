using System.ComponentModel.DataAnnotations;

namespace Connectra.Backend.Application;

/// <summary>
/// Bound from "Limits": explicit ceilings on what one request may carry or ask, so that parsing and planning stay
/// cheap whatever a client sends, and Connectra is never sent a query it cannot run. docs/operations.md#limits
/// lists them; a request over a limit is refused with a 400 (413 for the body, 414 for the URL, 431 for headers)
/// that names the limit.
/// </summary>
public sealed class RequestLimits
{
    public const string SectionName = "Limits";

    /// <summary>Largest request body (bytes).</summary>
    [Range(1024L, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 1L << 20;

    /// <summary>
    /// Largest body of the few routes that take bulk input (bytes): an export of up to 100,000 uuids is about 4 MB, a
    /// saved Sales Navigator page a few MB.
    /// Every other route keeps <see cref="MaxBodyBytes"/>.
    /// </summary>
    [Range(1024L, 1L << 30)]
    public long MaxLargeBodyBytes { get; set; } = 8L << 20;

    /// <summary>Longest path plus query string (characters).</summary>
    [Range(256, 65_536)]
    public int MaxUrlLength { get; set; } = 8192;

    /// <summary>Largest sum of request header names and values (bytes).</summary>
    [Range(1024, 1 << 20)]
    public int MaxHeaderBytes { get; set; } = 32 * 1024;

    /// <summary>Deepest nesting of JSON objects and arrays in a body.</summary>
    [Range(4, 256)]
    public int MaxJsonDepth { get; set; } = 32;

    /// <summary>Most conditions in one filter tree.</summary>
    [Range(1, 10_000)]
    public int MaxConditions { get; set; } = 100;

    /// <summary>Deepest nesting of and/or groups in one filter tree.</summary>
    [Range(1, 64)]
    public int MaxGroupDepth { get; set; } = 8;

    /// <summary>Most values in one list: an in/nin value, the LinkedIn URLs of one lookup.</summary>
    [Range(1, 100_000)]
    public int MaxListValues { get; set; } = 1000;

    /// <summary>Longest text value searched in an analysed field (characters).</summary>
    [Range(16, 10_000)]
    public int MaxTextLength { get; set; } = 256;

    /// <summary>Most words one text condition may require, after AND'd conditions on a field are joined.</summary>
    [Range(1, 1024)]
    public int MaxWords { get; set; } = 16;

    /// <summary>Longest single word of a text search (characters); a fragment search expands each word into its pieces.</summary>
    [Range(5, 255)]
    public int MaxWordLength { get; set; } = 64;

    /// <summary>Most alternatives one text field may carry (an in list, an or group, and the AND of such).</summary>
    [Range(1, 1024)]
    public int MaxTextAlternatives { get; set; } = 50;

    /// <summary>Most entries in select_columns (and in company_config.select_columns).</summary>
    [Range(1, 1024)]
    public int MaxColumns { get; set; } = 64;

    /// <summary>Longest keyword value, sort expression, filter key or search text (characters).</summary>
    [Range(16, 65_536)]
    public int MaxStringLength { get; set; } = 1024;

    /// <summary>The defaults, for callers without configuration (tests, tools).</summary>
    public static RequestLimits Default { get; } = new();
}
