using System.Net;
using System.Net.Sockets;

namespace Connectra.Backend.Application.Webhooks;

/// <summary>Resolves a target's host name: DNS in service, a fixed table in tests.</summary>
public interface IWebhookResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}

public sealed class DnsWebhookResolver : IWebhookResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>A target the SSRF rules refuse (docs/webhooks.md#ssrf).</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);

/// <summary>
/// The SSRF rules (docs/webhooks.md#ssrf): which URLs may be targets and which addresses may be connected to. Applied
/// when a subscription is saved and again on every connection, because a name may resolve elsewhere later.
/// </summary>
public static class WebhookTargets
{
    public const int MaxUrlLength = 2048;

    /// <summary>Why <paramref name="url"/> may not be a target, or null when it may (its host is not resolved here).</summary>
    public static string? CheckUrl(string url, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        if (url.Length > MaxUrlLength)
        {
            return $"url is at most {MaxUrlLength} characters";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "url must be an absolute https URL";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !options.AllowHttp)
        {
            return "url must use https";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "url must not carry a user name or password";
        }

        if (uri.Fragment.Length > 0)
        {
            return "url must not carry a fragment";
        }

        if (uri.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6) || uri.IdnHost.Length == 0)
        {
            return "url must name a host";
        }

        return null;
    }

    /// <summary>
    /// The addresses of <paramref name="host"/> a connection may use; throws <see cref="WebhookTargetRefusedException"/>
    /// when it has none or when any one of them is refused (a name half public, half private is refused whole).
    /// </summary>
    public static async Task<IPAddress[]> AllowedAddressesAsync(string host, IWebhookResolver resolver, WebhookOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(options);
        var trimmed = host.Trim('[', ']');
        IPAddress[] addresses;
        if (IPAddress.TryParse(trimmed, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await resolver.ResolveAsync(trimmed, ct);
            }
            catch (SocketException)
            {
                throw new WebhookTargetRefusedException($"the host '{trimmed}' does not resolve");
            }
        }

        if (addresses.Length == 0)
        {
            throw new WebhookTargetRefusedException($"the host '{trimmed}' does not resolve");
        }

        foreach (var address in addresses)
        {
            if (Refused(address, options.AllowLoopbackForTesting) is { } why)
            {
                throw new WebhookTargetRefusedException($"the host '{trimmed}' resolves to {why} address {address}, which webhooks may not reach");
            }
        }

        return addresses;
    }

    /// <summary>What kind of refused address <paramref name="address"/> is, or null when a webhook may connect to it.</summary>
    public static string? Refused(IPAddress address, bool allowLoopback = false)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b switch
            {
                [127, ..] => allowLoopback ? null : "a loopback",
                [0, ..] => "an unspecified",
                [10, ..] => "a private",
                [172, >= 16 and <= 31, ..] => "a private",
                [192, 168, ..] => "a private",
                [100, >= 64 and <= 127, ..] => "a shared (CGNAT)",
                [169, 254, ..] => "a link-local or metadata",
                [192, 0, 0, ..] => "a special-purpose",
                [198, 18 or 19, ..] => "a benchmarking",
                [>= 224, ..] => "a multicast, reserved or broadcast",
                _ => null,
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (IPAddress.IPv6Loopback.Equals(address))
            {
                return allowLoopback ? null : "a loopback";
            }

            var b = address.GetAddressBytes();
            if (IPAddress.IPv6None.Equals(address) || IPAddress.IPv6Any.Equals(address))
            {
                return "an unspecified";
            }

            if (address.IsIPv6Multicast || b[0] == 0xff)
            {
                return "a multicast";
            }

            if (address.IsIPv6LinkLocal || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80))
            {
                return "a link-local";
            }

            if (address.IsIPv6SiteLocal || (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0))
            {
                return "a site-local";
            }

            if ((b[0] & 0xfe) == 0xfc)
            {
                return "a private (unique local)";
            }

            // IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) forms embed an IPv4 address: judged by it.
            if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
            {
                return Refused(new IPAddress(b.AsSpan(12, 4)), allowLoopback) ?? null;
            }

            if (b is [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, ..])
            {
                return Refused(new IPAddress(b.AsSpan(12, 4)), allowLoopback);
            }

            if (b is [0x20, 0x02, ..])
            {
                return Refused(new IPAddress(b.AsSpan(2, 4)), allowLoopback);
            }

            return null;
        }

        return "an unknown kind of";
    }
}
