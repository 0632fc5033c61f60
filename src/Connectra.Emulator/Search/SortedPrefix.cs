using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Connectra.Emulator.Search;

/// <summary>
/// Narrows a sorted page to the documents that can be on it. A sort on an ascending keyword visits every match, which
/// over a million documents costs more than a page may take; but a keyword's terms are stored in sort order, so
/// walking them from the cursor finds, per segment, the first <c>wanted</c> matches (plus every tie with the cursor,
/// which later keys decide). The normal sorted search then runs on those candidates only, so results are exactly
/// those of the full sort.
/// </summary>
/// <param name="minimumMatches">
/// Below this many matches the plain sort is cheap, and a walk could cross most of the terms to find few hits. The
/// threshold only trades speed (<see cref="EmulatorOptions.TermWalkMinimumMatches"/>).
/// </param>
internal sealed class SortedPrefix(int minimumMatches)
{
    public const int DefaultMinimumMatches = 20_000;

    private long _walks;

    /// <summary>
    /// How many searches took the walk. Nothing in the answers shows which plan ran, so tests read this to prove
    /// their data reaches the walk.
    /// </summary>
    public long Walks => Interlocked.Read(ref _walks);

    /// <summary>A filter holding the candidates, or null when the plain sorted search is the better plan.</summary>
    public Filter? Candidates(IndexSearcher searcher, Query query, string field, BytesRef? after, int wanted)
    {
        var matches = new MatchCollector(searcher.IndexReader.Leaves.Count);
        searcher.Search(query, matches);
        if (matches.Count < minimumMatches)
        {
            return null;
        }

        Interlocked.Increment(ref _walks);
        var candidates = new FixedBitSet?[searcher.IndexReader.Leaves.Count];
        foreach (var leaf in searcher.IndexReader.Leaves)
        {
            var hits = matches.Bits[leaf.Ord];
            var terms = leaf.AtomicReader.GetTerms(field);
            if (hits is null || terms is null)
            {
                continue;
            }

            var chosen = new FixedBitSet(leaf.AtomicReader.MaxDoc);
            var beyondCursor = 0;
            var termsEnum = terms.GetEnumerator();
            var status = after is null ? TermsEnum.SeekStatus.NOT_FOUND : termsEnum.SeekCeil(after);
            var positioned = after is null ? termsEnum.MoveNext() : status != TermsEnum.SeekStatus.END;
            DocsEnum? docs = null;
            while (positioned && beyondCursor < wanted)
            {
                var isTie = after is not null && termsEnum.Term.Equals(after);
                docs = termsEnum.Docs(leaf.AtomicReader.LiveDocs, docs, DocsFlags.NONE);
                int doc;
                while ((doc = docs.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
                {
                    if (hits.Get(doc))
                    {
                        chosen.Set(doc);
                        beyondCursor += isTie ? 0 : 1;
                    }
                }

                positioned = termsEnum.MoveNext();
            }

            candidates[leaf.Ord] = chosen;
        }

        return new CandidateFilter(candidates);
    }

    private sealed class MatchCollector(int leaves) : ICollector
    {
        private FixedBitSet? _current;

        public FixedBitSet?[] Bits { get; } = new FixedBitSet?[leaves];

        public int Count { get; private set; }

        public bool AcceptsDocsOutOfOrder => true;

        public void SetScorer(Scorer scorer)
        {
        }

        public void SetNextReader(AtomicReaderContext context)
        {
            _current = new FixedBitSet(context.AtomicReader.MaxDoc);
            Bits[context.Ord] = _current;
        }

        public void Collect(int doc)
        {
            _current!.Set(doc);
            Count++;
        }
    }

    private sealed class CandidateFilter(FixedBitSet?[] candidates) : Filter
    {
        public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs) => candidates[context.Ord];
    }
}
