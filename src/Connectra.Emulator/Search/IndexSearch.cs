using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Connectra.Emulator.Search;

/// <summary>One hit of phase 1: what Connectra reads from Elasticsearch (uuid, company_id, sort values).</summary>
internal sealed record IndexHit(string Uuid, string CompanyId, IReadOnlyList<string>? Cursor);

/// <summary>
/// Phase 1 of a search and the count (docs/connectra.md#ordering, docs/connectra.md#paging, docs/connectra.md#execution-model): sort on keyword fields with arrays by their
/// smallest (asc) or largest (desc) element and missing values last, from/size paging, search_after cursors, and
/// Elasticsearch's and Connectra's failures where a client can trigger them.
/// </summary>
internal static class IndexSearch
{
    private const int DefaultLimit = 25;

    /// <param name="walk">
    /// Finds the candidates of pages sorted first by an ascending keyword; null runs every search as a plain sort
    /// (the reference the walk is tested against).
    /// </param>
    public static IReadOnlyList<IndexHit> Search(SearchIndex index, VqlRequest request, bool strict, SortedWalk? walk)
    {
        var sortKeys = request.OrderBy.Select(key => SortFor(index.Schema, key)).ToList();
        // Scores decide nothing in a sort without _score, so a walk may replace the query by its candidates.
        var walkField = walk is not null && sortKeys.Count > 0 && sortKeys.TrueForAll(k => k.Field.Type != SortFieldType.SCORE)
            ? sortKeys[0].WalkableField
            : null;
        var compiler = new VqlCompiler(index.Schema, strict);
        var (query, range) = walkField is null ? (compiler.Compile(request.Where), null) : compiler.CompileFolding(request.Where, walkField);
        var size = (int)(request.Limit > 0 ? request.Limit : DefaultLimit);
        // from uses the raw limit: "page" without "limit" stays on page 1, a negative limit goes negative (docs/connectra.md#x4).
        var from = request.Page > 0 ? (request.Page - 1) * request.Limit : 0;
        if (from < 0)
        {
            from = strict
                ? throw ConnectraFailure.Search("illegal_argument_exception", "[from] parameter cannot be negative")
                : 0;
        }

        FieldDoc? after = null;
        if (request.Cursor.Count > 0)
        {
            if (from > 0)
            {
                from = strict
                    ? throw ConnectraFailure.Search("illegal_argument_exception", "`from` parameter must be set to 0 when `search_after` is used.")
                    : 0;
            }

            after = After(request.Cursor, sortKeys);
        }

        return index.Search(searcher =>
        {
            var wanted = (int)Math.Min(from + size, int.MaxValue);
            TopDocs top;
            if (sortKeys.Count == 0)
            {
                top = searcher.Search(query, wanted);
            }
            else
            {
                var sort = new Sort(sortKeys.Select(k => k.Field).ToArray());
                // The candidates already satisfy the whole query, range included: only their order is left to decide.
                var sorted = walkField is null
                    ? query
                    : new ConstantScoreQuery(walk!.Candidates(
                        searcher, query, walkField, range ?? KeywordRange.Everything, after?.Fields[0] as BytesRef, wanted));
                top = after is null
                    ? searcher.Search(sorted, null, wanted, sort)
                    : searcher.SearchAfter(after, sorted, null, wanted, sort);
            }

            var page = top.ScoreDocs.Skip((int)Math.Min(from, int.MaxValue)).ToList();
            if (page.Count > 0 && strict && sortKeys.Find(k => k.DecodesAsNumber) is not null)
            {
                // Elasticsearch sorts fine, but Connectra decodes every sort value as a string (docs/connectra.md#x1).
                throw ConnectraFailure.Internal("json: cannot unmarshal number into Go struct field SearchHit.hits.hits.sort of type string");
            }

            return Hits(searcher, page, sortKeys.Count > 0);
        });
    }

    public static long Count(SearchIndex index, VqlRequest request, bool strict)
    {
        var query = new VqlCompiler(index.Schema, strict).Compile(request.Where);
        return index.Search(searcher =>
        {
            var collector = new TotalHitCountCollector();
            searcher.Search(new ConstantScoreQuery(query), collector);
            return (long)collector.TotalHits;
        });
    }

    /// <param name="WalkableField">Set for an ascending single-valued keyword key, whose terms list the order.</param>
    private sealed record SortKey(SortField Field, bool DecodesAsNumber, string? WalkableField = null);

