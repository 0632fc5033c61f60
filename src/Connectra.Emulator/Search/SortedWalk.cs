using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Connectra.Emulator.Search;

/// <summary>
/// Finds the only documents that can be on a page sorted first by an ascending keyword, without visiting every match
/// (docs/emulator.md#sorted-pages). A keyword's terms are stored in sort order, so the page lies among the first
/// <c>wanted</c> matches from max(cursor, the range's lower bound) in the segments' merged terms, plus every tie with
/// the cursor (later sort keys decide those); a <c>range_query</c> on the sort field is applied by where that walk
/// starts and stops, never by gathering its terms. The rest of the query is checked against per-segment match sets
/// kept across requests (<see cref="FilterCache"/>). The normal sorted search then runs on the candidates alone, so
/// pages are exactly those of the full sort.
/// </summary>
/// <param name="minimumMatches">
/// Below this many matches of the rest of the query, the candidates are found by reading each match's sort value
/// instead (few matches are cheap to read, and a walk could cross most of the terms to find them). Only speed depends
/// on it (<see cref="EmulatorOptions.TermWalkMinimumMatches"/>).
/// </param>
internal sealed class SortedWalk(int minimumMatches, FilterCache cache)
{
    public const int DefaultMinimumMatches = 20_000;

    private static readonly Comparer<BytesRef> TermOrder = Comparer<BytesRef>.Create((a, b) => a.CompareTo(b));

    private long _walks;
    private long _scans;

    /// <summary>
    /// How many searches walked the terms, and how many read sort values. Nothing in the answers shows which plan
    /// ran, so tests read these to prove their data reaches the plan they test.
    /// </summary>
    public long Walks => Interlocked.Read(ref _walks);

    public long Scans => Interlocked.Read(ref _scans);

    public FilterCache Cache => cache;

    /// <summary>
    /// A filter holding, per segment, every document that <paramref name="rest"/> and <paramref name="range"/> match
    /// and that can be among the first <paramref name="wanted"/> after <paramref name="after"/> in the sort.
    /// </summary>
    public Filter Candidates(IndexSearcher searcher, Query rest, string field, KeywordRange range, BytesRef? after, int wanted)
    {
        var leaves = searcher.IndexReader.Leaves;
        var matches = new SegmentMatches?[leaves.Count];
        long count;
        if (rest is MatchAllDocsQuery)
        {
            count = searcher.IndexReader.NumDocs;
        }
        else
        {
            Weight? weight = null;
            count = 0;
            foreach (var leaf in leaves)
            {
                var segment = cache.Get(leaf, rest, () => weight ??= searcher.CreateNormalizedWeight(rest));
                matches[leaf.Ord] = segment;
                count += segment.LiveCount(leaf.AtomicReader);
            }
        }

        var walk = count >= minimumMatches;
        Interlocked.Increment(ref walk ? ref _walks : ref _scans);
        var start = range.Start(after);
        var candidates = new int[]?[leaves.Count];
        if (walk)
        {
            Walk(leaves, matches, field, range, start, after, wanted, candidates);
        }
        else
        {
            foreach (var leaf in leaves)
            {
                candidates[leaf.Ord] = Scan(leaf.AtomicReader, field, matches[leaf.Ord]?.Bits, range, start);
            }
        }

        return new CandidateFilter(candidates);
    }

    /// <summary>
    /// The field's terms in order from <paramref name="start"/>, every segment's merged into one sequence, until
    /// <paramref name="wanted"/> matches lie beyond the cursor or the range ends. A term is always taken whole, in
    /// every segment, since later sort keys order the documents that share it.
    /// </summary>
    private static void Walk(
        IList<AtomicReaderContext> leaves, SegmentMatches?[] matches, string field, KeywordRange range, BytesRef? start,
        BytesRef? after, int wanted, int[]?[] candidates)
    {
        var segments = new PriorityQueue<SegmentTerms, BytesRef>(leaves.Count, TermOrder);
        foreach (var leaf in leaves)
        {
            var terms = leaf.AtomicReader.GetTerms(field)?.GetEnumerator();
            var positioned = terms is not null
                             && (start is null ? terms.MoveNext() : terms.SeekCeil(start) != TermsEnum.SeekStatus.END);
            if (positioned)
            {
                segments.Enqueue(new SegmentTerms(leaf, terms!, matches[leaf.Ord]?.Bits), terms!.Term);
            }
        }

        var chosen = new List<int>?[leaves.Count];
        var beyondCursor = 0;
        while (beyondCursor < wanted && segments.TryPeek(out _, out var smallest) && range.BelowUpper(smallest))
        {
            // The enum that owns the smallest term reuses its bytes when it moves on.
            var term = BytesRef.DeepCopyOf(smallest);
            var isTie = after is not null && term.Equals(after);
            var inRange = range.AboveLower(term);
            while (segments.TryPeek(out var segment, out var next) && next.Equals(term))
            {
                segments.Dequeue();
                if (inRange)
                {
                    var found = segment.Take(chosen[segment.Ord] ??= []);
                    beyondCursor += isTie ? 0 : found;
                }

                if (segment.Terms.MoveNext())
                {
                    segments.Enqueue(segment, segment.Terms.Term);
                }
            }
        }

        for (var ord = 0; ord < chosen.Length; ord++)
        {
            if (chosen[ord] is { } docs)
            {
                var sorted = docs.ToArray();
                Array.Sort(sorted);
                candidates[ord] = sorted;
            }
        }
    }

