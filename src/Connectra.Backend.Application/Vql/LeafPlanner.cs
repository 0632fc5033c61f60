using System.Text.Json;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Vql;

/// <summary>
/// The operator × field-kind table of docs/vql.md: one condition to the native clause that means it, within the
/// request limits.
/// </summary>
internal sealed class LeafPlanner(RequestLimits limits)
{
    public FieldPlan Plan(FilterLeaf leaf) => leaf.Field.Kind switch
    {
        FieldKind.Text => PlanText(leaf),
        FieldKind.Keyword or FieldKind.KeywordArray => PlanKeyword(leaf),
        FieldKind.Long => PlanLong(leaf),
        FieldKind.Date => PlanDate(leaf),
        _ => throw new InvalidOperationException($"{leaf.Field.Name} is not filterable."),
    };

    private TextPlan PlanText(FilterLeaf leaf)
    {
        var field = leaf.Field;
        switch (leaf.Operator)
        {
            case FilterOperator.Eq:
                return Text(leaf, [Phrase(field, VqlValues.Text(VqlValues.Scalar(leaf), leaf.ValuePath, field, limits))], []);
            case FilterOperator.Ne:
                return Text(leaf, null, [Phrase(field, VqlValues.Text(VqlValues.Scalar(leaf), leaf.ValuePath, field, limits))]);
            case FilterOperator.In:
                return Text(leaf, Phrases(leaf), []);
            case FilterOperator.Nin:
                return Text(leaf, null, Phrases(leaf));
            case FilterOperator.Contains:
                return Text(leaf, [Contains(leaf)], []);
            case FilterOperator.NContains:
                return Text(leaf, null, [Contains(leaf)]);
            case FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte:
                throw Refuse(leaf,
                    "it is a text field, which Connectra searches by analysed words, so it cannot compare whole values; ranges are not available");
            case FilterOperator.Exists:
                throw Refuse(leaf, "Connectra has no existence test for text fields");
            default:
                throw RefuseNexists(leaf);
        }
    }

    private TextPlan Text(FilterLeaf leaf, IReadOnlyList<VqlTextMatch>? alternatives, IReadOnlyList<VqlTextMatch> exclusions) =>
        new(leaf.Field, leaf.Path, alternatives, exclusions, limits);

    private List<VqlTextMatch> Phrases(FilterLeaf leaf)
    {
        var items = VqlValues.List(leaf, limits);
        if (items.Count > limits.MaxTextAlternatives)
        {
            // Each phrase is its own clause in Connectra's query; past this many the search engine refuses it.
            throw new VqlValidationException(leaf.ValuePath,
                $"{leaf.Field.Name} is a text field: '{leaf.OperatorName}' takes at most {limits.MaxTextAlternatives} phrases on it (Limits:MaxTextAlternatives), not {items.Count}");
        }

        return items.Select(item => Phrase(leaf.Field, VqlValues.Text(item.Value, item.Path, leaf.Field, limits))).Distinct().ToList();
    }

    /// <summary>exact with slop 0: the words in this order, next to each other — a phrase, not string equality.</summary>
    private static VqlTextMatch Phrase(FieldDefinition field, string text) => new()
    {
        TextValue = text,
        FilterKey = field.ConnectraField!,
        SearchType = VqlSearchType.Exact,
        Slop = 0,
    };

