using System.Globalization;
using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Application.SalesNavigator;

/// <summary>A parsed results page: its metadata and its leads.</summary>
public sealed record SalesNavigatorPage(ExtractionMetadata ExtractionMetadata, PageMetadata PageMetadata, IReadOnlyList<SalesNavigatorProfile> Profiles);

/// <summary>
/// Reads a Sales Navigator results page (docs/sales-navigator.md#profiles): each lead block is one profile, its fields
/// found by the markers LinkedIn puts on them (<c>data-anonymize</c>, link paths, short badge texts), never by the
/// position of elements, which changes with every redesign. The HTML is checked by <see cref="HtmlGuard"/> first.
/// </summary>
public static class SalesNavigatorParser
{
    public const string LinkedInOrigin = "https://www.linkedin.com";

    private const string LeadPath = "/sales/lead/";
    private const string CompanyPath = "/sales/company/";

    /// <exception cref="VqlValidationException">The HTML is refused: a 400 naming <c>html</c>.</exception>
    public static SalesNavigatorPage Parse(string html, DateTimeOffset now, CancellationToken ct) =>
        Parse(html, now, SalesNavigatorLimits.MaxParseAllocatedBytes, SalesNavigatorLimits.MaxParseTime, ct);

    /// <summary>Parses within a budget of its own: tests show that the budget stops a parse without needing a page that exhausts the real one.</summary>
    internal static SalesNavigatorPage Parse(string html, DateTimeOffset now, long maxAllocatedBytes, TimeSpan maxTime, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(html);
        HtmlGuard.Check(html, ct);

        var budget = new ParseBudget(maxAllocatedBytes, maxTime, ct);
        IDocument document;
        try
        {
            // Scripting on, as in the browser the page was saved from: <noscript> content is text, which is dropped
            // below, so leads a script-less reader would see are not read (docs/sales-navigator.md#profiles).
            document = new HtmlParser(new HtmlParserOptions { IsScripting = true, OnCreated = (_, _) => budget.Element() })
                .ParseDocument(html);
        }
        catch (Exception e) when (e is not (OperationCanceledException or VqlValidationException))
        {
            // HTML parsing recovers from any markup; an exception here is the parser's own failure on hostile input,
            // which is still the input's problem, not a server error.
            throw new VqlValidationException("html", $"could not be parsed: {e.Message}");
        }

        using (document)
        {
            foreach (var hidden in document.QuerySelectorAll("noscript").ToList())
            {
                hidden.Remove();
            }

            var leads = document.QuerySelectorAll("div[data-x-search-result='LEAD']");
            if (leads.Length > SalesNavigatorLimits.MaxProfiles)
            {
                throw new VqlValidationException("html",
                    $"holds {leads.Length} leads; at most {SalesNavigatorLimits.MaxProfiles} are read from one page");
            }

            var search = SearchContextOf(document);
            var profiles = new List<SalesNavigatorProfile>(leads.Length);
            foreach (var lead in leads)
            {
                budget.Check();
                profiles.Add(ProfileQuality.Score(Profile(lead, search.SearchId)));
            }

            var (current, total) = PageNumbers(document);
            return new SalesNavigatorPage(
                ExtractionMetadata.At(now),
                new PageMetadata(search, new Pagination(current, total, profiles.Count), UserInfoOf(document), ApplicationInfoOf(document)),
                profiles);
        }
    }

