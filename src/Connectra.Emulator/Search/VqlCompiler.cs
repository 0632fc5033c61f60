using System.Globalization;
using System.Text.Json;
using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Connectra.Emulator.Search;

/// <summary>
/// Compiles a VQL <c>where</c> into the Lucene query Elasticsearch would run for Connectra's bool query
/// (docs/connectra.md#compilation and the clause sections after it): text conditions grouped by field (OR inside a group, AND across), keyword terms
/// and ranges as non-scoring filters, every must_not condition on its own. Unknown fields match nothing, as
/// unmapped fields do in Elasticsearch.
/// </summary>
internal sealed class VqlCompiler(IndexSchema schema, bool strict)
{
    private const int MaxExpansions = 50;

    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public Query Compile(VqlConditions where) => Compile(where, foldedField: null).Query;

    /// <summary>
    /// The query without its <c>range_query</c> on <paramref name="field"/> (a keyword), and that range's bounds
    /// (null when there is none): the sorted walk applies the bounds by where it starts and stops, so the range's
    /// terms are never gathered. Together they match exactly what <see cref="Compile(VqlConditions)"/> matches.
    /// </summary>
    public (Query Others, KeywordRange? Range) CompileFolding(VqlConditions where, string field) => Compile(where, field);

    private (Query Query, KeywordRange? Folded) Compile(VqlConditions where, string? foldedField)
    {
        var root = new BooleanQuery();
        KeywordRange? folded = null;
        var positive = false;

        var groups = new Dictionary<string, BooleanQuery>(StringComparer.Ordinal);
        foreach (var condition in where.TextMust)
        {
            if (!IsKnownSearchType(condition.SearchType))
            {
                continue;
            }

            if (!groups.TryGetValue(condition.FilterKey, out var group))
            {
                group = new BooleanQuery { MinimumNumberShouldMatch = 1 };
                groups.Add(condition.FilterKey, group);
                root.Add(group, Occur.MUST);
                positive = true;
            }

            group.Add(Text(condition) ?? MatchNothing(), Occur.SHOULD);
        }

        foreach (var condition in where.TextMustNot)
        {
            if (IsKnownSearchType(condition.SearchType) && Text(condition) is { } excluded)
            {
                root.Add(excluded, Occur.MUST_NOT);
            }
        }

        foreach (var (field, value) in where.KeywordMust)
        {
            root.Add(Filter(Keyword(field, value) ?? MatchNothing()), Occur.MUST);
            positive = true;
        }

        foreach (var (field, value) in where.KeywordMustNot)
        {
            if (Keyword(field, value) is { } excluded)
            {
                root.Add(excluded, Occur.MUST_NOT);
            }
        }

        foreach (var (field, bounds) in where.RangeMust)
        {
            var range = Range(field, bounds);
            if (field == foldedField && range is KeywordRange keywords)
            {
                folded = keywords;
                continue;
            }

            root.Add(Filter(range.ToQuery(field)), Occur.MUST);
            positive = true;
        }

        if (root.Clauses.Count == 0)
        {
            return (new MatchAllDocsQuery(), folded);
        }

        // A bool query with only must_not clauses matches everything else in Elasticsearch; in Lucene it matches
        // nothing unless something positive is there.
        if (!positive)
        {
            root.Add(new MatchAllDocsQuery(), Occur.MUST);
        }

        return (root, folded);
    }

    private static bool IsKnownSearchType(string searchType) => searchType is "exact" or "shuffle" or "substring";

    /// <summary>Null when the analysed text has no tokens (Elasticsearch's zero_terms_query none).</summary>
    private Query? Text(VqlText condition)
    {
        var field = condition.FilterKey;
        var kind = schema.Find(field);
        if (kind is null)
        {
            return MatchNothing();
        }

        switch (condition.SearchType)
        {
            case "exact":
                if (condition.Slop < 0)
                {
                    throw ConnectraFailure.Search("illegal_argument_exception", "slop value cannot be negative");
                }

                return kind switch
                {
                    FieldKind.Text => new MatchBuilder(Analyzers.Standard, fuzzy: false)
                        .CreatePhraseQuery(field, condition.TextValue, (int)Math.Min(condition.Slop, int.MaxValue)),
                    FieldKind.Keyword or FieldKind.KeywordArray => new TermQuery(new Term(field, condition.TextValue)),
                    _ => Equality(field, kind.Value, condition.TextValue),
                };
            case "shuffle":
                var occur = Operator(condition.Operator);
                return kind switch
                {
                    FieldKind.Text => new MatchBuilder(Analyzers.Standard, condition.Fuzzy)
                        .CreateBooleanQuery(field, condition.TextValue, occur),
                    FieldKind.Keyword or FieldKind.KeywordArray => condition.Fuzzy
                        ? Fuzzy(new Term(field, condition.TextValue))
                        : new TermQuery(new Term(field, condition.TextValue)),
                    // Connectra always sends a fuzziness (0 when not fuzzy), which numbers and dates refuse.
                    _ => throw ConnectraFailure.Search("query_shard_exception",
                        $"Can only use fuzzy queries on keyword and text fields - not on [{field}] which is of type [{TypeName(kind.Value)}]"),
                };
            default:
                var substringOccur = Operator(condition.Operator);
                return kind == FieldKind.Text
                    ? new MatchBuilder(Analyzers.NGram, fuzzy: false)
                        .CreateBooleanQuery(field + Analyzers.NGramSuffix, condition.TextValue, substringOccur)
                    : MatchNothing();
        }
    }

