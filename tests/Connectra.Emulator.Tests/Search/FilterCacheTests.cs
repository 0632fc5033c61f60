using Connectra.Emulator.Search;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;

namespace Connectra.Emulator.Tests.Search;

/// <summary>
/// The match sets a sorted page checks its other conditions against: computed once per segment and query, kept
/// across requests and across deletions, dropped with their segment, and never more than the configured memory.
/// </summary>
public sealed class FilterCacheTests
{
    private static readonly Query NotDeleted = new BooleanQuery
    {
        { new MatchAllDocsQuery(), Occur.MUST },
        { new TermQuery(new Term("status", "deleted")), Occur.MUST_NOT },
    };

    [Fact]
    public void A_segment_is_computed_once_per_query_and_deletions_change_only_the_live_count()
    {
        using var index = new Index(segments: 2, perSegment: 10);
        var cache = new FilterCache(1024 * 1024);

        var first = index.Matches(cache, NotDeleted);
        var again = index.Matches(cache, NotDeleted);
        var equal = index.Matches(cache, new BooleanQuery
        {
            { new MatchAllDocsQuery(), Occur.MUST },
            { new TermQuery(new Term("status", "deleted")), Occur.MUST_NOT },
        });
        var missesBeforeDelete = cache.Misses;
        index.Writer.DeleteDocuments(new Term("id", "3"));
        var afterDelete = index.Matches(cache, NotDeleted);

        Assert.Equal(2, missesBeforeDelete); // one per segment; the same query again, or an equal one, computes nothing
        Assert.Equal(first.Sets, again.Sets);
        Assert.Equal(first.Sets, equal.Sets);
        Assert.Equal(2, cache.Misses); // a deletion does not invalidate
        Assert.Equal(18, first.Live); // every tenth document is marked deleted by the application
        Assert.Equal(17, afterDelete.Live);
    }

    [Fact]
    public void Entries_of_a_merged_away_segment_are_dropped()
    {
        using var index = new Index(segments: 3, perSegment: 10);
        var cache = new FilterCache(1024 * 1024);
        index.Matches(cache, NotDeleted);
        var before = cache.Bytes;

        index.Writer.ForceMerge(1);
        var merged = index.Matches(cache, NotDeleted);
        index.ReleaseOldReaders();

        Assert.True(before > 0);
        Assert.Equal(18 + 9, merged.Live);
        Assert.Equal(4, cache.Misses);
        Assert.Equal(merged.Sets.Single().Bytes, cache.Bytes);
    }

    [Fact]
    public void The_cache_never_holds_more_than_its_capacity()
    {
        using var index = new Index(segments: 1, perSegment: 1000);
        var oneSet = index.Matches(new FilterCache(1024 * 1024), NotDeleted).Sets.Single().Bytes;
        var cache = new FilterCache(3 * oneSet);

        for (var i = 0; i < 10; i++)
        {
            index.Matches(cache, new TermQuery(new Term("id", i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Assert.True(cache.Bytes <= 3 * oneSet);
        }

        var recent = cache.Misses;
        index.Matches(cache, new TermQuery(new Term("id", "9")));
        index.Matches(cache, new TermQuery(new Term("id", "0")));

        Assert.Equal(3 * oneSet, cache.Bytes);
        Assert.Equal(recent + 1, cache.Misses); // the latest stayed, the oldest went
    }

    /// <summary>An in-memory index of segments of documents "id" 0…n with every tenth marked deleted by the application.</summary>
    private sealed class Index : IDisposable
    {
        private readonly RAMDirectory _directory = new();
        private readonly List<DirectoryReader> _readers = [];

        public Index(int segments, int perSegment)
        {
            Writer = new IndexWriter(_directory, new IndexWriterConfig(Analyzers.Version, Analyzers.PerField));
            var id = 0;
            for (var s = 0; s < segments; s++)
            {
                for (var d = 0; d < perSegment; d++, id++)
                {
                    Writer.AddDocument(new Document
                    {
                        new StringField("id", id.ToString(System.Globalization.CultureInfo.InvariantCulture), Field.Store.NO),
                        new StringField("status", id % 10 == 9 ? "deleted" : "live", Field.Store.NO),
                    });
                }

                Writer.Commit();
            }
        }

        public IndexWriter Writer { get; }

        /// <summary>Every segment's match set and the live matches in all, from a reader opened now.</summary>
        public (List<SegmentMatches> Sets, int Live) Matches(FilterCache cache, Query query)
        {
            var reader = DirectoryReader.Open(Writer, applyAllDeletes: true);
            _readers.Add(reader);
            var searcher = new IndexSearcher(reader);
            var sets = reader.Leaves.Select(leaf => cache.Get(leaf, query, () => searcher.CreateNormalizedWeight(query))).ToList();
            return (sets, reader.Leaves.Sum(leaf => sets[leaf.Ord].LiveCount(leaf.AtomicReader)));
        }

        public void ReleaseOldReaders()
        {
            foreach (var reader in _readers.Take(_readers.Count - 1))
            {
                reader.Dispose();
            }

            _readers.RemoveRange(0, _readers.Count - 1);
        }

        public void Dispose()
        {
            foreach (var reader in _readers)
            {
                reader.Dispose();
            }

            Writer.Dispose();
            _directory.Dispose();
        }
    }
}
