namespace Connectra.Backend.Application.Batching;

/// <summary>What a batch lookup found, in the order of the keys asked for, and the keys nothing matched.</summary>
public sealed record BatchResult<T>(IReadOnlyList<T> Found, IReadOnlyList<string> Missing);

/// <summary>
/// Looks up many keys (uuids, LinkedIn URLs) in chunks of Connectra's maximum page, a few chunks at a time.
/// Duplicates are asked once; results keep the order of the keys; a failing chunk fails the whole lookup (an
/// outage is a 503, never an empty answer as in the original).
/// </summary>
public static class BatchLookup
{
    public const int ChunkSize = 100;

    /// <summary>Ten chunks in flight cover 1,000 keys in one round trip's time.</summary>
    public const int DefaultParallelism = 10;

    public static async Task<BatchResult<T>> RunAsync<T>(
        IReadOnlyList<string> keys,
        Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyList<T>>> fetchChunk,
        Func<T, string?> keyOf,
        CancellationToken ct,
        int parallelism = DefaultParallelism)
    {
        var distinct = keys.Distinct(StringComparer.Ordinal).ToList();
        var chunks = distinct.Chunk(ChunkSize).ToList();
        var answers = new IReadOnlyList<T>[chunks.Count];
        await Parallel.ForAsync(
            0,
            chunks.Count,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (index, token) => answers[index] = await fetchChunk(chunks[index], token));

        var byKey = new Dictionary<string, List<T>>(StringComparer.Ordinal);
        foreach (var item in answers.SelectMany(a => a))
        {
            if (keyOf(item) is { } key)
            {
                if (!byKey.TryGetValue(key, out var list))
                {
                    byKey[key] = list = [];
                }

                list.Add(item);
            }
        }

        var found = new List<T>();
        var missing = new List<string>();
        foreach (var key in distinct)
        {
            if (byKey.TryGetValue(key, out var items))
            {
                found.AddRange(items);
            }
            else
            {
                missing.Add(key);
            }
        }

        return new BatchResult<T>(found, missing);
    }
}
