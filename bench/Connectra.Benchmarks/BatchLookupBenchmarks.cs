using BenchmarkDotNet.Attributes;
using Connectra.Backend.Application.Batching;
using Connectra.Client;
using Connectra.Client.Records;
using Connectra.Client.Vql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Benchmarks;

/// <summary>
/// Batch-by-uuid against a running Connectra (or the emulator): 1,000 uuids through <see cref="BatchLookup"/> versus
/// one Connectra call for 100. Needs CONNECTRA_BENCH_URL and CONNECTRA_BENCH_KEY (run.sh prints both).
/// </summary>
[MemoryDiagnoser]
public class BatchLookupBenchmarks
{
    private ServiceProvider? _services;
    private IConnectraApi _connectra = null!;
    private List<string> _uuids = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connectra:BaseUrl"] = Environment.GetEnvironmentVariable("CONNECTRA_BENCH_URL") ?? "http://127.0.0.1:8000",
            ["Connectra:ApiKey"] = Environment.GetEnvironmentVariable("CONNECTRA_BENCH_KEY")
                ?? throw new InvalidOperationException("Set CONNECTRA_BENCH_KEY (and CONNECTRA_BENCH_URL)."),
        }).Build();
        var services = new ServiceCollection();
        services.AddConnectraClient(configuration);
        _services = services.BuildServiceProvider();
        _connectra = _services.GetRequiredService<IConnectraApi>();

        // 1,000 uuids spread over the index: every 97th contact of the first 97,000 by uuid.
        var query = new VqlQuery { OrderBy = [new VqlOrder("uuid", VqlOrder.Ascending)], Limit = 100, SelectColumns = ["uuid"] };
        var all = await Scan(query, 97_000);
        _uuids = [.. all.Where((_, i) => i % 97 == 0).Take(1000)];
        if (_uuids.Count < 1000)
        {
            throw new InvalidOperationException($"Connectra holds too few contacts ({all.Count}); seed at least 100,000.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();

    [Benchmark(Baseline = true, Description = "one Connectra call, 100 uuids")]
    public Task<ConnectraList<ConnectraContact>> OneCallOf100() =>
        _connectra.SearchContactsAsync(ByUuids(_uuids.Take(100).ToList()), CancellationToken.None);

    [Benchmark(Description = "BatchLookup, 1,000 uuids")]
    public Task<BatchResult<ConnectraContact>> BatchOf1000() =>
        BatchLookup.RunAsync(
            _uuids,
            async (chunk, ct) => (await _connectra.SearchContactsAsync(ByUuids(chunk), ct)).Items,
            contact => contact.Uuid,
            CancellationToken.None);

    private static VqlQuery ByUuids(IReadOnlyList<string> uuids) => new()
    {
        Where = new VqlWhere { KeywordMatch = new VqlKeywordMatch { Must = new Dictionary<string, System.Text.Json.JsonElement> { ["uuid"] = VqlValue.Of(uuids) } } },
        Limit = BatchLookup.ChunkSize,
    };

    private async Task<List<string>> Scan(VqlQuery query, int rows)
    {
        var uuids = new List<string>();
        while (uuids.Count < rows)
        {
            var page = (await _connectra.SearchContactsAsync(query, CancellationToken.None)).Items;
            uuids.AddRange(page.Select(c => c.Uuid!));
            if (page.Count < 100)
            {
                break;
            }

            query = query with { Cursor = page[^1].Cursor };
        }

        return uuids;
    }
}