    /// <summary>
    /// Word search (shuffle, every word, no fuzziness) unless the client asks for fragments with '*' or the field
    /// holds URLs. Fragment search (substring) silently ignores words under 5 characters and matches nothing when
    /// none is long enough, so such words are refused rather than dropped.
    /// </summary>
    private VqlTextMatch Contains(FilterLeaf leaf)
    {
        var field = leaf.Field;
        var raw = VqlValues.String(VqlValues.Scalar(leaf), leaf.ValuePath, field, limits.MaxTextLength);
        var fragments = field.FragmentSearch || raw.Contains('*', StringComparison.Ordinal);
        var text = VqlValues.CheckText(raw.Replace('*', ' '), leaf.ValuePath, limits);
        if (!fragments)
        {
            return new VqlTextMatch
            {
                TextValue = text,
                FilterKey = field.ConnectraField!,
                SearchType = VqlSearchType.Shuffle,
                Operator = VqlOperator.And,
                Fuzzy = false,
            };
        }

        var shortWords = VqlValues.Words(text).Where(w => w.Length < VqlValues.MinimumFragmentLength).ToList();
        if (shortWords.Count > 0)
        {
            var hint = field.FragmentSearch
                ? "use 'eq' with the whole value instead"
                : "send whole words without '*' for word search";
            throw new VqlValidationException(leaf.ValuePath,
                $"fragment search in {field.Name} needs pieces of at least {VqlValues.MinimumFragmentLength} characters; " +
                $"Connectra ignores shorter ones ({string.Join(", ", shortWords.Select(w => $"'{w}'"))}); {hint}");
        }

        return new VqlTextMatch
        {
            TextValue = text,
            FilterKey = field.ConnectraField!,
            SearchType = VqlSearchType.Substring,
            Operator = VqlOperator.And,
            Fuzzy = false,
        };
    }

    private TermPlan PlanKeyword(FilterLeaf leaf)
    {
        var field = leaf.Field;
        var isArray = field.Kind == FieldKind.KeywordArray;
        switch (leaf.Operator)
        {
            case FilterOperator.Eq:
                return Terms(leaf, [Keyword(leaf)], [], null);
            case FilterOperator.Ne:
                return Terms(leaf, null, [Keyword(leaf)], null);
            case FilterOperator.In:
                return Terms(leaf, Keywords(leaf), [], null);
            case FilterOperator.Nin:
                return Terms(leaf, null, Keywords(leaf), null);
            case FilterOperator.Contains when isArray:
                return Terms(leaf, [Keyword(leaf)], [], null);
            case FilterOperator.NContains when isArray:
                return Terms(leaf, null, [Keyword(leaf)], null);
            case FilterOperator.Contains or FilterOperator.NContains:
                throw Refuse(leaf,
                    "it is a keyword field, which Connectra matches as a whole, case-sensitive value: there is no partial match; use eq/in (or ne/nin) with the whole value");
            case FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte when isArray:
                throw Refuse(leaf,
                    "it is a list field; a range would hold when any one element is in it, and two ranges could be met by different elements, so ranges are not offered");
            case FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte:
            {
                var text = VqlValues.String(VqlValues.Scalar(leaf), leaf.ValuePath, field, limits.MaxStringLength);
                return Terms(leaf, null, [], Bound(leaf, VqlValue.Of(text), text, text));
            }

            case FilterOperator.Exists:
                // A range matches only documents that have a value in it, and nothing sorts before "", so "> ''"
                // is exactly "has a non-empty value" — what the API shows as present (Connectra omits "" and []).
                return Terms(leaf, null, [],
                    new RangePlan(new RangeBound("gt", VqlValue.Of(""), "", Exclusive: true, leaf.Path), null));
            default:
                throw RefuseNexists(leaf);
        }
    }

    private string Keyword(FilterLeaf leaf) =>
        VqlValues.String(VqlValues.Scalar(leaf), leaf.ValuePath, leaf.Field, limits.MaxStringLength);

    private List<object> Keywords(FilterLeaf leaf) =>
        VqlValues.List(leaf, limits).Select(item => (object)VqlValues.String(item.Value, item.Path, leaf.Field, limits.MaxStringLength)).Distinct().ToList();

    private TermPlan PlanLong(FilterLeaf leaf)
    {
        switch (leaf.Operator)
        {
            case FilterOperator.Eq:
                return Terms(leaf, [Number(leaf)], [], null);
            case FilterOperator.Ne:
                return Terms(leaf, null, [Number(leaf)], null);
            case FilterOperator.In:
                return Terms(leaf, Numbers(leaf), [], null);
            case FilterOperator.Nin:
                return Terms(leaf, null, Numbers(leaf), null);
            case FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte:
            {
                var number = Number(leaf);
                return Terms(leaf, null, [], Bound(leaf, VqlValue.Of(number), number, number));
            }

            case FilterOperator.Contains or FilterOperator.NContains:
                throw Refuse(leaf, "it is a number; use eq/in or a range");
            case FilterOperator.Exists:
                throw Refuse(leaf,
                    "Connectra has no existence test, and no range can stand in for one: an empty number is stored as 0, which the API shows as absent");
            default:
                throw RefuseNexists(leaf);
        }
    }

