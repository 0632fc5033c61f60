using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Application.SalesNavigator;

/// <summary>
/// One linear pass over the HTML before the parser sees it (docs/sales-navigator.md#limits): it must be Unicode text
/// without control characters, hold at least one element tag, nest no deeper than
/// <see cref="SalesNavigatorLimits.MaxDepth"/>, and make the parser build no more than
/// <see cref="SalesNavigatorLimits.MaxElements"/> elements, of which at most
/// <see cref="SalesNavigatorLimits.MaxRebuiltElements"/> reopened or cloned formatting elements. Every refusal is a
/// 400 naming <c>html</c>.
/// </summary>
/// <remarks>
/// The tree is modelled by <see cref="TreeModel"/>, which follows the tree builder's main rules (void elements,
/// raw-text elements, end tags that close what they name, siblings that close each other, self-closing tags only in
/// SVG and MathML, the list of active formatting elements). It errs on the side of more work: it never underestimates
/// the depth by more than a small factor (a table's implied rows and bodies), and counts every text as reopening
/// closed formatting elements, where the builder skips some in tables and foreign content.
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

    /// <summary>Start tags the tree builder handles without first reopening closed formatting elements.</summary>
    private static readonly HashSet<string> NoReconstruct = new(StringComparer.Ordinal)
    {
        "html", "head", "body", "base", "basefont", "bgsound", "link", "meta", "noframes", "script", "style", "template", "title",
        "frameset", "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
        "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p", "search", "section", "summary", "ul",
        "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form", "li", "dd", "dt", "plaintext", "table", "hr", "textarea",
        "iframe", "noembed", "noscript", "rb", "rtc", "rp", "rt", "caption", "col", "colgroup", "frame", "tbody", "td", "tfoot",
        "th", "thead", "tr", "param", "source", "track",
    };

    /// <summary>Elements that put a marker on the list of active formatting elements: nothing before it is reopened inside.</summary>
    private static readonly HashSet<string> Markers = new(StringComparer.Ordinal)
    {
        "td", "th", "caption", "template", "applet", "object", "marquee",
    };

    /// <summary>
    /// The tree builder's "special" elements: the first one inside a misnested formatting element is where the adoption
    /// agency moves content and clones formatting elements.
    /// </summary>
    private static readonly HashSet<string> Special = new(StringComparer.Ordinal)
    {
        "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote", "body", "br", "button",
        "caption", "center", "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt", "embed", "fieldset", "figcaption",
        "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr",
        "html", "iframe", "img", "input", "keygen", "li", "link", "listing", "main", "marquee", "menu", "meta", "nav", "noembed",
        "noframes", "noscript", "object", "ol", "p", "param", "plaintext", "pre", "script", "search", "section", "select",
        "source", "style", "summary", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "title", "tr",
        "track", "ul", "wbr", "xmp",
    };

    public static void Check(string html, CancellationToken ct)
    {
        if (html.Length > SalesNavigatorLimits.MaxHtmlChars)
        {
            throw Refuse($"is {html.Length} characters long; at most {SalesNavigatorLimits.MaxHtmlChars} are accepted");
        }

        CheckText(html);
        var tree = new TreeModel();
        var sawTag = false;
        var i = 0;
        var textFrom = 0;
        var tags = 0;
        while ((i = html.IndexOf('<', i)) >= 0)
        {
            if (++tags % 4096 == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            if (i > textFrom)
            {
                // Text in the body reopens the formatting elements an earlier end tag closed implicitly.
                tree.Reconstruct();
            }

            if (At(html, i, "<!--"))
            {
                i = textFrom = Skip(html, html.IndexOf("-->", i + 4, StringComparison.Ordinal), 3);
                continue;
            }

            if (At(html, i, "<!") || At(html, i, "<?"))
            {
                i = textFrom = Skip(html, html.IndexOf('>', i + 2), 1);
                continue;
            }

            var end = At(html, i, "</");
            var nameStart = end ? i + 2 : i + 1;
            if (nameStart >= html.Length || !char.IsAsciiLetter(html[nameStart]))
            {
                tree.Reconstruct();
                textFrom = ++i;
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
            i = textFrom = tagEnd;
            if (end)
            {
                tree.EndTag(name);
                continue;
            }

            var foreign = name is "svg" or "math" || tree.InForeign;
            tree.CountElement();
            if (!foreign && !NoReconstruct.Contains(name))
            {
                tree.StartTagReconstructs(name);
            }

            if (Void.Contains(name) || (selfClosing && foreign))
            {
                continue;
            }

            if (!foreign && Family.TryGetValue(name, out var family))
            {
                tree.CloseSibling(family, family is "li" or "dd" ? ListItemScope : Scope);
            }

            // Only a formatting element's attributes matter (identical entries replace each other); others cost no copy.
            tree.Push(name, foreign, !foreign && Formatting.Contains(name) ? html[nameEnd..tagEnd] : "");
            if (!foreign && RawText.Contains(name))
            {
                // Until its end tag, a raw-text element's content is text, whatever it looks like.
                var close = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                i = textFrom = close < 0 ? html.Length : close;
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

    /// <summary>An open element of the model's stack; <see cref="Entry"/> is its place on the formatting list.</summary>
    private sealed class OpenElement(string name, bool foreign, FormattingEntry? entry)
    {
        public string Name { get; } = name;
        public bool Foreign { get; } = foreign;
        public FormattingEntry? Entry { get; set; } = entry;
    }

    /// <summary>An entry of the list of active formatting elements; a marker has no name.</summary>
    private sealed class FormattingEntry(string? name, string attributes)
    {
        public string? Name { get; } = name;
        public string Attributes { get; } = attributes;
        public OpenElement? Element { get; set; }
    }

    /// <summary>
    /// A cheap model of the tree builder's stack of open elements and list of active formatting elements
    /// (docs/sales-navigator.md#limits). It counts the elements the builder would create on its own — formatting
    /// elements reopened after text and clones made by the adoption agency — because that work, not the length of
    /// the text, is what grows with elements × formatting entries.
    /// </summary>
    private sealed class TreeModel
    {
        private readonly List<OpenElement> _open = [];
        private readonly List<FormattingEntry> _active = [];
        private long _elements;
        private long _rebuilt;

        public bool InForeign => _open.Count > 0 && _open[^1].Foreign;

        public void CountElement()
        {
            if (++_elements + _rebuilt > SalesNavigatorLimits.MaxElements)
            {
                throw Refuse($"makes the HTML parser build more than {SalesNavigatorLimits.MaxElements} elements; that is not a Sales Navigator page");
            }
        }

        public void StartTagReconstructs(string name)
        {
            if (name == "a" && LastAfterMarker("a") is { } openLink)
            {
                // A link inside a link closes the first one as if by its end tag.
                Adopt("a");
                Forget(openLink);
            }

            Reconstruct();
            if (name == "nobr" && _open.Exists(e => e.Name == "nobr" && !e.Foreign))
            {
                Adopt("nobr");
                Reconstruct();
            }
        }

        public void Push(string name, bool foreign, string attributes)
        {
            var element = new OpenElement(name, foreign, null);
            _open.Add(element);
            if (!foreign && Formatting.Contains(name))
            {
                var key = attributes.Trim().TrimEnd('>', '/').Trim();
                NoahsArk(name, key);
                var entry = new FormattingEntry(name, key) { Element = element };
                element.Entry = entry;
                _active.Add(entry);
            }
            else if (!foreign && Markers.Contains(name))
            {
                _active.Add(new FormattingEntry(null, ""));
            }

            CheckDepth();
        }

        public void EndTag(string name)
        {
            if (!InForeign && Formatting.Contains(name))
            {
                Adopt(name);
                return;
            }

            for (var k = _open.Count - 1; k >= 0; k--)
            {
                if (_open[k].Name == name)
                {
                    Pop(k);
                    return;
                }
            }
        }

        public void CloseSibling(string family, HashSet<string> scope)
        {
            for (var k = _open.Count - 1; k >= 0; k--)
            {
                var current = _open[k].Name;
                if (Family.TryGetValue(current, out var other) && other == family)
                {
                    Pop(k);
                    return;
                }

                if (scope.Contains(current))
                {
                    return;
                }
            }
        }

        /// <summary>Reopens every formatting element closed since the last open one or marker, as the builder does.</summary>
        public void Reconstruct()
        {
            var first = _active.Count;
            while (first > 0 && _active[first - 1] is { Name: not null, Element: null })
            {
                first--;
            }

            if (first == _active.Count)
            {
                return;
            }

            Rebuild(_active.Count - first);
            for (var k = first; k < _active.Count; k++)
            {
                var element = new OpenElement(_active[k].Name!, false, _active[k]);
                _active[k].Element = element;
                _open.Add(element);
            }

            CheckDepth();
        }

        /// <summary>The adoption agency for an end tag of a formatting element, as far as it changes the stack and list.</summary>
        private void Adopt(string name)
        {
            for (var round = 0; round < 8; round++)
            {
                if (LastAfterMarker(name) is not { } entry)
                {
                    // No such formatting element: an ordinary end tag.
                    var k = _open.FindLastIndex(e => e.Name == name);
                    if (k >= 0)
                    {
                        Pop(k);
                    }

                    return;
                }

                if (entry.Element is not { } element)
                {
                    _active.Remove(entry);
                    return;
                }

                var at = _open.LastIndexOf(element);
                if (at < 0)
                {
                    // Not expected (an entry's element is always open), but a model slip must not become a 500.
                    Forget(entry);
                    return;
                }

                var furthest = _open.FindIndex(at + 1, e => !e.Foreign && Special.Contains(e.Name));
                if (furthest < 0)
                {
                    Pop(at);
                    _active.Remove(entry);
                    return;
                }

                // Between the formatting element and the block, the first three formatting elements are cloned, the
                // rest leave the list, and other elements leave the stack; the element itself is cloned under the block.
                var cloned = 0;
                for (var k = furthest - 1; k > at; k--)
                {
                    var between = _open[k];
                    if (between.Entry is not null && ++cloned <= 3)
                    {
                        continue;
                    }

                    if (between.Entry is { } dropped)
                    {
                        _active.Remove(dropped);
                        between.Entry = null;
                    }

                    _open.RemoveAt(k);
                    furthest--;
                }

                Rebuild(Math.Min(cloned, 3) + 1);
                _open.RemoveAt(at);
                var clone = new OpenElement(name, false, entry);
                entry.Element = clone;
                _open.Insert(furthest, clone);
            }
        }

        private FormattingEntry? LastAfterMarker(string name)
        {
            for (var k = _active.Count - 1; k >= 0 && _active[k].Name is not null; k--)
            {
                if (_active[k].Name == name)
                {
                    return _active[k];
                }
            }

            return null;
        }

        /// <summary>A fourth identical formatting element (same name and attributes) pushes the oldest off the list.</summary>
        private void NoahsArk(string name, string key)
        {
            var same = 0;
            for (var k = _active.Count - 1; k >= 0 && _active[k].Name is not null; k--)
            {
                if (_active[k].Name == name && _active[k].Attributes == key && ++same == 3)
                {
                    Forget(_active[k]);
                    return;
                }
            }
        }

        private void Forget(FormattingEntry entry)
        {
            _active.Remove(entry);
            if (entry.Element is { } element)
            {
                element.Entry = null;
            }
        }

        /// <summary>Pops the stack down to and including index <paramref name="k"/>.</summary>
        private void Pop(int k)
        {
            for (var top = _open.Count - 1; top >= k; top--)
            {
                var element = _open[top];
                _open.RemoveAt(top);
                if (element.Entry is { } entry)
                {
                    entry.Element = null;
                }
                else if (!element.Foreign && Markers.Contains(element.Name))
                {
                    var marker = _active.FindLastIndex(e => e.Name is null);
                    if (marker >= 0)
                    {
                        _active.RemoveRange(marker, _active.Count - marker);
                    }
                }
            }
        }

        private void Rebuild(int count)
        {
            _rebuilt += count;
            if (_rebuilt > SalesNavigatorLimits.MaxRebuiltElements)
            {
                throw Refuse($"misnests formatting elements so that the HTML parser would rebuild more than {SalesNavigatorLimits.MaxRebuiltElements} of them; that is not a Sales Navigator page");
            }

            if (_elements + _rebuilt > SalesNavigatorLimits.MaxElements)
            {
                throw Refuse($"makes the HTML parser build more than {SalesNavigatorLimits.MaxElements} elements; that is not a Sales Navigator page");
            }
        }

        /// <summary>Open elements plus the closed formatting elements the next text would reopen.</summary>
        private void CheckDepth()
        {
            var depth = _open.Count;
            for (var k = _active.Count - 1; k >= 0 && _active[k] is { Name: not null, Element: null }; k--)
            {
                depth++;
            }

            if (depth > SalesNavigatorLimits.MaxDepth)
            {
                throw Refuse($"nests elements more than {SalesNavigatorLimits.MaxDepth} levels deep; that is not a Sales Navigator page");
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
