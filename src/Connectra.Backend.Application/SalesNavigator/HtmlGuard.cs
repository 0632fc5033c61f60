using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Application.SalesNavigator;

/// <summary>
/// One linear pass over the HTML before the parser sees it (docs/sales-navigator.md#limits): it must be Unicode text
/// without control characters, hold at least one element tag, and nest no deeper than
/// <see cref="SalesNavigatorLimits.MaxDepth"/>. Every refusal is a 400 naming <c>html</c>.
/// </summary>
/// <remarks>
/// The depth is estimated with a stack of open elements that follows the tree builder's main rules (void elements,
/// raw-text elements, end tags that close what they name, siblings that close each other, self-closing tags only in
/// SVG and MathML). It never underestimates by more than a small factor (a table's implied rows and bodies), and
/// formatting elements closed implicitly still count, since the tree builder may reopen them.
/// </remarks>
internal static class HtmlGuard
{
    private static readonly HashSet<string> Void = new(StringComparer.Ordinal)
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link", "meta",
        "param", "source", "track", "wbr",
    };

    private static readonly HashSet<string> RawText = new(StringComparer.Ordinal)
    {
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
    };

    private static readonly HashSet<string> Formatting = new(StringComparer.Ordinal)
    {
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
    };

    /// <summary>Elements that end an open element of their family: a new <c>li</c> ends the open <c>li</c>.</summary>
    private static readonly Dictionary<string, string> Family = new(StringComparer.Ordinal)
    {
        ["li"] = "li", ["dt"] = "dd", ["dd"] = "dd", ["p"] = "p", ["option"] = "option", ["optgroup"] = "optgroup",
        ["tr"] = "tr", ["td"] = "td", ["th"] = "td", ["thead"] = "tbody", ["tbody"] = "tbody", ["tfoot"] = "tbody",
        ["rb"] = "ruby", ["rt"] = "ruby", ["rtc"] = "ruby", ["rp"] = "ruby",
    };

    /// <summary>Where the search for an open sibling stops: a new list, table or the like starts a new scope.</summary>
    private static readonly HashSet<string> Scope = new(StringComparer.Ordinal)
    {
        "ul", "ol", "dl", "menu", "table", "select", "datalist", "template", "button", "object", "marquee", "applet", "caption",
        "html", "body", "svg", "math",
    };

    /// <summary>
    /// Where a new <c>li</c>, <c>dt</c> or <c>dd</c> stops looking for the one it ends: the tree builder's "special"
    /// elements that can be open, except address, div and p.
    /// </summary>
    private static readonly HashSet<string> ListItemScope = new(StringComparer.Ordinal)
    {
        "applet", "article", "aside", "blockquote", "body", "button", "caption", "center", "colgroup", "details", "dir", "dl",
        "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header",
        "hgroup", "html", "iframe", "listing", "main", "marquee", "menu", "nav", "noembed", "noframes", "noscript", "object", "ol",
        "plaintext", "pre", "script", "search", "section", "select", "style", "summary", "table", "tbody", "td", "template",
        "textarea", "tfoot", "th", "thead", "title", "tr", "ul", "xmp", "svg", "math",
    };

    public static void Check(string html, CancellationToken ct)
    {
        if (html.Length > SalesNavigatorLimits.MaxHtmlChars)
        {
            throw Refuse($"is {html.Length} characters long; at most {SalesNavigatorLimits.MaxHtmlChars} are accepted");
        }

        CheckText(html);
        var open = new List<(string Name, bool Foreign)>();
        var reopenable = 0;
        var sawTag = false;
        var i = 0;
        var tags = 0;
        while ((i = html.IndexOf('<', i)) >= 0)
        {
            if (++tags % 4096 == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            if (At(html, i, "<!--"))
            {
                i = Skip(html, html.IndexOf("-->", i + 4, StringComparison.Ordinal), 3);
                continue;
            }

            if (At(html, i, "<!") || At(html, i, "<?"))
            {
                i = Skip(html, html.IndexOf('>', i + 2), 1);
                continue;
            }

            var end = At(html, i, "</");
            var nameStart = end ? i + 2 : i + 1;
            if (nameStart >= html.Length || !char.IsAsciiLetter(html[nameStart]))
            {
                i++;
                continue;
            }

            var nameEnd = nameStart;
            while (nameEnd < html.Length && !char.IsWhiteSpace(html[nameEnd]) && html[nameEnd] is not ('/' or '>'))
            {
                nameEnd++;
            }

            var name = html[nameStart..nameEnd].ToLowerInvariant();
            var (tagEnd, selfClosing) = TagEnd(html, nameEnd);
            sawTag = true;
            i = tagEnd;
            if (end)
            {
                reopenable += Close(open, name, reopenable);
                continue;
            }

            var foreign = name is "svg" or "math" || (open.Count > 0 && open[^1].Foreign);
            if (Void.Contains(name) || (selfClosing && foreign))
            {
                continue;
            }

            if (!foreign && Family.TryGetValue(name, out var family))
            {
                CloseSibling(open, family, family is "li" or "dd" ? ListItemScope : Scope, ref reopenable);
            }

            open.Add((name, foreign));
            if (open.Count + reopenable > SalesNavigatorLimits.MaxDepth)
            {
                throw Refuse($"nests elements more than {SalesNavigatorLimits.MaxDepth} levels deep; that is not a Sales Navigator page");
            }

            if (!foreign && RawText.Contains(name))
            {
                // Until its end tag, a raw-text element's content is text, whatever it looks like.
                var close = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                i = close < 0 ? html.Length : close;
            }
            else if (!foreign && name == "plaintext")
            {
                break;
            }
        }

        if (!sawTag)
        {
            throw Refuse("holds no HTML element; send the page's HTML source");
        }
    }

    /// <summary>Pops up to and including the innermost open <paramref name="name"/>; returns the change to <c>reopenable</c>.</summary>
    private static int Close(List<(string Name, bool Foreign)> open, string name, int reopenable)
    {
        for (var k = open.Count - 1; k >= 0; k--)
        {
            if (open[k].Name == name)
            {
                var implied = open.Skip(k + 1).Count(e => Formatting.Contains(e.Name));
                open.RemoveRange(k, open.Count - k);
                return implied;
            }
        }

        // An end tag for a formatting element that an earlier end tag closed implicitly.
        return Formatting.Contains(name) && reopenable > 0 ? -1 : 0;
    }

    private static void CloseSibling(List<(string Name, bool Foreign)> open, string family, HashSet<string> scope, ref int reopenable)
    {
        for (var k = open.Count - 1; k >= 0; k--)
        {
            var current = open[k].Name;
            if (Family.TryGetValue(current, out var other) && other == family)
            {
                reopenable += open.Skip(k + 1).Count(e => Formatting.Contains(e.Name));
                open.RemoveRange(k, open.Count - k);
                return;
            }

            if (scope.Contains(current))
            {
                return;
            }
        }
    }

    /// <summary>The index after the tag's closing '>', skipping quoted attribute values; and whether it ends in "/>".</summary>
    private static (int End, bool SelfClosing) TagEnd(string html, int from)
    {
        char? quote = null;
        var previous = ' ';
        for (var k = from; k < html.Length; k++)
        {
            var c = html[k];
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'' && previous == '=')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return (k + 1, previous == '/');
            }

            if (!char.IsWhiteSpace(c))
            {
                previous = c;
            }
        }

        return (html.Length, false);
    }

    private static void CheckText(string html)
    {
        for (var k = 0; k < html.Length; k++)
        {
            var c = html[k];
            if (char.IsHighSurrogate(c) && k + 1 < html.Length && char.IsLowSurrogate(html[k + 1]))
            {
                k++;
            }
            else if (char.IsSurrogate(c))
            {
                throw Refuse("is not valid Unicode text (a lone surrogate)");
            }
            else if (c < ' ' && c is not ('\n' or '\r' or '\t' or '\f'))
            {
                throw Refuse($"contains the control character U+{(int)c:X4}; HTML text has none");
            }
        }
    }

    private static bool At(string html, int index, string text) => string.CompareOrdinal(html, index, text, 0, text.Length) == 0;

    private static int Skip(string html, int found, int length) => found < 0 ? html.Length : found + length;

    private static VqlValidationException Refuse(string message) => new("html", message);
}
