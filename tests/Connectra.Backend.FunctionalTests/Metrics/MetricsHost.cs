using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Connectra.Backend.FunctionalTests.Metrics;

/// <summary>The API over WireMock, sampling the backlog every 50 ms, for the tests that read /metrics.</summary>
public sealed class MetricsHost : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Metrics:SampleInterval", "00:00:00.050");
    }
}

/// <summary>
/// Runs alone, after the parallel collections. Every host's ASP.NET Core and backend meters share their names, and
/// the OpenTelemetry SDK keys a series by name: it shows every host's measurements in every host's /metrics, and when
/// one host shuts down (disposing its meters) it drops that series for all of them. In production one process is one
/// host; here, another test's host stopping mid-test would empty this one's scrape.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsTestGroup : ICollectionFixture<MetricsHost>
{
    public const string Name = "metrics";
}
