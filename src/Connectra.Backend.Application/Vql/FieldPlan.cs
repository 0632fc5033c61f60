using System.Text.Json;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Vql;

/// <summary>
/// Everything the query asks of one field, in the slots Connectra offers for it. AND and OR of plans either fit
/// those slots faithfully or are refused; nothing is approximated.
/// </summary>
internal abstract class FieldPlan(FieldDefinition field, string path)
{
    public FieldDefinition Field { get; } = field;

    /// <summary>The location of the last condition folded in, named when the next one cannot be combined.</summary>
    public string Path { get; } = path;

    protected string Key => Field.ConnectraField!;

    public abstract FieldPlan And(FieldPlan other);

    public abstract FieldPlan Or(FieldPlan other, string orPath);

    public abstract void Emit(WhereBuilder where);
}

/// <summary>
/// A text field. Connectra ORs every text_matches.must condition that shares a filter_key (docs/connectra.md#compilation), so one field has
/// a single group of alternatives; must_not conditions each exclude on their own and can be stacked freely.
/// </summary>
internal sealed class TextPlan(
    FieldDefinition field,
    string path,
    IReadOnlyList<VqlTextMatch>? alternatives,
    IReadOnlyList<VqlTextMatch> exclusions,
    RequestLimits limits) : FieldPlan(field, path)
{
    public IReadOnlyList<VqlTextMatch>? Alternatives { get; } = alternatives;

    public IReadOnlyList<VqlTextMatch> Exclusions { get; } = exclusions;

    public override FieldPlan And(FieldPlan other)
    {
        var that = (TextPlan)other;
        return new TextPlan(Field, that.Path, AndAlternatives(that), Union(Exclusions, that.Exclusions, that.Path), limits);
    }

    /// <summary>
    /// AND distributes over the alternatives: (a or b) and (c or d) is four merged alternatives. The product is
    /// checked before anything is merged, so two large groups are refused at the cost of one multiplication.
    /// </summary>
    private List<VqlTextMatch>? AndAlternatives(TextPlan that)
    {
        if (Alternatives is null || that.Alternatives is null)
        {
            return (Alternatives ?? that.Alternatives)?.ToList();
        }

        var product = (long)Alternatives.Count * that.Alternatives.Count;
        if (product > limits.MaxTextAlternatives)
        {
            throw new VqlValidationException(that.Path,
                $"{Field.Name}: combining these conditions needs {product} alternatives (at most {limits.MaxTextAlternatives}, Limits:MaxTextAlternatives); split the query");
        }

        var combined = new List<VqlTextMatch>();
        foreach (var left in Alternatives)
        {
            foreach (var right in that.Alternatives)
            {
                var merged = Merge(left, right, that.Path)
                    ?? throw new VqlValidationException(that.Path,
                        $"{Field.Name}: Connectra ORs all text conditions on one field, so '{Describe(left)}' AND " +
                        $"'{Describe(right)}' cannot be sent as two conditions; only 'contains' conditions of the same kind " +
                        "(word or fragment search) combine with AND on one text field");
                if (!combined.Contains(merged))
                {
                    combined.Add(merged);
                }
            }
        }

        return combined;
    }

    /// <summary>
    /// Two bag-of-words conditions with operator "and" require every word of each, which is one condition with
    /// both word lists. Phrases (exact) cannot be merged: two phrases are not one phrase.
    /// </summary>
    private VqlTextMatch? Merge(VqlTextMatch left, VqlTextMatch right, string path)
    {
        if (left == right)
        {
            return left;
        }

        var mergeable = left.SearchType is VqlSearchType.Shuffle or VqlSearchType.Substring
            && left.SearchType == right.SearchType
            && left.Operator == VqlOperator.And && right.Operator == VqlOperator.And
            && left.Fuzzy == right.Fuzzy;
        return mergeable ? left with { TextValue = JoinWords(left.TextValue, right.TextValue, path) } : null;
    }

    /// <summary>Both word lists, each word once: repeating a word adds nothing to an "every word" search.</summary>
    private string JoinWords(string left, string right, string path)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var words = new List<string>();
        foreach (var word in left.Split(' ', StringSplitOptions.RemoveEmptyEntries).Concat(right.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (seen.Add(word))
            {
                words.Add(word);
            }
        }

        return words.Count <= limits.MaxWords
            ? string.Join(' ', words)
            : throw new VqlValidationException(path,
                $"{Field.Name}: these conditions together require {words.Count} words (at most {limits.MaxWords}, Limits:MaxWords); split the query");
    }

    public override FieldPlan Or(FieldPlan other, string orPath)
    {
        var that = (TextPlan)other;
        if (Exclusions.Count > 0 || that.Exclusions.Count > 0)
        {
            throw new VqlValidationException(orPath,
                $"{Field.Name}: a negative condition (ne, nin, ncontains) inside 'or' cannot be expressed; Connectra applies exclusions to the whole query");
        }

        return new TextPlan(Field, orPath, Union(Alternatives!, that.Alternatives!, orPath), [], limits);
    }

    public override void Emit(WhereBuilder where)
    {
        where.TextMust.AddRange(Alternatives ?? []);
        where.TextMustNot.AddRange(Exclusions);
    }

    private List<VqlTextMatch> Union(IReadOnlyList<VqlTextMatch> left, IReadOnlyList<VqlTextMatch> right, string path)
    {
        if (left.Count + right.Count > limits.MaxTextAlternatives)
        {
            throw new VqlValidationException(path,
                $"{Field.Name}: at most {limits.MaxTextAlternatives} text conditions per field (Limits:MaxTextAlternatives); split the query");
        }

        return left.Concat(right).Distinct().ToList();
    }

    private static string Describe(VqlTextMatch match) => $"{match.SearchType} \"{match.TextValue}\"";
}

