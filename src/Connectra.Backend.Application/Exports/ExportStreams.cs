using System.Diagnostics;

namespace Connectra.Backend.Application.Exports;

/// <summary>
/// Where the streams of an export by query start and stop (docs/exports.md#streams). Stream i walks the query in uuid
/// order from after bound i-1 (the first from the start) up to and including bound i (the last to the end), so
/// every uuid falls in exactly one stream. The bounds come from counting the query's rows per uuid prefix, splitting
/// prefixes that hold more than a stream's share, so the streams hold about equal rows even when the matching uuids
/// crowd into a few prefixes.
/// </summary>
public static class ExportStreams
{
    private const string Hex = "0123456789abcdef";

    /// <summary>Prefixes are split at most this deep (16⁴ ranges): beyond that a share is small enough anyway.</summary>
    private const int DeepestPrefix = 4;

    /// <summary>Count calls one plan may make at most; a plan that would need more goes with what it has.</summary>
    public const int MaxCounts = 160;

    /// <summary>
    /// Up to <paramref name="streams"/> - 1 bounds, in ascending order, that cut the rows <paramref name="count"/>
    /// reports into <paramref name="streams"/> parts of about equal size; none when nothing matches.
    /// </summary>
    /// <param name="count">Rows of the query in the uuid range [from, to); null is open.</param>
    /// <param name="streams">How many streams the rows are cut into.</param>
    /// <param name="ct">Cancels the counting.</param>
    public static async Task<IReadOnlyList<string>> BoundsAsync(
        Func<string?, string?, CancellationToken, Task<long>> count, int streams, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(streams, 1);
        if (streams == 1)
        {
            return [];
        }

        var ranges = await CountAllAsync(count, Split(null, null, null), ct);
        var calls = ranges.Count;
        var total = ranges.Sum(r => r.Rows);
        if (total == 0)
        {
            return [];
        }

        var share = Math.Max(1, total / streams);
        while (true)
        {
            var widest = ranges.Select((r, i) => (r, i)).Where(x => x.r.Rows > share * 3 / 2 && x.r.Prefix.Length < DeepestPrefix)
                .OrderByDescending(x => x.r.Rows).Select(x => x.i).DefaultIfEmpty(-1).First();
            if (widest < 0 || calls + Hex.Length > MaxCounts)
            {
                break;
            }

            var range = ranges[widest];
            var parts = await CountAllAsync(count, Split(range.Prefix, range.From, range.To), ct);
            calls += parts.Count;
            ranges.RemoveAt(widest);
            ranges.InsertRange(widest, parts);
        }

        // Each bound is the range boundary whose running total comes closest to its stream's ideal end.
        var running = new long[ranges.Count - 1];
        long sum = 0;
        for (var i = 0; i < running.Length; i++)
        {
            running[i] = sum += ranges[i].Rows;
        }

        var bounds = new List<string>();
        var last = -1;
        for (var k = 1; k < streams; k++)
        {
            var ideal = total * k / streams;
            var best = -1;
            for (var i = last + 1; i < running.Length; i++)
            {
                if (best < 0 || Math.Abs(running[i] - ideal) < Math.Abs(running[best] - ideal))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            if (running[best] > 0 && running[best] < total && (last < 0 || running[best] > running[last]))
            {
                bounds.Add(ranges[best].To!);
                last = best;
            }
        }

        return bounds;
    }

    /// <summary>The 16 ranges of <paramref name="prefix"/> followed by each hex digit, together exactly [from, to).</summary>
    private static List<Range> Split(string? prefix, string? from, string? to)
    {
        var parts = new List<Range>(Hex.Length);
        for (var i = 0; i < Hex.Length; i++)
        {
            var at = prefix + Hex[i];
            parts.Add(new Range(at, i == 0 ? from : at, i == Hex.Length - 1 ? to : prefix + Hex[i + 1], 0));
        }

        return parts;
    }

    private static async Task<List<Range>> CountAllAsync(
        Func<string?, string?, CancellationToken, Task<long>> count, List<Range> ranges, CancellationToken ct)
    {
        var counted = new Range[ranges.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, ranges.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (i, c) => counted[i] = ranges[i] with { Rows = await count(ranges[i].From, ranges[i].To, c) });
        return [.. counted];
    }

    private sealed record Range(string Prefix, string? From, string? To, long Rows);
}

/// <summary>
/// How many of an export's streams fetch a page at once: up to a maximum while Connectra's page latency holds, fewer
/// when it climbs well above the best seen (additive increase, one less at a time), so that an export adds load to
/// Connectra only while Connectra takes it in its stride.
/// </summary>
public sealed class AdaptiveConcurrency : IDisposable
{
    private readonly SemaphoreSlim _permits;
    private readonly int _max;
    private readonly object _gate = new();
    private readonly Action<int>? _limitChanged;
    private int _limit;
    private double _average;
    private double _best = double.MaxValue;
    private int _sinceChange;

    /// <param name="start">Turns allowed at first.</param>
    /// <param name="max">Turns allowed at most.</param>
    /// <param name="limitChanged">Told of every change of the limit, its start and, on dispose, its end (metrics).</param>
    public AdaptiveConcurrency(int start, int max, Action<int>? limitChanged = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        _max = max;
        _limit = Math.Clamp(start, 1, max);
        _permits = new SemaphoreSlim(_limit, max);
        _limitChanged = limitChanged;
        _limitChanged?.Invoke(_limit);
    }

    /// <summary>Streams allowed to fetch at once right now.</summary>
    public int Limit
    {
        get
        {
            lock (_gate)
            {
                return _limit;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_limit == 0)
            {
                return;
            }

            _limitChanged?.Invoke(-_limit);
            _limit = 0;
        }

        _permits.Dispose();
    }

    /// <summary>Waits for a turn to fetch one page; disposing the turn reports how long the page took.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _permits.WaitAsync(ct);
        return new Turn(this, Stopwatch.GetTimestamp());
    }

    /// <summary>Ends a turn that took <paramref name="latency"/>: its permit goes back, unless it is kept to lower the limit.</summary>
    internal void Exit(TimeSpan latency)
    {
        if (Observe(latency))
        {
            _permits.Release();
        }
    }

    private bool Observe(TimeSpan latency)
    {
        lock (_gate)
        {
            if (_limit == 0)
            {
                return false; // disposed: a turn that ends late has nothing to give back to
            }

            var ms = latency.TotalMilliseconds;
            _average = _average == 0 ? ms : (0.8 * _average) + (0.2 * ms);
            // The best lets itself be beaten slowly, so one lucky page does not hold the limit down for good.
            _best = Math.Min(_best * 1.001, _average);
            _sinceChange++;
            if (_average > 2 * _best && _limit > 1 && _sinceChange >= _limit)
            {
                _limit--;
                _limitChanged?.Invoke(-1);
                _sinceChange = 0;
                return false;
            }

            if (_average < 1.3 * _best && _limit < _max && _sinceChange >= 2 * _limit)
            {
                _limit++;
                _limitChanged?.Invoke(1);
                _sinceChange = 0;
                _permits.Release();
            }

            return true;
        }
    }

    private sealed class Turn(AdaptiveConcurrency owner, long started) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                owner.Exit(Stopwatch.GetElapsedTime(started));
            }
        }
    }
}
