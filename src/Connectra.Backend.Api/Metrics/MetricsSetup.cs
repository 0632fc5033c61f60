using Connectra.Backend.Application;
using Connectra.Client;
using Connectra.Backend.Api.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Connectra.Backend.Api.Metrics;

/// <summary>OpenTelemetry metrics, exported for Prometheus at <c>GET /metrics</c> (docs/operations.md#metrics).</summary>
internal static class MetricsSetup
{
    public const string Path = "/metrics";

    /// <summary>Npgsql's own meter: pool usage, pending connection requests, command durations.</summary>
    private const string NpgsqlMeter = "Npgsql";

    public static IServiceCollection AddBackendMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>()
            .BindConfiguration(MetricsOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.NetworksAreValid(), "Metrics:AllowedNetworks: every entry must be a network in CIDR notation, e.g. 10.0.0.0/8.")
            .ValidateOnStart();
        if (!Enabled(configuration))
        {
            return services;
        }

        services.AddHostedService<BacklogSampler>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("connectra-backend"))
            .WithMetrics(metrics => metrics
                // Request duration by route template (http.route), never by raw path: uuids never become labels.
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(ConnectraMetrics.MeterName, BackendMeter.Name, NpgsqlMeter)
                // The exporter caches a scrape for 300 ms by default; our gauges read snapshots, so a scrape is cheap
                // and should show what just happened.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    public static void MapBackendMetrics(this WebApplication app)
    {
        if (!Enabled(app.Configuration))
        {
            return;
        }

        // Built now, so the breaker's gauge is there from the first scrape rather than from the first Connectra call.
        app.Services.GetRequiredService<ConnectraMetrics>();
        var networks = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Networks();
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch =>
                branch.Use((context, next) =>
                {
                    if (networks.Count > 0 && !(context.Connection.RemoteIpAddress is { } address && Allowed(networks, address)))
                    {
                        // Not there at all, as far as an outsider can tell.
                        context.Response.StatusCode = StatusCodes.Status404NotFound;
                        return Task.CompletedTask;
                    }

                    return next(context);
                }),
                optionsName: null)
            // Prometheus authenticates by network, not by token; the fallback policy would otherwise demand one.
            .AllowAnonymous()
            // Scrapes are not traffic: they would only add a steady trickle to the request series.
            .DisableHttpMetrics()
            // A scrape is a GET; anything else is a 405 like on every other route.
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            // Metered like the health probes it sits beside, by the scraper's address.
            .RequireRateLimiting(RateLimiting.Health);
    }

    private static bool Enabled(IConfiguration configuration) =>
        configuration.GetValue($"{MetricsOptions.SectionName}:{nameof(MetricsOptions.Enabled)}", true);

    private static bool Allowed(IReadOnlyList<System.Net.IPNetwork> networks, System.Net.IPAddress address)
    {
        var mapped = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return networks.Any(network => network.Contains(mapped));
    }
}
