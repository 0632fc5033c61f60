using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Connectra.Backend.Application.Batching;
using Connectra.Client;
using Connectra.Client.Records;
using Connectra.Client.Vql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Benchmarks;

/// <summary>
/// 1,000 uuids through <see cref="BatchLookup"/> (10 chunks of 100, 10 in flight) versus one Connectra call for 100,
/// through the real client (Refit, resilience, JSON). Subclasses say which Connectra and which uuids.
/// </summary>
[MemoryDiagnoser]
public abstract class BatchBenchmarks
{
    private ServiceProvider? _services;

    protected IConnectraApi Connectra { get; private set; } = null!;

    protected List<string> Uuids { get; set; } = [];

    [Benchmark(Baseline = true, Description = "one Connectra call, 100 uuids")]
    public Task<ConnectraList<ConnectraContact>> OneCallOf100() =>
        Connectra.SearchContactsAsync(ByUuids([.. Uuids.Take(100)]), CancellationToken.None);

    [Benchmark(Description = "BatchLookup, 1,000 uuids")]
    public Task<BatchResult<ConnectraContact>> BatchOf1000() =>
        BatchLookup.RunAsync(
            Uuids,
            async (chunk, ct) => ConnectraAnswers.Rows(await Connectra.SearchContactsAsync(ByUuids(chunk), ct)),
            contact => contact.Uuid,
            CancellationToken.None);

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();

    /// <summary>Registers the client as the backend does; <paramref name="transport"/> may replace the network.</summary>
    protected void UseConnectra(string baseUrl, string apiKey, Func<HttpMessageHandler>? transport = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connectra:BaseUrl"] = baseUrl,
            ["Connectra:ApiKey"] = apiKey,
        }).Build();
        var services = new ServiceCollection();
        var client = services.AddConnectraClient(configuration);
        if (transport is not null)
        {
            client.ConfigurePrimaryHttpMessageHandler(transport);
        }

        _services = services.BuildServiceProvider();
        Connectra = _services.GetRequiredService<IConnectraApi>();
    }

    protected static VqlQuery ByUuids(IReadOnlyList<string> uuids) => new()
    {
        Where = new VqlWhere { KeywordMatch = new VqlKeywordMatch { Must = new Dictionary<string, JsonElement> { ["uuid"] = VqlValue.Of(uuids) } } },
        Limit = BatchLookup.ChunkSize,
    };
}
