using System.Text;
using Connectra.Backend.Application.Exports;

namespace Connectra.Backend.UnitTests.Exports;

public sealed class ExportStreamsTests
{
    [Theory]
    [InlineData("uniform", 100_000, 16)]
    [InlineData("uniform", 1_000, 4)]
    [InlineData("one prefix", 50_000, 16)]
    [InlineData("two prefixes", 50_000, 8)]
    [InlineData("one deep prefix", 20_000, 16)]
    public async Task Bounds_cut_the_matching_rows_into_streams_of_about_equal_size_even_when_uuids_crowd_together(string shape, int rows, int streams)
    {
        var uuids = Uuids(shape, rows);
        var counts = 0;

        var bounds = await ExportStreams.BoundsAsync((from, to, _) =>
        {
            Interlocked.Increment(ref counts);
            return Task.FromResult((long)uuids.Count(u => (from is null || string.CompareOrdinal(u, from) >= 0) && (to is null || string.CompareOrdinal(u, to) < 0)));
        }, streams, TestContext.Current.CancellationToken);

        Assert.Equal(bounds.Order(StringComparer.Ordinal), bounds);
        Assert.Equal(bounds.Count, bounds.Distinct().Count());
        Assert.True(counts <= ExportStreams.MaxCounts, $"{counts} count calls");
        // Stream i holds the uuids after bound i-1, up to and including bound i: each uuid in exactly one.
        var sizes = new int[bounds.Count + 1];
        foreach (var uuid in uuids)
        {
            sizes[bounds.Count(b => string.CompareOrdinal(uuid, b) > 0)]++;
        }

        Assert.Equal(rows, sizes.Sum());
        Assert.True(bounds.Count >= streams / 2, $"{shape}: only {bounds.Count + 1} streams of {streams}");
        // A prefix is split once it holds more than 1.5 shares, and a bound falls at the nearest prefix boundary.
        Assert.True(sizes.Max() <= 2.5 * rows / streams, $"{shape}: stream sizes {string.Join(", ", sizes)}");
    }

    [Fact]
    public async Task Nothing_matching_or_one_stream_needs_no_bounds()
    {
        var none = await ExportStreams.BoundsAsync((_, _, _) => Task.FromResult(0L), 8, TestContext.Current.CancellationToken);
        var one = await ExportStreams.BoundsAsync((_, _, _) => throw new InvalidOperationException("no count for one stream"), 1, TestContext.Current.CancellationToken);

        Assert.Empty(none);
        Assert.Empty(one);
    }

    [Fact]
    public void A_page_reader_with_an_upper_bound_writes_the_rows_up_to_it_and_ends_the_walk_at_the_first_row_past_it()
    {
        var reader = ExportPageReader.For(ExportColumns.Choose(ExportColumns.Contacts, ["contact_uuid"], "columns"), upTo: "b");
        var body = """{"data":[{"uuid":"a1","cursor":["a1"]},{"uuid":"b","cursor":["b"]},{"uuid":"b0","cursor":["b0"]},{"uuid":"a9","cursor":["a9"]}],"success":true}"""u8;

        using var page = reader.Read(body);
        using var past = reader.Read("""{"data":[{"uuid":"c","cursor":["c"]}],"success":true}"""u8);
        using var within = ExportPageReader.For(ExportColumns.Contacts, upTo: "b").Read("""{"data":[{"uuid":"a","cursor":["a"]}],"success":true}"""u8);

        Assert.Equal("a1\r\nb\r\n", Encoding.UTF8.GetString(page.Csv.Span));
        Assert.Equal(2, page.Count);
        Assert.Equal(["b"], page.Cursor);
        Assert.True(page.Ended);
        Assert.Equal(0, past.Count);
        Assert.True(past.Ended);
        Assert.False(within.Ended);
    }

    [Fact]
    public async Task Fewer_streams_fetch_at_once_when_page_latency_climbs_and_more_again_when_it_holds()
    {
        using var pacing = new AdaptiveConcurrency(start: 4, max: 8);
        var ct = TestContext.Current.CancellationToken;
        async Task PageAsync(int ms)
        {
            // The turn is ended by hand, with the latency the page is said to have taken.
            _ = await pacing.EnterAsync(ct);
            pacing.Exit(TimeSpan.FromMilliseconds(ms));
        }

        for (var i = 0; i < 40; i++)
        {
            await PageAsync(10);
        }

        var grown = pacing.Limit;
        for (var i = 0; i < 60; i++)
        {
            await PageAsync(80);
        }

        var shrunk = pacing.Limit;
        for (var i = 0; i < 200; i++)
        {
            await PageAsync(10);
        }

        Assert.True(grown > 4, $"limit {grown} after pages at a steady latency");
        Assert.True(shrunk < grown, $"limit {shrunk} after latency climbed from {grown}");
        Assert.True(pacing.Limit > shrunk, $"limit {pacing.Limit} after latency fell back");
        // The limit is real: that many turns are given at once, and no more.
        var turns = new List<IDisposable>();
        for (var i = 0; i < pacing.Limit; i++)
        {
            turns.Add(await pacing.EnterAsync(ct));
        }

        var waiting = pacing.EnterAsync(ct);
        await Task.Delay(50, ct);
        Assert.False(waiting.IsCompleted);
        // Ended by hand at the steady latency: disposing it would report the wall time it was held here, which on a
        // loaded machine reads as a latency climb and rightly keeps the permit to lower the limit.
        pacing.Exit(TimeSpan.FromMilliseconds(10));
        (await waiting.WaitAsync(TimeSpan.FromSeconds(10), ct)).Dispose();
        turns.Skip(1).ToList().ForEach(t => t.Dispose());
    }

    [Fact]
    public async Task Every_change_of_the_limit_is_reported_and_disposing_takes_the_whole_limit_back()
    {
        var reported = 0;
        var pacing = new AdaptiveConcurrency(start: 2, max: 6, delta => reported += delta);
        var ct = TestContext.Current.CancellationToken;
        async Task PageAsync(int ms)
        {
            _ = await pacing.EnterAsync(ct);
            pacing.Exit(TimeSpan.FromMilliseconds(ms));
        }

        Assert.Equal(2, reported);
        for (var i = 0; i < 40; i++)
        {
            await PageAsync(10);
        }

        Assert.True(pacing.Limit > 2, $"limit {pacing.Limit} after pages at a steady latency");
        Assert.Equal(pacing.Limit, reported);
        var grown = pacing.Limit;
        for (var i = 0; i < 60; i++)
        {
            await PageAsync(200);
        }

        Assert.True(pacing.Limit < grown, $"limit {pacing.Limit} after latency climbed from {grown}");
        Assert.Equal(pacing.Limit, reported);
        pacing.Dispose();
        Assert.Equal(0, reported);
        pacing.Dispose();
        Assert.Equal(0, reported);
    }

    private static List<string> Uuids(string shape, int rows)
    {
        var random = new Random(rows);
        return shape switch
        {
            "uniform" => [.. Enumerable.Range(0, rows).Select(_ => new Guid(RandomBytes(random)).ToString("D"))],
            "one prefix" => [.. Enumerable.Range(0, rows).Select(_ => "7" + new Guid(RandomBytes(random)).ToString("D")[1..])],
            "two prefixes" => [.. Enumerable.Range(0, rows).Select(i => (i % 3 == 0 ? "2" : "e") + new Guid(RandomBytes(random)).ToString("D")[1..])],
            _ => [.. Enumerable.Range(0, rows).Select(_ => "5a" + new Guid(RandomBytes(random)).ToString("D")[2..])],
        };
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return bytes;
    }
}
