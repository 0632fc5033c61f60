using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Connectra.Backend.Api.Http;

/// <summary>
/// Bound from "ForwardedHeaders": the proxies (load balancers) whose <c>X-Forwarded-For</c> names the real client.
/// None by default, and then the header is ignored: anyone can send one, so trusting it blindly would let a client
/// pick its own rate-limit partition.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c>.</summary>
    public IReadOnlyList<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public IReadOnlyList<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a chain are unwrapped, from the nearest one.</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool Configured => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

internal static class ForwardedHeadersSetup
{
    /// <summary>Trusts <c>X-Forwarded-For</c> and <c>-Proto</c> from the configured proxies only; false when none are.</summary>
    public static bool AddBackendForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ForwardedHeadersSettings.SectionName).Get<ForwardedHeadersSettings>() ?? new ForwardedHeadersSettings();
        if (!settings.Configured)
        {
            return false;
        }

        var proxies = settings.KnownProxies.Select(p => IPAddress.TryParse(p, out var address)
            ? address
            : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{p}' is not an IP address.")).ToList();
        var networks = settings.KnownNetworks.Select(n => System.Net.IPNetwork.TryParse(n, out var network)
            ? network
            : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{n}' is not a network such as 10.0.0.0/8.")).ToList();
        if (settings.ForwardLimit < 1)
        {
            throw new InvalidOperationException("ForwardedHeaders:ForwardLimit must be at least 1.");
        }

        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = settings.ForwardLimit;
            // The defaults trust loopback; only what the settings name is trusted here.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            proxies.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
        });
        return true;
    }
}