    private static Occur Operator(string op) => op.ToUpperInvariant() switch
    {
        "" or "AND" => Occur.MUST,
        "OR" => Occur.SHOULD,
        _ => throw ConnectraFailure.Search("illegal_argument_exception", $"No enum constant org.elasticsearch.index.query.Operator.{op.ToUpperInvariant()}"),
    };

    /// <summary>A term (scalar) or terms (array) clause; null when it matches nothing and so excludes nothing.</summary>
    private Query? Keyword(string field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var values = value.EnumerateArray().ToList();
            if (values.Count == 0)
            {
                // Connectra sends a term query holding an empty array, which Elasticsearch refuses (docs/connectra.md#x5).
                return strict
                    ? throw ConnectraFailure.Search("parsing_exception", "[term] query does not support array of values")
                    : null;
            }

            var kind = schema.Find(field);
            if (kind is null)
            {
                return null;
            }

            if (kind is FieldKind.Keyword or FieldKind.KeywordArray or FieldKind.Text)
            {
                return new ConstantScoreQuery(new TermsFilter(field, values.Select(v => new BytesRef(TermText(v, "terms"))).ToArray()));
            }

            var any = new BooleanQuery();
            foreach (var item in values)
            {
                any.Add(Equality(field, kind.Value, TermText(item, "terms")), Occur.SHOULD);
            }

            return any;
        }

