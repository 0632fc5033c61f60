using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Runtime;
using System.Text.Json;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.Application.SalesNavigator;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.UnitTests.SalesNavigator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.SalesNavigator;

/// <summary>The API over WireMock with a single scrape slot, so a test can hold it.</summary>
public sealed class ScrapeBudgetHost : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("SalesNavigator:MaxConcurrentScrapes", "1");
    }
}

/// <summary>
/// Runs alone, after the parallel collections: its tests measure the process's memory, which other tests' hosts
/// would move.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScrapeBudgetTestGroup : ICollectionFixture<ScrapeBudgetHost>
{
    public const string Name = "scrape-budget";
}

/// <summary>
/// One scrape request cannot take more than a bounded amount of time and memory, and gives the memory back
/// (docs/sales-navigator.md#limits). The bounds are generous: they must hold on a loaded two-core machine, and they
/// are still far below what the family cost before the parse was bounded (30 s and 3.6 GB for one page).
/// </summary>
[Collection(ScrapeBudgetTestGroup.Name)]
public sealed class ScrapeBudgetTests(ScrapeBudgetHost api)
{
    private const string Route = "/api/v3/sales-navigator/scrape";
    private const long MiB = 1024 * 1024;

    // The parse budget plus the body read twice (bytes, then the string), the guard and the answer.
    private static readonly long RequestMemory = SalesNavigatorLimits.MaxParseAllocatedBytes + (256 * MiB);
    private static readonly TimeSpan RequestTime = SalesNavigatorLimits.MaxParseTime * 3;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Family => [.. HostileMarkup.Family.Select(h => h.Id)];

    [Theory]
    [MemberData(nameof(Family))]
    public async Task Hostile_markup_is_refused_or_answered_within_the_time_and_memory_budget(string id)
    {
        var hostile = HostileMarkup.Family.Single(h => h.Id == id);
        using var client = Tokens.Authorize(api.CreateClient(), "budget", "reader");
        using var content = JsonContent.Create(new { html = hostile.Html });
        await content.LoadIntoBufferAsync(Ct);
        Settle();
        var rssBefore = PeakRss.Now();
        using var sampling = new CancellationTokenSource();
        var peak = PeakRss.SampleAsync(sampling.Token);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();

        using var response = await client.PostAsync(Route, content, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        await sampling.CancelAsync();
        var peakGrowth = await peak - rssBefore;
        if (hostile.Refusal is { } reason)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(reason, body.GetProperty("errors").GetProperty("html")[0].GetString(), StringComparison.Ordinal);
        }
        else if (response.StatusCode != HttpStatusCode.OK)
        {
            // Only the parse budget may stop a page the guard lets through.
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("to parse", body.GetProperty("errors").GetProperty("html")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.True(watch.Elapsed < RequestTime, $"{id}: {watch.Elapsed}");
        Assert.True(allocated < RequestMemory, $"{id}: allocated {allocated / MiB} MiB");
        Assert.True(peakGrowth < RequestMemory, $"{id}: peak RSS grew {peakGrowth / MiB} MiB");
    }

    [Fact]
    public async Task The_memory_of_the_whole_family_is_given_back()
    {
        using var client = Tokens.Authorize(api.CreateClient(), "budget", "reader");
        Settle();
        var (rssBefore, heapBefore) = (PeakRss.Now(), GC.GetTotalMemory(forceFullCollection: true));

        await SendFamilyAsync(client);
        Settle();

        // What stays is the shared buffer pools: JSON reading rents buffers as large as the bodies and keeps them for
        // reuse (about 150 MiB after this family). Before the parse was bounded, one of these pages kept 3.6 GB.
        var (rssGrowth, heapGrowth) = (PeakRss.Now() - rssBefore, GC.GetTotalMemory(forceFullCollection: true) - heapBefore);
        Assert.True(heapGrowth < 300 * MiB, $"managed heap grew {heapGrowth / MiB} MiB");
        Assert.True(rssGrowth < 300 * MiB, $"RSS grew {rssGrowth / MiB} MiB");
    }

    private static async Task SendFamilyAsync(HttpClient client)
    {
        foreach (var hostile in HostileMarkup.Family)
        {
            using var response = await client.PostAsJsonAsync(Route, new { html = hostile.Html }, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{hostile.Id}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_scrape_that_finds_every_slot_taken_is_refused_at_once_with_retry_after()
    {
        using var client = Tokens.Authorize(api.CreateClient(), "budget", "reader");
        var page = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SalesNavigator", "Fixtures", "results-page.html"));
        var slots = api.Services.GetRequiredService<ScrapeSlots>();

        using (slots.Take())
        {
            using var busy = await client.PostAsJsonAsync(Route, new { html = page }, Ct);

            var problem = await Problems.AssertProblemAsync(busy, HttpStatusCode.ServiceUnavailable, ProblemTypes.Busy);
            Assert.Equal("1", busy.Headers.GetValues("Retry-After").Single());
            Assert.Contains("1 pages are being parsed already", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using var freed = await client.PostAsJsonAsync(Route, new { html = page }, Ct);
        Assert.Equal(HttpStatusCode.OK, freed.StatusCode);
    }

    [Fact]
    public async Task A_refused_page_gives_its_slot_back()
    {
        using var client = Tokens.Authorize(api.CreateClient(), "budget", "reader");
        var page = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SalesNavigator", "Fixtures", "results-page.html"));

        using var refused = await client.PostAsJsonAsync(Route, new { html = HostileMarkup.Family[0].Html }, Ct);
        using var next = await client.PostAsJsonAsync(Route, new { html = page }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    /// <summary>A full, compacting collection that also returns free memory to the system.</summary>
    private static void Settle()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
