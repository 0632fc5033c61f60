using System.Collections.Concurrent;
using Connectra.Client;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Application.Filters;

/// <summary>
/// The filter catalogues read recently, per service, so that a filter key can be checked before its values are asked
/// for: Connectra answers 500 to an unknown key, which must never reach it.
/// </summary>
public sealed class FilterCatalogueCache(IOptions<ConnectraOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, FilterCatalogue Catalogue)> _entries = new(StringComparer.Ordinal);

    public async Task<FilterCatalogue> GetAsync(string service, Func<CancellationToken, Task<FilterCatalogue>> load, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(load);
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(service, out var entry) && entry.Expires > now)
        {
            return entry.Catalogue;
        }

        var catalogue = await load(ct);
        Remember(service, catalogue);
        return catalogue;
    }

    /// <summary>A catalogue just read for another reason is as fresh as it gets.</summary>
    public void Remember(string service, FilterCatalogue catalogue) =>
        _entries[service] = (clock.GetUtcNow() + options.Value.FilterCatalogueCacheDuration, catalogue);
}
