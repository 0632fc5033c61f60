using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Connectra.Backend.Api.Metrics;

/// <summary>The Prometheus endpoint and the samplers behind its gauges (section <c>Metrics</c>).</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Collect metrics and serve <c>GET /metrics</c>; off, neither the route nor the samplers exist.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Client networks (CIDR, e.g. <c>10.0.0.0/8</c>) that may scrape; others get 404. Empty: any client. The address is
    /// the connection's, so behind a proxy it is the proxy's: there, keep /metrics off the public route instead.
    /// </summary>
    public IList<string> AllowedNetworks { get; } = [];

    /// <summary>How often the outbox lag and the export queue are read from PostgreSQL for the gauges.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00", ErrorMessage = "Metrics:SampleInterval must be between 50 ms and 10 minutes.")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    internal IReadOnlyList<IPNetwork> Networks() => [.. AllowedNetworks.Select(IPNetwork.Parse)];

    internal bool NetworksAreValid() => AllowedNetworks.All(network => IPNetwork.TryParse(network, out _));
}