    private static SalesNavigatorProfile Profile(IElement lead, string? searchId)
    {
        var nameElement = lead.QuerySelector("[data-anonymize='person-name']");
        var companyElement = lead.QuerySelector("[data-anonymize='company-name']");
        var profileUrl = Link(nameElement?.Closest("a") ?? lead.QuerySelector($"a[href*='{LeadPath}']"));
        var companyUrl = Link(companyElement?.Closest("a") ?? lead.QuerySelector($"a[href*='{CompanyPath}']"));
        var leadParts = PathSegment(profileUrl, LeadPath)?.Split(',') ?? [];
        var leaves = lead.QuerySelectorAll("*").Where(e => e.ChildElementCount == 0 && Text(e.TextContent) is not null).ToList();
        var hired = Leaf(leaves, text => Is(text, "Recently hired"));
        var mutual = Leaf(leaves, text => Count(text, "mutual connection") is not null);
        var groups = lead.QuerySelectorAll("a[href*='/groups/']")
            .Select(a => Text(a.TextContent) is { } name ? new SharedGroup(name, Link(a, keepQuery: false)) : null)
            .OfType<SharedGroup>().DistinctBy(g => g.Name).ToList();

        return new SalesNavigatorProfile
        {
            Name = Text(nameElement?.TextContent),
            Title = Anonymized(lead, "title"),
            Company = Text(companyElement?.TextContent),
            Location = Anonymized(lead, "location"),
            ProfileUrl = profileUrl,
            ImageUrl = Url(lead.QuerySelector("img[data-anonymize='headshot-photo']")?.GetAttribute("src"), keepQuery: true),
            ConnectionDegree = Degree(lead.QuerySelector("[class*='degree']")?.TextContent),
            About = Anonymized(lead, "person-blurb"),
            TimeInRole = Before(leaves, " in role"),
            TimeInCompany = Before(leaves, " in company"),
            LeadId = leadParts.Length > 0 && leadParts[0].Length > 0 ? leadParts[0] : null,
            LeadUrn = Text(lead.GetAttribute("data-scroll-into-view"))
                ?? (leadParts.Length == 3 ? $"urn:li:fs_salesProfile:({string.Join(',', leadParts)})" : null),
            SearchType = leadParts.Length > 1 && leadParts[1].Length > 0 ? leadParts[1] : null,
            SearchId = searchId,
            CompanyId = PathSegment(companyUrl, CompanyPath),
            CompanyUrl = companyUrl,
            IsPremiumMember = lead.QuerySelector("[type*='premium'], [class*='premium']") is not null,
            IsReachable = Leaf(leaves, text => Is(text, "Reachable")) is not null,
            LastActive = leaves.Select(e => Text(e.TextContent)!).FirstOrDefault(t => t.StartsWith("Active ", StringComparison.OrdinalIgnoreCase))?[7..],
            IsViewed = Leaf(leaves, text => Is(text, "Viewed")) is not null,
            MutualConnectionsCount = mutual is null ? null : Count(Text(mutual.TextContent)!, "mutual connection"),
            MutualConnections = mutual is null ? [] : Images(mutual, lead).Select(i => Text(i.GetAttribute("alt"))).OfType<string>().Distinct().ToList(),
            IsRecentlyHired = hired is not null,
            RecentlyHiredCompanyLogo = hired is null ? null : Images(hired, lead).Select(i => Url(i.GetAttribute("src"), keepQuery: true)).FirstOrDefault(u => u is not null),
            RecentPostsCount = leaves.Select(e => Count(Text(e.TextContent)!, "recent post")).FirstOrDefault(c => c is not null),
            SharedGroupsDetails = groups,
            SharedGroups = [.. groups.Select(g => g.Name)],
        };
    }

    private static string? Anonymized(IElement lead, string marker) =>
        Text(lead.QuerySelector($"[data-anonymize='{marker}']")?.TextContent);

    private static IElement? Leaf(List<IElement> leaves, Func<string, bool> match) =>
        leaves.FirstOrDefault(e => match(Text(e.TextContent)!));

    /// <summary>The images near a badge: in its closest ancestor that has any, up to the lead.</summary>
    private static IEnumerable<IElement> Images(IElement badge, IElement lead)
    {
        for (var node = badge.ParentElement; node is not null; node = node.ParentElement)
        {
            var images = node.QuerySelectorAll("img");
            if (images.Length > 0 || node == lead)
            {
                return images;
            }
        }

        return [];
    }

    private static bool Is(string text, string label) => string.Equals(text, label, StringComparison.OrdinalIgnoreCase);

    /// <summary>"3 years 2 months in role" → "3 years 2 months"; a badge may carry both spans, split by "|".</summary>
    private static string? Before(List<IElement> leaves, string suffix) =>
        leaves.SelectMany(e => Text(e.TextContent)!.Split('|'))
            .Select(part => part.Trim())
            .Where(part => part.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && part.Length > suffix.Length)
            .Select(part => part[..^suffix.Length].Trim())
            .FirstOrDefault();

    /// <summary>"12 mutual connections" → 12 for the noun "mutual connection"; null when the text is not that.</summary>
    private static int? Count(string text, string noun)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var rest = text[(space + 1)..];
        return rest.StartsWith(noun, StringComparison.OrdinalIgnoreCase)
            && rest.Length - noun.Length <= 1
            && int.TryParse(text[..space].Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : null;
    }

    /// <summary>"· 2nd" or "2nd degree connection" → "2nd"; "3rd+" stays as written.</summary>
    private static string? Degree(string? text) =>
        text?.Split([' ', '\u00B7', '\n', '\t', '\u00A0'], StringSplitOptions.RemoveEmptyEntries)
            .Select(token => token.TrimEnd('.', ',').ToLowerInvariant())
            .FirstOrDefault(token => token is "1st" or "2nd" or "3rd" or "3rd+");

    private static string? Link(IElement? anchor, bool keepQuery = false) => Url(anchor?.GetAttribute("href"), keepQuery);

    /// <summary>
    /// An absolute http(s) URL, or null. Site-relative links get LinkedIn's origin. Lead and company links lose their
    /// query and fragment: those carry per-session tokens, and the link keys the record (docs/sales-navigator.md#keys).
    /// </summary>
    public static string? Url(string? href, bool keepQuery)
    {
        var text = Text(href);
        if (text is null)
        {
            return null;
        }

        if (text.StartsWith("//", StringComparison.Ordinal))
        {
            text = "https:" + text;
        }
        else if (text.StartsWith('/'))
        {
            text = LinkedInOrigin + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            return null;
        }

        return keepQuery ? uri.AbsoluteUri : uri.GetLeftPart(UriPartial.Path);
    }

