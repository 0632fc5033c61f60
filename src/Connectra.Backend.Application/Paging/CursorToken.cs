using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Connectra.Backend.Application.Vql;
using Connectra.Client;
using Connectra.Client.Vql;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Application.Paging;

internal enum CursorKind
{
    /// <summary>The rows after these sort values (Connectra's search_after).</summary>
    After,

    /// <summary>The rows before these sort values: searched with every direction flipped, then reversed.</summary>
    Before,

    /// <summary>An offset inside Connectra's 1,000-row window.</summary>
    Offset,
}

internal sealed record CursorToken(CursorKind Kind, IReadOnlyList<string> SortValues, int Offset);

/// <summary>
/// Opaque, tamper-checked page tokens: base64url(JSON) + "." + base64url(HMAC-SHA256, 128 bits). The MAC covers a
/// fingerprint of the query (filters and order), so a token only continues the query that issued it.
/// </summary>
public sealed class CursorCodec
{
    private const int MacLength = 16;
    private readonly byte[] _key;

    public CursorCodec(IOptions<PagingOptions> options)
    {
        var key = options.Value.CursorKey;
        if (string.IsNullOrEmpty(key))
        {
            throw new InvalidOperationException("Paging:CursorKey is not configured.");
        }

        _key = SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    /// <summary>What a token is bound to: the filters and the full order (tie-break included).</summary>
    internal static string Fingerprint(string entity, VqlWhere? where, IReadOnlyList<VqlOrder> order)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(entity);
            if (where is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(writer, where, ConnectraJsonContext.Default.VqlWhere);
            }

            foreach (var o in order)
            {
                writer.WriteStringValue(o.OrderBy);
                writer.WriteStringValue(o.OrderDirection);
            }

            writer.WriteEndArray();
        }

        return Convert.ToHexString(SHA256.HashData(buffer.WrittenSpan))[..24];
    }

    internal string Encode(CursorToken token, string fingerprint)
    {
        var payload = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(payload))
        {
            writer.WriteStartObject();
            writer.WriteString("k", token.Kind switch { CursorKind.After => "a", CursorKind.Before => "b", _ => "o" });
            writer.WriteString("q", fingerprint);
            if (token.Kind == CursorKind.Offset)
            {
                writer.WriteNumber("o", token.Offset);
            }
            else
            {
                writer.WriteStartArray("s");
                foreach (var value in token.SortValues)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        var mac = HMACSHA256.HashData(_key, payload.WrittenSpan)[..MacLength];
        return $"{Base64Url.EncodeToString(payload.WrittenSpan)}.{Base64Url.EncodeToString(mac)}";
    }

    /// <exception cref="VqlValidationException">The token is malformed, forged, or from another query.</exception>
    internal CursorToken Decode(string token, string fingerprint)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        byte[] payload, mac;
        try
        {
            if (dot <= 0)
            {
                throw new FormatException();
            }

            payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            throw Invalid("is not a cursor this API issued");
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, payload).AsSpan(0, MacLength)))
        {
            throw Invalid("is not a cursor this API issued (or it was altered)");
        }

        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        if (root.GetProperty("q").GetString() != fingerprint)
        {
            throw Invalid("belongs to a query with other filters or another order; send the same filters and sort_by as the page that returned it");
        }

        return root.GetProperty("k").GetString() switch
        {
            "o" => new CursorToken(CursorKind.Offset, [], root.GetProperty("o").GetInt32()),
            var kind => new CursorToken(
                kind == "b" ? CursorKind.Before : CursorKind.After,
                [.. root.GetProperty("s").EnumerateArray().Select(v => v.GetString() ?? "")],
                0),
        };
    }

    private static VqlValidationException Invalid(string why) => new("cursor", $"The cursor {why}.");
}
