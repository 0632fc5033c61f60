using System.Security.Cryptography;
using System.Text;

namespace Connectra.Backend.Application.SalesNavigator;

/// <summary>
/// Name-based UUIDs, version 5 (RFC 9562, section 5.5): the same name in the same namespace always gives the same
/// uuid, so importing a page twice finds the records the first import wrote (docs/sales-navigator.md#keys).
/// </summary>
public static class UuidV5
{
    /// <summary>The RFC's namespace for names that are URLs.</summary>
    public static Guid UrlNamespace { get; } = new("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    /// <summary>The RFC's namespace for names that are DNS names (used by its test vector).</summary>
    public static Guid DnsNamespace { get; } = new("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

    public static Guid Create(Guid space, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        // The RFC hashes the namespace in network byte order; Guid's own byte layout is little-endian in parts.
        space.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);

        // SHA-1 is what version 5 is defined with; it identifies here, it protects nothing.
#pragma warning disable CA5350
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>The canonical text form the write side stores (lower-case, dashed).</summary>
    public static string Text(Guid space, string name) => Create(space, name).ToString("D");
}
