using Microsoft.Extensions.Options;

namespace Connectra.Backend.Application.SalesNavigator;

/// <summary>
/// The parses one replica runs at once (docs/sales-navigator.md#limits). Taken without waiting: a scrape that finds
/// none free is refused with <see cref="ServerBusyException"/>, so a burst of pages never queues up memory.
/// </summary>
public sealed class ScrapeSlots(IOptions<SalesNavigatorOptions> options) : IDisposable
{
    /// <summary>What a refused scrape is told to wait: a parse takes about a second.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _free = new(options.Value.MaxConcurrentScrapes, options.Value.MaxConcurrentScrapes);

    /// <summary>A slot, given back when disposed.</summary>
    /// <exception cref="ServerBusyException">Every slot is taken.</exception>
    public IDisposable Take()
    {
        if (!_free.Wait(0))
        {
            throw new ServerBusyException(
                $"{options.Value.MaxConcurrentScrapes} pages are being parsed already, the most this server parses at once; send the page again shortly.",
                RetryAfter);
        }

        return new Slot(_free);
    }

    public void Dispose() => _free.Dispose();

    private sealed class Slot(SemaphoreSlim free) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                free.Release();
            }
        }
    }
}
