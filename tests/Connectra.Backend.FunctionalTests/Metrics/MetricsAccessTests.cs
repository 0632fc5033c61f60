using System.Net;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Connectra.Backend.FunctionalTests.Metrics;

/// <summary>Who reaches /metrics: the switch and the network list.</summary>
public sealed class MetricsAccessTests(ApiFactory api) : ApiTestBase(api)
{
    [Fact]
    public async Task Metrics_switched_off_leave_no_route()
    {
        using var host = Api.WithWebHostBuilder(b => b.UseSetting("Metrics:Enabled", "false"));
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/metrics", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode); // an unknown route under the fallback policy
    }

    [Fact]
    public async Task A_client_outside_the_allowed_networks_finds_nothing()
    {
        using var restricted = Api.WithWebHostBuilder(b => b.UseSetting("Metrics:AllowedNetworks:0", "10.0.0.0/8"));
        using var client = restricted.CreateClient();
        using var open = Api.CreateClient();

        using var refused = await client.GetAsync("/metrics", Ct);
        using var served = await open.GetAsync("/metrics", Ct);

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.StartsWith("text/plain", served.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }
}
