using System.Globalization;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Directory = Lucene.Net.Store.Directory;

namespace Connectra.Emulator.Search;

/// <summary>
/// One Lucene index (contacts or companies) playing Elasticsearch's part: near-real-time readers make a write
/// searchable as soon as its batch is indexed, and commits record the PostgreSQL write sequence they contain so a
/// restart can index exactly what came after.
/// </summary>
internal sealed class SearchIndex : IDisposable
{
    // Bump when documents or analysis change: an index built by another version is rebuilt from PostgreSQL.
    private const string SchemaVersion = "1";
    private const string InstanceKey = "instance";
    private const string SeqKey = "seq";
    private const string SchemaKey = "schema";
    private const double ServingRamBufferMb = 64;
    private const double BulkRamBufferMb = 512;

    private readonly Directory _directory;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly string _instanceId;
    private readonly System.Threading.Lock _commitLock = new();
    private long _indexedSeq;
    private long _committedSeq;
    private volatile bool _rebuilding;

    private SearchIndex(IndexSchema schema, Directory directory, string instanceId, bool isCurrent, long committedSeq)
    {
        Schema = schema;
        _directory = directory;
        _instanceId = instanceId;
        IsCurrent = isCurrent;
        _committedSeq = _indexedSeq = committedSeq;
        var config = new IndexWriterConfig(Analyzers.Version, Analyzers.PerField)
        {
            OpenMode = isCurrent ? OpenMode.CREATE_OR_APPEND : OpenMode.CREATE,
            RAMBufferSizeMB = ServingRamBufferMb,
            UseCompoundFile = false,
        };
        _writer = new IndexWriter(directory, config);
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, new SearcherFactory());
    }

    public IndexSchema Schema { get; }

    /// <summary>False when the folder held no index, or one built from another database or by another version.</summary>
    public bool IsCurrent { get; }

    /// <summary>The highest PostgreSQL index_seq this index holds.</summary>
    public long IndexedSeq => Interlocked.Read(ref _indexedSeq);

    public static SearchIndex Open(string path, IndexSchema schema, string instanceId)
    {
        System.IO.Directory.CreateDirectory(path);
        var directory = FSDirectory.Open(path);
        var (isCurrent, seq) = ReadCommit(directory, instanceId);
        return new SearchIndex(schema, directory, instanceId, isCurrent, seq);
    }

    /// <summary>Replaces documents by uuid (Elasticsearch's _id) and makes them searchable before returning.</summary>
    public void Upsert(IEnumerable<(string Uuid, Document Document)> documents, long seq)
    {
        foreach (var (uuid, document) in documents)
        {
            _writer.UpdateDocument(new Term("uuid", uuid), document);
        }

        AdvanceSeq(seq);
        _searchers.MaybeRefreshBlocking();
    }

    /// <summary>
    /// Throws the index away and indexes every document from <paramref name="documents"/> with all cores and a
    /// large RAM buffer, then commits once.
    /// </summary>
    public async Task RebuildAsync(IAsyncEnumerable<(long Seq, Func<Document> Build)> documents, CancellationToken ct)
    {
        _rebuilding = true;
        _writer.DeleteAll();
        _writer.Config.RAMBufferSizeMB = BulkRamBufferMb;
        try
        {
            var queue = System.Threading.Channels.Channel.CreateBounded<Func<Document>>(10_000);
            var workers = Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount))
                .Select(_ => Task.Run(async () =>
                {
                    await foreach (var build in queue.Reader.ReadAllAsync(ct))
                    {
                        _writer.AddDocument(build());
                    }
                }, ct))
                .ToList();
            long highest = 0;
            try
            {
                await foreach (var (seq, build) in documents.WithCancellation(ct))
                {
                    highest = Math.Max(highest, seq);
                    await queue.Writer.WriteAsync(build, ct);
                }
            }
            finally
            {
                queue.Writer.Complete();
            }

            await Task.WhenAll(workers);
            Interlocked.Exchange(ref _indexedSeq, highest);
            _rebuilding = false;
            Commit();
            _searchers.MaybeRefreshBlocking();
        }
        finally
        {
            _rebuilding = false;
            _writer.Config.RAMBufferSizeMB = ServingRamBufferMb;
        }
    }

    public void DeleteAll()
    {
        _writer.DeleteAll();
        Commit();
        _searchers.MaybeRefreshBlocking();
    }

    /// <summary>Makes every write so far searchable (writes already are; this also catches background merges).</summary>
    public void Refresh() => _searchers.MaybeRefreshBlocking();

    /// <summary>
    /// Durably records the indexed documents and the sequence they reach; cheap when nothing changed. A rebuild
    /// commits once at its end: committing half an index would also flush many small segments.
    /// </summary>
    public void Commit()
    {
        if (_rebuilding)
        {
            return;
        }

        lock (_commitLock)
        {
            var seq = IndexedSeq;
            if (seq == _committedSeq && !_writer.HasUncommittedChanges())
            {
                return;
            }

            _writer.SetCommitData(new Dictionary<string, string>
            {
                [InstanceKey] = _instanceId,
                [SeqKey] = seq.ToString(CultureInfo.InvariantCulture),
                [SchemaKey] = SchemaVersion,
            });
            _writer.Commit();
            _committedSeq = seq;
        }
    }

    public T Search<T>(Func<IndexSearcher, T> search)
    {
        var searcher = _searchers.Acquire();
        try
        {
            return search(searcher);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public void Dispose()
    {
        Commit();
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
    }

    private void AdvanceSeq(long seq)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _indexedSeq);
            if (seq <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _indexedSeq, seq, current) != current);
    }

    private static (bool IsCurrent, long Seq) ReadCommit(Directory directory, string instanceId)
    {
        if (!DirectoryReader.IndexExists(directory))
        {
            return (false, 0);
        }

        var data = DirectoryReader.ListCommits(directory)[^1].UserData;
        var current = data.TryGetValue(InstanceKey, out var instance) && instance == instanceId
                      && data.TryGetValue(SchemaKey, out var schema) && schema == SchemaVersion;
        return current && data.TryGetValue(SeqKey, out var seqText)
                       && long.TryParse(seqText, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            ? (true, seq)
            : (false, 0);
    }
}
