using System.Globalization;
using System.Text;

namespace Connectra.Backend.Application.Exports;

/// <summary>What a rule of <see cref="CsvInjection"/> does with the characters it lists.</summary>
public enum CsvCharacterRule
{
    /// <summary>A cell whose very first character is one of these is neutralised, whatever follows.</summary>
    NeutralisedFirst,

    /// <summary>Skipped when looking for a cell's first visible character.</summary>
    Ignorable,

    /// <summary>A cell whose first visible character is one of these is neutralised.</summary>
    Formula,
}

/// <summary>One line of the neutralisation table: a Unicode general category, or code points and ranges of them.</summary>
public sealed record CsvCharacters(CsvCharacterRule Rule, string Description, UnicodeCategory? Category, IReadOnlyList<(int First, int Last)> Ranges)
{
    // Walked for every cell: an array, so that no enumerator is allocated.
    private readonly (int First, int Last)[] _ranges = [.. Ranges];

    public bool Contains(Rune rune)
    {
        if (Category is { } category)
        {
            return Rune.GetUnicodeCategory(rune) == category;
        }

        foreach (var (first, last) in _ranges)
        {
            if (rune.Value >= first && rune.Value <= last)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>As docs/exports.md writes it: <c>U+FF1D</c>, <c>U+2000–U+200A</c>, or a category's short name (<c>Cf</c>).</summary>
    public IEnumerable<string> Notation => Category is { } category
        ? [CategoryNames[category]]
        : Ranges.Select(r => r.First == r.Last ? $"U+{r.First:X4}" : $"U+{r.First:X4}–U+{r.Last:X4}");

    private static readonly Dictionary<UnicodeCategory, string> CategoryNames = new()
    {
        [UnicodeCategory.Control] = "Cc",
        [UnicodeCategory.Format] = "Cf",
        [UnicodeCategory.SpaceSeparator] = "Zs",
        [UnicodeCategory.LineSeparator] = "Zl",
        [UnicodeCategory.ParagraphSeparator] = "Zp",
    };
}

/// <summary>
/// Which cells a spreadsheet could run as a formula, and so get a leading <c>'</c> (docs/exports.md#formula-injection).
/// Spreadsheets differ in what they skip before looking for <c>=</c>, and some fold compatibility forms such as the
/// full-width <c>＝</c> into ASCII, so the table errs on the side of neutralising: everything invisible is skipped, and
/// every character whose compatibility form (NFKC) is <c>= + - @</c> counts. This one table drives the writer, and
/// a test holds the table in the docs to it.
/// </summary>
public static class CsvInjection
{
    public const char Prefix = '\'';

    public static IReadOnlyList<CsvCharacters> Table { get; } =
    [
        Points(CsvCharacterRule.NeutralisedFirst, "tab, carriage return", '\t', '\r'),

        Points(CsvCharacterRule.Formula, "= + - @", '=', '+', '-', '@'),
        Points(CsvCharacterRule.Formula, "full-width ＝ ＋ － ＠", '＝', '＋', '－', '＠'),
        Points(CsvCharacterRule.Formula, "small ﹦ ﹢ ﹣ ﹫", '﹦', '﹢', '﹣', '﹫'),
        Points(CsvCharacterRule.Formula, "superscript and subscript ⁺ ⁼ ₊ ₌", '⁺', '⁼', '₊', '₌'),
        Points(CsvCharacterRule.Formula, "Hebrew alternative plus sign ﬩", '﬩'),

        Category(CsvCharacterRule.Ignorable, "controls: NUL, tab, LF, CR and every other C0 and C1 control, DEL", UnicodeCategory.Control),
        Category(CsvCharacterRule.Ignorable,
            "format characters: soft hyphen, zero-width space, non-joiner and joiner (U+200B–U+200D), LRM and RLM, bidi embeddings and isolates, word joiner (U+2060) and the invisible operators, byte-order mark (U+FEFF), tags",
            UnicodeCategory.Format),
        Category(CsvCharacterRule.Ignorable,
            "space separators: space, no-break space (U+00A0), U+1680, U+2000–U+200A, U+202F, U+205F, ideographic space (U+3000)",
            UnicodeCategory.SpaceSeparator),
        Category(CsvCharacterRule.Ignorable, "line separator (U+2028)", UnicodeCategory.LineSeparator),
        Category(CsvCharacterRule.Ignorable, "paragraph separator (U+2029)", UnicodeCategory.ParagraphSeparator),
        Range(CsvCharacterRule.Ignorable, "combining grapheme joiner", 0x034F, 0x034F),
        Range(CsvCharacterRule.Ignorable, "Hangul fillers", 0x115F, 0x1160),
        Range(CsvCharacterRule.Ignorable, "Khmer inherent vowels", 0x17B4, 0x17B5),
        Range(CsvCharacterRule.Ignorable, "Mongolian variation selectors and vowel separator", 0x180B, 0x180F),
        Range(CsvCharacterRule.Ignorable, "unassigned, default-ignorable", 0x2065, 0x2065),
        Range(CsvCharacterRule.Ignorable, "Braille pattern blank", 0x2800, 0x2800),
        Range(CsvCharacterRule.Ignorable, "Hangul filler", 0x3164, 0x3164),
        Range(CsvCharacterRule.Ignorable, "variation selectors", 0xFE00, 0xFE0F),
        Range(CsvCharacterRule.Ignorable, "half-width Hangul filler", 0xFFA0, 0xFFA0),
        Range(CsvCharacterRule.Ignorable, "unassigned, default-ignorable", 0xFFF0, 0xFFF8),
        Range(CsvCharacterRule.Ignorable, "tags and variation selectors supplement", 0xE0000, 0xE0FFF),
    ];

    private static readonly CsvCharacters[] Ignorables = [.. Table.Where(c => c.Rule == CsvCharacterRule.Ignorable)];
    private static readonly CsvCharacters[] Formulas = [.. Table.Where(c => c.Rule == CsvCharacterRule.Formula)];
    private static readonly CsvCharacters[] NeutralisedFirsts = [.. Table.Where(c => c.Rule == CsvCharacterRule.NeutralisedFirst)];

    // The table applied to ASCII once, so that a cell starting with a letter or digit is decided by two array reads.
    private static readonly bool[] AsciiIgnorable = [.. Enumerable.Range(0, 128).Select(c => IsIn(Ignorables, new Rune(c)))];
    private static readonly bool[] AsciiFormula = [.. Enumerable.Range(0, 128).Select(c => IsIn(Formulas, new Rune(c)))];

    /// <summary>
    /// Whether the cell, as UTF-8, gets the leading <see cref="Prefix"/>: its first character is one the table
    /// neutralises whatever follows, or its first character that is not ignorable is a formula character. A
    /// malformed sequence counts as U+FFFD, as the writer replaces it.
    /// </summary>
    public static bool NeedsPrefix(ReadOnlySpan<byte> utf8)
    {
        var first = true;
        while (!utf8.IsEmpty)
        {
            if (utf8[0] < 0x80)
            {
                if (first && IsIn(NeutralisedFirsts, new Rune(utf8[0])))
                {
                    return true;
                }

                if (!AsciiIgnorable[utf8[0]])
                {
                    return AsciiFormula[utf8[0]];
                }

                utf8 = utf8[1..];
            }
            else
            {
                Rune.DecodeFromUtf8(utf8, out var rune, out var length);
                if (first && IsIn(NeutralisedFirsts, rune))
                {
                    return true;
                }

                if (!IsIgnorable(rune))
                {
                    return IsFormula(rune);
                }

                utf8 = utf8[length..];
            }

            first = false;
        }

        return false;
    }

    /// <summary>Whether <paramref name="rune"/> is skipped when looking for a cell's first visible character.</summary>
    public static bool IsIgnorable(Rune rune) => IsIn(Ignorables, rune);

    /// <summary>Whether <paramref name="rune"/> starts a formula when it is a cell's first visible character.</summary>
    public static bool IsFormula(Rune rune) => IsIn(Formulas, rune);

    /// <summary>Whether a cell that starts with <paramref name="rune"/> is neutralised whatever follows.</summary>
    public static bool IsNeutralisedFirst(Rune rune) => IsIn(NeutralisedFirsts, rune);

    private static bool IsIn(CsvCharacters[] set, Rune rune)
    {
        foreach (var characters in set)
        {
            if (characters.Contains(rune))
            {
                return true;
            }
        }

        return false;
    }

    private static CsvCharacters Points(CsvCharacterRule rule, string description, params ReadOnlySpan<char> characters) =>
        new(rule, description, null, [.. characters.ToArray().Select(c => ((int)c, (int)c))]);

    private static CsvCharacters Range(CsvCharacterRule rule, string description, int first, int last) =>
        new(rule, description, null, [(first, last)]);

    private static CsvCharacters Category(CsvCharacterRule rule, string description, UnicodeCategory category) =>
        new(rule, description, category, []);
}