    private static SortKey SortFor(IndexSchema schema, VqlSort key)
    {
        switch (key.Field)
        {
            case "_score":
                // Lucene's natural score order is descending.
                return new SortKey(new SortField(null, SortFieldType.SCORE, !key.Descending), true);
            case "_doc":
                return new SortKey(new SortField(null, SortFieldType.DOC, key.Descending), true);
        }

        switch (schema.Find(key.Field))
        {
            case FieldKind.Keyword:
                return new SortKey(StringSort(key.Field, key.Descending), false, key.Descending ? null : key.Field);
            case FieldKind.KeywordArray:
                var suffix = key.Descending ? IndexSchema.MaxSuffix : IndexSchema.MinSuffix;
                return new SortKey(StringSort(key.Field + suffix, key.Descending), false);
            case FieldKind.Long or FieldKind.Date:
                return new SortKey(new SortField(key.Field, SortFieldType.INT64, key.Descending), true);
            case FieldKind.Text:
                throw ConnectraFailure.Search("illegal_argument_exception",
                    "Text fields are not optimised for operations that require per-document field data like aggregations and sorting, " +
                    "so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on " +
                    $"[{key.Field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.");
            default:
                throw ConnectraFailure.Search("query_shard_exception", $"No mapping found for [{key.Field}] in order to sort on");
        }
    }

    /// <summary>Missing values sort last in both directions; Lucene's "first" flips to last when reversed.</summary>
    private static SortField StringSort(string field, bool descending)
    {
        var sort = new SortField(field, SortFieldType.STRING, descending);
        sort.SetMissingValue(descending ? SortField.STRING_FIRST : SortField.STRING_LAST);
        return sort;
    }

    /// <summary>
    /// Elasticsearch's search_after: a FieldDoc with the largest doc id, so hits tied with the cursor on every sort
    /// value are skipped — which is why callers must add a unique tie-breaker.
    /// </summary>
    private static FieldDoc After(IReadOnlyList<string> cursor, List<SortKey> sortKeys)
    {
        if (sortKeys.Count == 0)
        {
            throw ConnectraFailure.Search("illegal_argument_exception", "Sort must contain at least one field.");
        }

        if (cursor.Count != sortKeys.Count)
        {
            throw ConnectraFailure.Search("illegal_argument_exception",
                $"search_after has {cursor.Count} value(s) but sort has {sortKeys.Count}.");
        }

        var values = new object[cursor.Count];
        for (var i = 0; i < cursor.Count; i++)
        {
            var text = cursor[i];
            values[i] = sortKeys[i].Field.Type switch
            {
                SortFieldType.STRING => new BytesRef(text),
                SortFieldType.SCORE => float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var score)
                    ? score
                    : throw BadCursor(text),
                SortFieldType.DOC => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var doc)
                    ? doc
                    : throw BadCursor(text),
                _ => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                    ? number
                    : throw BadCursor(text),
            };
        }

        return new FieldDoc(int.MaxValue, float.NaN, values);
    }

    private static ConnectraFailure BadCursor(string text) =>
        ConnectraFailure.Search("illegal_argument_exception", $"failed to parse search_after value [{text}]");

    private static List<IndexHit> Hits(IndexSearcher searcher, List<ScoreDoc> page, bool withCursor)
    {
        var leaves = searcher.IndexReader.Leaves;
        var hits = new List<IndexHit>(page.Count);
        var scratch = new BytesRef();
        foreach (var scoreDoc in page)
        {
            var leaf = leaves[ReaderUtil.SubIndex(scoreDoc.Doc, leaves)];
            var doc = scoreDoc.Doc - leaf.DocBase;
            var uuid = Read(leaf.AtomicReader.GetSortedDocValues("uuid"), doc, scratch);
            var companyId = Read(leaf.AtomicReader.GetSortedDocValues("company_id"), doc, scratch);
            IReadOnlyList<string>? cursor = withCursor
                ? ((FieldDoc)scoreDoc).Fields.Select(CursorText).ToList()
                : null;
            hits.Add(new IndexHit(uuid, companyId, cursor));
        }

        return hits;
    }

    private static string Read(SortedDocValues? values, int doc, BytesRef scratch)
    {
        if (values is null)
        {
            return "";
        }

        values.Get(doc, scratch);
        return scratch.Utf8ToString();
    }

    /// <summary>A missing sort value comes back from Elasticsearch as null, which Connectra's []string makes "".</summary>
    private static string CursorText(object? value) => value switch
    {
        null => "",
        BytesRef bytes => bytes.Utf8ToString(),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