        var text = TermText(value, "term");
        return schema.Find(field) switch
        {
            null => null,
            FieldKind.Keyword or FieldKind.KeywordArray or FieldKind.Text => new TermQuery(new Term(field, text)),
            var kind => Equality(field, kind.Value, text),
        };
    }

    /// <summary>Equality on a long or date field, as Elasticsearch turns a term on them into a point range.</summary>
    private NumericRangeQuery<long> Equality(string field, FieldKind kind, string text)
    {
        if (kind == FieldKind.Date)
        {
            var zone = TimeZoneInfo.Utc;
            return NumericRangeQuery.NewInt64Range(field, IndexDocuments.PrecisionStep,
                DateMath.Parse(text, false, null, zone, _now), DateMath.Parse(text, true, null, zone, _now), true, true);
        }

        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw ConnectraFailure.Search("query_shard_exception", $"failed to create query: For input string: \"{text}\"");
        }

        if (number != decimal.Truncate(number))
        {
            throw ConnectraFailure.Search("query_shard_exception", $"failed to create query: Value [{text}] has a decimal part");
        }

        var exact = (long)number;
        return NumericRangeQuery.NewInt64Range(field, IndexDocuments.PrecisionStep, exact, exact, true, true);
    }

    private ParsedRange Range(string field, JsonElement? bounds)
    {
        if (bounds is not { } options)
        {
            throw ConnectraFailure.Search("parsing_exception", "[range] query malformed, no start_object after query name");
        }

        JsonElement? from = null, to = null;
        bool includeLower = true, includeUpper = true;
        string? format = null, timeZone = null;
        // Connectra re-marshals the bounds from a Go map, which sorts keys; Elasticsearch lets the last one win.
        foreach (var option in options.EnumerateObject().GroupBy(o => o.Name).Select(g => g.Last()).OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            var value = option.Value.ValueKind == JsonValueKind.Null ? (JsonElement?)null : option.Value;
            switch (option.Name)
            {
                case "from": from = value; break;
                case "to": to = value; break;
                case "gt": from = value; includeLower = false; break;
                case "gte": from = value; includeLower = true; break;
                case "lt": to = value; includeUpper = false; break;
                case "lte": to = value; includeUpper = true; break;
                case "include_lower": includeLower = option.Value.ValueKind == JsonValueKind.True; break;
                case "include_upper": includeUpper = option.Value.ValueKind == JsonValueKind.True; break;
                case "format": format = value?.ToString(); break;
                case "time_zone": timeZone = value?.ToString(); break;
                case "boost" or "_name" or "relation": break;
                default:
                    throw ConnectraFailure.Search("parsing_exception", $"[range] query does not support [{option.Name}]");
            }
        }

        switch (schema.Find(field))
        {
            case null:
                return new QueryRange(MatchNothing());
            case FieldKind.Long:
                return new QueryRange(NumericRangeQuery.NewInt64Range(field, IndexDocuments.PrecisionStep,
                    from is { } lower ? LongBound(lower, includeLower, isLower: true) : null,
                    to is { } upper ? LongBound(upper, includeUpper, isLower: false) : null,
                    true, true));
            case FieldKind.Date:
                var zone = DateMath.Zone(timeZone);
                // gt and lte round up (date-only "lte 2025-01-01" covers that whole day), gte and lt round down.
                long? fromMillis = from is { } f ? DateMath.Parse(f, !includeLower, format, zone, _now) : null;
                long? toMillis = to is { } t ? DateMath.Parse(t, includeUpper, format, zone, _now) : null;
                return new QueryRange(NumericRangeQuery.NewInt64Range(
                    field, IndexDocuments.PrecisionStep, fromMillis, toMillis, includeLower, includeUpper));
            default:
                return new KeywordRange(
                    from is { } fromTerm ? new BytesRef(TermText(fromTerm, "range")) : null,
                    to is { } toTerm ? new BytesRef(TermText(toTerm, "range")) : null,
                    includeLower, includeUpper);
        }
    }

    /// <summary>Elasticsearch's long bounds: fractions truncate, then move inwards; exclusive bounds step by one.</summary>
    private static long LongBound(JsonElement value, bool inclusive, bool isLower)
    {
        var text = value.ValueKind is JsonValueKind.String ? value.GetString()! : value.GetRawText();
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw ConnectraFailure.Search("number_format_exception", $"For input string: \"{text}\"");
        }

        var truncated = decimal.Truncate(number);
        var hasFraction = truncated != number;
        var bound = (long)Math.Clamp(truncated, long.MinValue, long.MaxValue);
        if (isLower && ((!hasFraction && !inclusive) || (hasFraction && number > 0)))
        {
            bound = bound == long.MaxValue ? bound : bound + 1;
        }
        else if (!isLower && ((!hasFraction && !inclusive) || (hasFraction && number < 0)))
        {
            bound = bound == long.MinValue ? bound : bound - 1;
        }

        return bound;
    }

    /// <summary>The text Elasticsearch sees for a value Go re-marshalled: numbers went through float64.</summary>
    private static string TermText(JsonElement value, string clause) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => GoFloat(value.GetDouble()),
        JsonValueKind.Null => throw ConnectraFailure.Search("parsing_exception", $"[{clause}] query does not support null values"),
        _ => throw ConnectraFailure.Search("parsing_exception", $"[{clause}] query does not support [{GoKindName(value)}] values"),
    };

    private static string GoKindName(JsonElement value) => value.ValueKind == JsonValueKind.Object ? "object" : "array";

    private static string GoFloat(double value)
    {
        if (Math.Abs(value) < 1e21 && value == Math.Floor(value))
        {
            return ((decimal)value).ToString(CultureInfo.InvariantCulture);
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Replace("E+", "e+", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal);
    }

    private static string TypeName(FieldKind kind) => kind == FieldKind.Date ? "date" : "long";

    /// <summary>Fuzziness AUTO: 0 edits up to 2 characters, 1 up to 5, then 2; a transposition is one edit.</summary>
    private static Query Fuzzy(Term term)
    {
        var text = term.Text;
        var length = text.EnumerateRunes().Count();
        var edits = length < 3 ? 0 : length < 6 ? 1 : 2;
        return edits == 0
            ? new TermQuery(term)
            : new FuzzyQuery(term, edits, prefixLength: 0, MaxExpansions, transpositions: true);
    }

    private static ConstantScoreQuery Filter(Query query) => new ConstantScoreQuery(query) { Boost = 0 };

    /// <summary>A range on a long, date or unknown field: only ever a query.</summary>
    private sealed record QueryRange(Query Query) : ParsedRange
    {
        public override Query ToQuery(string field) => Query;
    }

    /// <summary>Lucene 4.8 has no MatchNoDocsQuery; an empty bool query is the same thing.</summary>
    private static BooleanQuery MatchNothing() => new();

    /// <summary>Elasticsearch's match query: tokens sharing a position are alternatives, fuzzy terms if asked.</summary>
    private sealed class MatchBuilder(Analyzer analyzer, bool fuzzy) : QueryBuilder(analyzer)
    {
        protected override Query NewTermQuery(Term term) => fuzzy ? Fuzzy(term) : base.NewTermQuery(term);
    }
}
