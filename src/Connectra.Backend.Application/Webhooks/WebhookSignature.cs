using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Connectra.Backend.Application.Webhooks;

/// <summary>
/// Standard Webhooks signing (docs/webhooks.md#signatures): HMAC-SHA256 keyed with the secret's decoded bytes over
/// <c>id.timestamp.body</c>, sent as <c>v1,</c> + base64; several signatures, space-separated, while a secret rotates.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const int MinSecretBytes = 24;
    public const int MaxSecretBytes = 64;

    /// <summary>The most signatures one header carries (the current secret and the one it replaces).</summary>
    public const int MaxSignatures = 2;

    /// <summary>A new secret: <c>whsec_</c> + base64 of <paramref name="bytes"/> random bytes.</summary>
    public static string NewSecret(int bytes = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, MinSecretBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, MaxSecretBytes);
        return SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));
    }

    /// <summary>The <c>webhook-signature</c> header: one <c>v1,</c> signature per secret, in the order given.</summary>
    public static string Sign(IReadOnlyList<string> secrets, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count is 0 or > MaxSignatures)
        {
            throw new ArgumentException($"one to {MaxSignatures} secrets", nameof(secrets));
        }

        var signed = Signed(id, timestamp, body);
        return string.Join(' ', secrets.Select(s => "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key(s), signed))));
    }

    /// <summary>Whether any <c>v1</c> signature of the header is the secret's over this message (in constant time each).</summary>
    public static bool Verify(string secret, string id, long timestamp, ReadOnlySpan<byte> body, string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var expected = HMACSHA256.HashData(Key(secret), Signed(id, timestamp, body));
        foreach (var part in header.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(8))
        {
            if (!part.StartsWith("v1,", StringComparison.Ordinal))
            {
                continue;
            }

            var given = new byte[32];
            if (Convert.TryFromBase64String(part[3..], given, out var written) && written == given.Length
                && CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The key is the base64 after the prefix, decoded; the prefix is optional, as the specification allows.</summary>
    private static byte[] Key(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        return Convert.FromBase64String(encoded);
    }

    private static byte[] Signed(string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        var signed = new byte[head.Length + body.Length];
        head.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(head.Length));
        return signed;
    }
}
