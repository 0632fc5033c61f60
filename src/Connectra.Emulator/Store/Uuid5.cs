using System.Security.Cryptography;
using System.Text;

namespace Connectra.Emulator.Store;

/// <summary>
/// RFC 4122 version-5 identifiers in the URL namespace, as Connectra derives contact, company and filter-value uuids
/// (docs/connectra.md#identifiers); .NET has no built-in v5.
/// </summary>
internal static class Uuid5
{
    private static readonly byte[] UrlNamespace = Guid.Parse("6ba7b811-9dad-11d1-80b4-00c04fd430c8").ToByteArray(bigEndian: true);

    public static string Create(string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[UrlNamespace.Length + nameBytes.Length];
        UrlNamespace.CopyTo(input, 0);
        nameBytes.CopyTo(input, UrlNamespace.Length);

        Span<byte> hash = stackalloc byte[20];
        // SHA-1 is what the RFC prescribes for v5; it names things here, it protects nothing.
#pragma warning disable CA5350 // see the line above
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
