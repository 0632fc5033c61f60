using Connectra.Client;
using BenchmarkDotNet.Attributes;
using Connectra.Client.Vql;

namespace Connectra.Benchmarks;

/// <summary>
/// <see cref="BatchBenchmarks"/> against a running Connectra or emulator: CONNECTRA_BENCH_URL and
/// CONNECTRA_BENCH_KEY (bench/backend/run.sh sets both; run.sh prints the emulator's).
/// </summary>
public class BatchLookupBenchmarks : BatchBenchmarks
{
    [GlobalSetup]
    public async Task SetupAsync()
    {
        UseConnectra(
            Environment.GetEnvironmentVariable("CONNECTRA_BENCH_URL") ?? "http://127.0.0.1:8000",
            Environment.GetEnvironmentVariable("CONNECTRA_BENCH_KEY")
                ?? throw new InvalidOperationException("Set CONNECTRA_BENCH_KEY (and CONNECTRA_BENCH_URL)."));

        // 1,000 uuids spread over the index: every 97th contact of the first 97,000 by uuid.
        var query = new VqlQuery { OrderBy = [new VqlOrder("uuid", VqlOrder.Ascending)], Limit = 100, SelectColumns = ["uuid"] };
        var all = new List<string>();
        while (all.Count < 97_000)
        {
            var page = ConnectraAnswers.Rows(await Connectra.SearchContactsAsync(query, CancellationToken.None));
            all.AddRange(page.Select(c => c.Uuid!));
            if (page.Count < 100)
            {
                break;
            }

            query = query with { Cursor = page[^1].Cursor };
        }

        Uuids = [.. all.Where((_, i) => i % 97 == 0).Take(1000)];
        if (Uuids.Count < 1000)
        {
            throw new InvalidOperationException($"Connectra holds too few contacts ({all.Count}); seed at least 100,000.");
        }
    }
}
