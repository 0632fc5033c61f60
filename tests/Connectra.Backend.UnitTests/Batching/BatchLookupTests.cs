using System.Collections.Concurrent;
using Connectra.Backend.Application.Batching;

namespace Connectra.Backend.UnitTests.Batching;

public sealed class BatchLookupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Keys_are_asked_once_in_chunks_of_a_hundred_and_found_rows_keep_the_input_order()
    {
        var keys = Enumerable.Range(0, 1050).Select(i => $"k{i}").Reverse().Concat(["k7", "k7"]).ToList();
        var chunks = new ConcurrentBag<IReadOnlyList<string>>();

        var result = await BatchLookup.RunAsync(
            keys,
            (chunk, _) =>
            {
                chunks.Add(chunk);
                // Connectra answers in its own order and without the keys it does not know (odd numbers here).
                IReadOnlyList<string> known = [.. chunk.Where(k => int.Parse(k[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0).Order(StringComparer.Ordinal)];
                return Task.FromResult(known);
            },
            row => row,
            Ct);

        Assert.Equal(11, chunks.Count);
        Assert.All(chunks, c => Assert.InRange(c.Count, 1, 100));
        Assert.Equal(1050, chunks.Sum(c => c.Count));
        var distinct = keys.Distinct().ToList();
        Assert.Equal(distinct.Where((_, i) => int.Parse(distinct[i][1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0), result.Found);
        Assert.Equal(distinct.Where((_, i) => int.Parse(distinct[i][1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 1), result.Missing);
    }

    [Fact]
    public async Task Chunks_run_in_parallel_up_to_the_limit()
    {
        var running = 0;
        var peak = 0;

        await BatchLookup.RunAsync(
            [.. Enumerable.Range(0, 1000).Select(i => $"k{i}")],
            async (chunk, token) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                await Task.Delay(50, token);
                Interlocked.Decrement(ref running);
                return chunk;
            },
            row => row,
            Ct,
            parallelism: 4);

        Assert.Equal(4, peak);
    }

    [Fact]
    public async Task A_failing_chunk_fails_the_whole_lookup()
    {
        var failure = new InvalidOperationException("connectra down");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => BatchLookup.RunAsync<string>(
            [.. Enumerable.Range(0, 300).Select(i => $"k{i}")],
            (chunk, _) => chunk[0] == "k200" ? throw failure : Task.FromResult(chunk),
            row => row,
            Ct));

        Assert.Same(failure, thrown);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