    /// <summary>One segment's terms enum, positioned on its next term, with what the rest of the query matches there.</summary>
    private sealed class SegmentTerms(AtomicReaderContext leaf, TermsEnum terms, FixedBitSet? rest)
    {
        private DocsEnum? _docs;

        public int Ord => leaf.Ord;

        public TermsEnum Terms => terms;

        /// <summary>Adds the live documents of the current term that the rest matches; returns how many.</summary>
        public int Take(List<int> chosen)
        {
            _docs = terms.Docs(leaf.AtomicReader.LiveDocs, _docs, DocsFlags.NONE);
            var found = 0;
            int doc;
            while ((doc = _docs.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
            {
                if (rest is null || rest.Get(doc))
                {
                    chosen.Add(doc);
                    found++;
                }
            }

            return found;
        }
    }

    /// <summary>
    /// Every live match whose sort value lies from <paramref name="start"/> to the range's end, read from the
    /// field's sorted doc values (ordinals compare as the terms do).
    /// </summary>
    private static int[]? Scan(AtomicReader reader, string field, FixedBitSet? rest, KeywordRange range, BytesRef? start)
    {
        var values = reader.GetSortedDocValues(field);
        if (values is null || values.ValueCount == 0)
        {
            return null;
        }

        var first = 0;
        if (start is not null)
        {
            var found = values.LookupTerm(start);
            first = found >= 0 ? found : -found - 1;
            if (found >= 0 && !range.AboveLower(start))
            {
                first++;
            }
        }

        var last = values.ValueCount - 1;
        if (range.Upper is not null)
        {
            var found = values.LookupTerm(range.Upper);
            last = found >= 0 ? (range.IncludeUpper ? found : found - 1) : -found - 2;
        }

        if (first > last)
        {
            return [];
        }

        var chosen = new List<int>();
        var liveDocs = reader.LiveDocs;
        var maxDoc = reader.MaxDoc;
        for (var doc = NextMatch(rest, 0, maxDoc); doc >= 0; doc = NextMatch(rest, doc + 1, maxDoc))
        {
            if (liveDocs is not null && !liveDocs.Get(doc))
            {
                continue;
            }

            var ord = values.GetOrd(doc);
            if (ord >= first && ord <= last)
            {
                chosen.Add(doc);
            }
        }

        return [.. chosen];
    }

    private static int NextMatch(FixedBitSet? rest, int from, int maxDoc) =>
        from >= maxDoc ? -1 : rest is null ? from : rest.NextSetBit(from);

    private sealed class CandidateFilter(int[]?[] candidates) : Filter
    {
        public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs) =>
            candidates[context.Ord] is { Length: > 0 } docs ? new SortedDocs(docs) : null;
    }

    /// <summary>Ascending document ids as a DocIdSet (candidates are few, so a bit set per segment would be waste).</summary>
    private sealed class SortedDocs(int[] docs) : DocIdSet
    {
        public override DocIdSetIterator GetIterator() => new Iterator(docs);

        private sealed class Iterator(int[] docs) : DocIdSetIterator
        {
            private int _index = -1;

            public override int DocID =>
                _index < 0 ? -1 : _index < docs.Length ? docs[_index] : NO_MORE_DOCS;

            public override int NextDoc() => ++_index < docs.Length ? docs[_index] : NO_MORE_DOCS;

            public override int Advance(int target)
            {
                var from = _index + 1;
                if (from >= docs.Length)
                {
                    _index = docs.Length;
                    return NO_MORE_DOCS;
                }

                var found = Array.BinarySearch(docs, from, docs.Length - from, target);
                _index = found >= 0 ? found : ~found;
                return DocID;
            }

            public override long GetCost() => docs.Length;
        }
    }
}
