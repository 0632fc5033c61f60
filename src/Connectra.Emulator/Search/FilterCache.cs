using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Connectra.Emulator.Search;

/// <summary>
/// The documents of one segment that a query matches, deleted ones included (live documents are applied by the
/// reader), and how many of them are live in a given view of the segment.
/// </summary>
internal sealed class SegmentMatches(FixedBitSet bits)
{
    // One reference, so a reader never sees one view's key with another's count.
    private volatile LiveMatches? _live;

    public FixedBitSet Bits { get; } = bits;

    public long Bytes => (long)Bits.GetBits().Length * sizeof(long);

    /// <summary>
    /// The matches that are not deleted in <paramref name="reader"/>. Remembered per set of deletions, so a segment
    /// a write touched is counted again once and the next pages get the count for free.
    /// </summary>
    public int LiveCount(AtomicReader reader)
    {
        var known = _live;
        if (known is not null && ReferenceEquals(known.DeletesKey, reader.CombinedCoreAndDeletesKey))
        {
            return known.Count;
        }

        var liveDocs = reader.LiveDocs;
        int count;
        if (liveDocs is null)
        {
            count = (int)Bits.Cardinality;
        }
        else
        {
            count = 0;
            var max = Math.Min(reader.MaxDoc, Bits.Length);
            for (var doc = max == 0 ? -1 : Bits.NextSetBit(0); doc >= 0; doc = doc + 1 < max ? Bits.NextSetBit(doc + 1) : -1)
            {
                count += liveDocs.Get(doc) ? 1 : 0;
            }
        }

        _live = new LiveMatches(reader.CombinedCoreAndDeletesKey, count);
        return count;
    }

    private sealed record LiveMatches(object DeletesKey, int Count);
}

/// <summary>
/// Per-segment match sets of the filters a sorted walk checks documents against, kept across requests in the spirit
/// of Elasticsearch's query cache: an entry is keyed by the segment's core and the query, so a merged-away segment
/// or another query simply misses, and entries of closed segments are dropped. Deletions are not part of an entry
/// (they are applied when it is read), so a write that deletes or replaces documents leaves the rest of the segment's
/// entries valid. Bounded by bytes; the least recently used entries go first.
/// </summary>
internal sealed class FilterCache(long capacityBytes) : SegmentReader.ICoreDisposedListener
{
    private readonly System.Threading.Lock _lock = new();
    private readonly Dictionary<(object Core, Query Query), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = [];
    private long _bytes;
    private long _misses;

    /// <summary>Match sets computed so far (every request that found its sets cached added nothing).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Bytes held by cached match sets.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>
    /// The matches of <paramref name="query"/> in <paramref name="leaf"/>, computed with <paramref name="weight"/>
    /// (made on first need, once per request) when not cached.
    /// </summary>
    public SegmentMatches Get(AtomicReaderContext leaf, Query query, Func<Weight> weight)
    {
        var key = (leaf.AtomicReader.CoreCacheKey, query);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Matches;
            }
        }

        var matches = Compute(leaf, weight());
        Interlocked.Increment(ref _misses);
        if (matches.Bytes > capacityBytes)
        {
            return matches;
        }

        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var raced))
            {
                return raced.Value.Matches;
            }

            _entries[key] = _recency.AddFirst(new Entry(key, matches));
            _bytes += matches.Bytes;
            while (_bytes > capacityBytes && _recency.Last is { } oldest)
            {
                Remove(oldest);
            }
        }

        if (leaf.AtomicReader is SegmentReader segment)
        {
            // Listeners are a set per core: adding again on every miss registers once.
            segment.AddCoreDisposedListener(this);
        }

        return matches;
    }

    public void OnDispose(object ownerCoreCacheKey)
    {
        lock (_lock)
        {
            foreach (var node in _entries.Values.Where(n => ReferenceEquals(n.Value.Key.Core, ownerCoreCacheKey)).ToList())
            {
                Remove(node);
            }
        }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.Key);
        _bytes -= node.Value.Matches.Bytes;
    }

    /// <summary>Every match, deleted documents included: no accept docs, so deletions do not invalidate the set.</summary>
    private static SegmentMatches Compute(AtomicReaderContext leaf, Weight weight)
    {
        var bits = new FixedBitSet(leaf.AtomicReader.MaxDoc);
        var scorer = weight.GetScorer(leaf, null);
        if (scorer is not null)
        {
            int doc;
            while ((doc = scorer.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
            {
                bits.Set(doc);
            }
        }

        return new SegmentMatches(bits);
    }

    private sealed record Entry((object Core, Query Query) Key, SegmentMatches Matches);
}