/// <summary>
/// A keyword, keyword-array, long or date field: one keyword_match.must entry (any of its values), one
/// keyword_match.must_not entry (none of its values) and one range_query.must entry — each a dictionary slot.
/// </summary>
internal sealed class TermPlan(
    FieldDefinition field,
    string path,
    IReadOnlyList<object>? anyOf,
    IReadOnlyList<object> noneOf,
    RangePlan? range,
    RequestLimits limits) : FieldPlan(field, path)
{
    public IReadOnlyList<object>? AnyOf { get; } = anyOf;

    public IReadOnlyList<object> NoneOf { get; } = noneOf;

    public RangePlan? Range { get; } = range;

    private bool IsPurePositive => AnyOf is not null && NoneOf.Count == 0 && Range is null;

    public override FieldPlan And(FieldPlan other)
    {
        var that = (TermPlan)other;
        var range = Range is null ? that.Range : that.Range is null ? Range : Range.And(that.Range, Field);
        return new TermPlan(Field, that.Path, AndAnyOf(that), Bounded(NoneOf.Union(that.NoneOf), that.Path), range, limits);
    }

    private List<object>? AndAnyOf(TermPlan that)
    {
        if (AnyOf is null || that.AnyOf is null)
        {
            return (AnyOf ?? that.AnyOf)?.ToList();
        }

        var mine = AnyOf.ToHashSet();
        var theirs = that.AnyOf.ToHashSet();
        if (Field.Kind == FieldKind.KeywordArray)
        {
            // "has one of A" AND "has one of B" is one any-of list only when one list contains the other.
            if (mine.IsSubsetOf(theirs))
            {
                return AnyOf.ToList();
            }

            if (theirs.IsSubsetOf(mine))
            {
                return that.AnyOf.ToList();
            }

            throw new VqlValidationException(that.Path,
                $"{Field.Name} is a list field: Connectra keeps one any-of list per field, so 'has one of " +
                $"{Show(AnyOf)}' AND 'has one of {Show(that.AnyOf)}' cannot be expressed; split the query");
        }

        var common = AnyOf.Where(theirs.Contains).ToList();
        return common.Count > 0
            ? common
            : throw new VqlValidationException(that.Path,
                $"contradictory conditions on {Field.Name}: no single value is one of {Show(AnyOf)} and one of {Show(that.AnyOf)}");
    }

    public override FieldPlan Or(FieldPlan other, string orPath)
    {
        var that = (TermPlan)other;
        if (IsPurePositive && that.IsPurePositive)
        {
            return new TermPlan(Field, orPath, Bounded(AnyOf!.Union(that.AnyOf!), orPath), [], null, limits);
        }

        var reason = NoneOf.Count > 0 || that.NoneOf.Count > 0
            ? "a negative condition (ne, nin, ncontains) inside 'or' cannot be expressed; Connectra applies exclusions to the whole query"
            : "a range (gt, gte, lt, lte, exists, or eq on a date) inside 'or' cannot be expressed; Connectra keeps one range per field and ANDs it with everything else";
        throw new VqlValidationException(orPath, $"{Field.Name}: {reason}");
    }

    public override void Emit(WhereBuilder where)
    {
        if (AnyOf is not null)
        {
            where.KeywordMust[Key] = VqlValues.Terms(AnyOf);
        }

        if (NoneOf.Count > 0)
        {
            where.KeywordMustNot[Key] = VqlValues.Terms(NoneOf);
        }

        if (Range is not null)
        {
            where.RangeMust[Key] = Range.ToWire();
        }
    }

    /// <summary>One field's values, within the list limit whatever the number of conditions they came from.</summary>
    private List<object> Bounded(IEnumerable<object> values, string path)
    {
        var list = values.ToList();
        return list.Count <= limits.MaxListValues
            ? list
            : throw new VqlValidationException(path,
                $"{Field.Name}: these conditions together list {list.Count} values (at most {limits.MaxListValues}, Limits:MaxListValues); split the query");
    }

    private static string Show(IReadOnlyList<object> values) =>
        "[" + string.Join(", ", values.Select(v => v is string s ? $"\"{s}\"" : v.ToString())) + "]";
}