    private static long Number(FilterLeaf leaf) => VqlValues.Long(VqlValues.Scalar(leaf), leaf.ValuePath, leaf.Field);

    private List<object> Numbers(FilterLeaf leaf) =>
        VqlValues.List(leaf, limits).Select(item => (object)VqlValues.Long(item.Value, item.Path, leaf.Field)).Distinct().ToList();

    private TermPlan PlanDate(FilterLeaf leaf)
    {
        switch (leaf.Operator)
        {
            case FilterOperator.Eq:
                return DayOrInstant(leaf, VqlValues.Date(VqlValues.Scalar(leaf), leaf.ValuePath, leaf.Field));
            case FilterOperator.In:
            {
                var items = VqlValues.List(leaf, limits);
                if (items.Count > 1)
                {
                    throw new VqlValidationException(leaf.ValuePath,
                        $"{leaf.Field.Name}: several dates would need several ranges OR'd on one field, which Connectra cannot express; send one date or a range");
                }

                return DayOrInstant(leaf, VqlValues.Date(items[0].Value, items[0].Path, leaf.Field));
            }

            case FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte:
            {
                var date = VqlValues.Date(VqlValues.Scalar(leaf), leaf.ValuePath, leaf.Field);
                object? low = date.Start, high = date.End;
                return Terms(leaf, null, [], Bound(leaf, date.Wire, low, high));
            }

            case FilterOperator.Ne or FilterOperator.Nin:
                throw Refuse(leaf,
                    "excluding a date needs a negated range, which Connectra drops without a word (range_query.must_not is never compiled)");
            case FilterOperator.Contains or FilterOperator.NContains:
                throw Refuse(leaf, "it is a date; use eq or a range");
            case FilterOperator.Exists:
                throw Refuse(leaf, "every indexed document has it, so the condition would say nothing");
            default:
                throw RefuseNexists(leaf);
        }
    }

    /// <summary>
    /// eq on a date is gte and lte of the same value: a date alone then covers its whole UTC day (Connectra
    /// completes gte to the day's start and lte to its end), a date-time the one millisecond.
    /// </summary>
    private TermPlan DayOrInstant(FilterLeaf leaf, DateValue date) =>
        Terms(leaf, null, [], new RangePlan(
            new RangeBound("gte", date.Wire, date.Start, Exclusive: false, leaf.Path),
            new RangeBound("lte", date.Wire, date.End, Exclusive: false, leaf.Path)));

    /// <summary>
    /// A single bound. For dates the comparison key is the instant Connectra makes of it: a date alone is completed
    /// to its day's start for gte/lt and its end for gt/lte (docs/connectra.md#range-query).
    /// </summary>
    private static RangePlan Bound(FilterLeaf leaf, JsonElement wire, object? startKey, object? endKey) =>
        leaf.Operator switch
        {
            FilterOperator.Gte => new RangePlan(new RangeBound("gte", wire, startKey, false, leaf.Path), null),
            FilterOperator.Gt => new RangePlan(new RangeBound("gt", wire, endKey, true, leaf.Path), null),
            FilterOperator.Lte => new RangePlan(null, new RangeBound("lte", wire, endKey, false, leaf.Path)),
            _ => new RangePlan(null, new RangeBound("lt", wire, startKey, true, leaf.Path)),
        };

    private TermPlan Terms(FilterLeaf leaf, IReadOnlyList<object>? anyOf, IReadOnlyList<object> noneOf, RangePlan? range) =>
        new(leaf.Field, leaf.Path, anyOf, noneOf, range, limits);

    private static VqlValidationException Refuse(FilterLeaf leaf, string reason) =>
        new(leaf.OperatorPath, $"'{leaf.OperatorName}' is not available on {leaf.Field.Name}: {reason}");

    private static VqlValidationException RefuseNexists(FilterLeaf leaf) =>
        new(leaf.OperatorPath,
            $"'nexists' is not available on {leaf.Field.Name}: finding documents without a value needs a negated range or existence query, which Connectra does not compile");
}