    /// <summary>The path segment after <paramref name="prefix"/> ("/sales/company/1234/people" → "1234").</summary>
    private static string? PathSegment(string? url, string prefix)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        var start = path.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var segment = path[(start + prefix.Length)..].Split('/')[0];
        return segment.Length > 0 ? segment : null;
    }

    /// <summary>Whitespace runs (non-breaking spaces included) become one space; empty becomes null.</summary>
    public static string? Text(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        var text = new StringBuilder(raw.Length);
        var space = false;
        foreach (var c in raw)
        {
            if (char.IsWhiteSpace(c))
            {
                space = text.Length > 0;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(c);
        }

        return text.Length > 0 ? text.ToString() : null;
    }

    /// <summary>"Page 2 of 40" anywhere in the page; page 1 of 1 without it.</summary>
    private static (int Current, int Total) PageNumbers(IDocument document)
    {
        foreach (var node in document.Body?.Descendants<IText>() ?? [])
        {
            if (!node.Data.AsSpan().TrimStart().StartsWith("Page", StringComparison.OrdinalIgnoreCase)
                || Text(node.ParentElement?.TextContent)?.Split(' ') is not { Length: 4 } words
                || !Is(words[0], "Page") || !Is(words[2], "of"))
            {
                continue;
            }

            if (int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var current)
                && int.TryParse(words[3], NumberStyles.None, CultureInfo.InvariantCulture, out var total)
                && current >= 1 && total >= current)
            {
                return (current, total);
            }
        }

        return (1, 1);
    }

    private static string? Meta(IDocument document, string name) =>
        Text(document.QuerySelectorAll("meta[name]").FirstOrDefault(m => m.GetAttribute("name") == name)?.GetAttribute("content"));

    /// <summary>The search behind the page, from its canonical URL's query string.</summary>
    private static SearchContext SearchContextOf(IDocument document)
    {
        var href = document.QuerySelector("link[rel='canonical']")?.GetAttribute("href")
            ?? document.QuerySelector("meta[property='og:url']")?.GetAttribute("content");
        var filters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string? searchId = null;
        string? sessionId = null;
        if (Url(href, keepQuery: true) is { } url && new Uri(url).Query is { Length: > 1 } query)
        {
            foreach (var pair in query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
                var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
                switch (key)
                {
                    case "sessionId":
                        sessionId = Text(value);
                        break;
                    case "searchId" or "savedSearchId":
                        searchId ??= Text(value);
                        break;
                    case "page":
                        break;
                    default:
                        filters.TryAdd(key, value);
                        break;
                }
            }
        }

        return new SearchContext(filters, searchId, sessionId);
    }

    private static UserInfo UserInfoOf(IDocument document)
    {
        using var init = Json(Meta(document, "__init"));
        var root = init?.RootElement;
        var name = String(root, "fullName")
            ?? (String(root, "firstName"), String(root, "lastName")) switch
            {
                (null, null) => null,
                var (first, last) => Text($"{first} {last}"),
            };
        return new UserInfo(String(root, "memberUrn"), name);
    }

    private static ApplicationInfo ApplicationInfoOf(IDocument document)
    {
        using var instance = Json(Meta(document, "applicationInstance"));
        return new ApplicationInfo(
            String(instance?.RootElement, "version"),
            Meta(document, "clientPageInstanceId"),
            Meta(document, "requestIpCountryCode"),
            String(instance?.RootElement, "trackingId"),
            Meta(document, "treeID"));
    }

    /// <summary>A meta tag's JSON content; anything else is no information rather than an error.</summary>
    private static JsonDocument? Json(string? content)
    {
        if (content is null || !content.StartsWith('{'))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(content);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? Text(value.GetString())
            : null;

    /// <summary>
    /// The time and memory one parse may spend (docs/sales-navigator.md#limits). The guard's model bounds the work it can
    /// foresee; this stops whatever it did not, checked as elements are built and between leads. Allocations are
    /// counted on the parsing thread: the parse is synchronous, so they are this request's.
    /// </summary>
    private sealed class ParseBudget(long maxAllocatedBytes, TimeSpan maxTime, CancellationToken ct)
    {
        private readonly long _startBytes = GC.GetAllocatedBytesForCurrentThread();
        private readonly long _startTicks = System.Diagnostics.Stopwatch.GetTimestamp();
        private int _elements;

        public void Element()
        {
            if (++_elements % 256 == 0)
            {
                Check();
            }
        }

        public void Check()
        {
            ct.ThrowIfCancellationRequested();
            if (_elements > SalesNavigatorLimits.MaxElements)
            {
                throw new VqlValidationException("html",
                    $"makes the HTML parser build more than {SalesNavigatorLimits.MaxElements} elements; that is not a Sales Navigator page");
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - _startBytes;
            if (allocated > maxAllocatedBytes)
            {
                throw new VqlValidationException("html",
                    $"needs more than {maxAllocatedBytes / (1024 * 1024)} MiB to parse; that is not a Sales Navigator page");
            }

            if (System.Diagnostics.Stopwatch.GetElapsedTime(_startTicks) > maxTime)
            {
                throw new VqlValidationException("html",
                    $"takes more than {maxTime.TotalSeconds:0} s to parse; that is not a Sales Navigator page");
            }
        }
    }
}