/// <summary>One bound of a range. <paramref name="Key"/> orders bounds of the same side: a long, a keyword string
/// (byte order) or the instant a date bound stands for; null for date math, which cannot be compared.</summary>
internal sealed record RangeBound(string Operator, JsonElement Value, object? Key, bool Exclusive, string Path);

internal sealed record RangePlan(RangeBound? Lower, RangeBound? Upper)
{
    /// <summary>Two ranges on one field AND'd are one range with the stricter bound on each side.</summary>
    public RangePlan And(RangePlan other, FieldDefinition field) =>
        new(Stricter(Lower, other.Lower, field, lower: true), Stricter(Upper, other.Upper, field, lower: false));

    private static RangeBound? Stricter(RangeBound? a, RangeBound? b, FieldDefinition field, bool lower)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }

        if (a.Key is null || b.Key is null)
        {
            if (a.Operator == b.Operator && a.Value.GetRawText() == b.Value.GetRawText())
            {
                return a;
            }

            throw new VqlValidationException(b.Path,
                $"{field.Name}: two {(lower ? "lower" : "upper")} bounds cannot be combined when one uses date math; send one");
        }

        var order = Compare(a.Key, b.Key);
        if (order == 0)
        {
            return a.Exclusive || !b.Exclusive ? a : b;
        }

        return (order > 0) == lower ? a : b;
    }

    private static int Compare(object a, object b) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (string x, string y) => VqlValues.CompareKeywords(x, y),
        (DateTime x, DateTime y) => x.CompareTo(y),
        _ => throw new InvalidOperationException($"Range bounds of different types: {a.GetType()} and {b.GetType()}."),
    };

    public VqlRange ToWire()
    {
        var range = new VqlRange();
        foreach (var bound in new[] { Lower, Upper })
        {
            range = bound?.Operator switch
            {
                "gte" => range with { Gte = bound.Value },
                "gt" => range with { Gt = bound.Value },
                "lte" => range with { Lte = bound.Value },
                "lt" => range with { Lt = bound.Value },
                _ => range,
            };
        }

        return range;
    }
}

/// <summary>Collects clauses in the order their fields first appear, so equal queries serialise identically.</summary>
internal sealed class WhereBuilder
{
    public List<VqlTextMatch> TextMust { get; } = [];

    public List<VqlTextMatch> TextMustNot { get; } = [];

    public OrderedDictionary<string, JsonElement> KeywordMust { get; } = [];

    public OrderedDictionary<string, JsonElement> KeywordMustNot { get; } = [];

    public OrderedDictionary<string, VqlRange> RangeMust { get; } = [];

    /// <summary>Null when nothing was asked: no empty list or object ever reaches Connectra.</summary>
    public VqlWhere? Build()
    {
        var text = TextMust.Count + TextMustNot.Count == 0
            ? null
            : new VqlTextMatches { Must = NullIfEmpty(TextMust), MustNot = NullIfEmpty(TextMustNot) };
        var keyword = KeywordMust.Count + KeywordMustNot.Count == 0
            ? null
            : new VqlKeywordMatch { Must = NullIfEmpty(KeywordMust), MustNot = NullIfEmpty(KeywordMustNot) };
        var range = RangeMust.Count == 0 ? null : new VqlRangeQuery { Must = RangeMust };
        return text is null && keyword is null && range is null
            ? null
            : new VqlWhere { TextMatches = text, KeywordMatch = keyword, RangeQuery = range };
    }

    private static List<VqlTextMatch>? NullIfEmpty(List<VqlTextMatch> list) => list.Count == 0 ? null : list;

    private static OrderedDictionary<string, JsonElement>? NullIfEmpty(OrderedDictionary<string, JsonElement> map) =>
        map.Count == 0 ? null : map;
}
