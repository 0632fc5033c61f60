using System.Text.Json;
using Connectra.Backend.Application.Vql;
using Connectra.Client.Records;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Reading;

/// <summary>
/// Connectra has no delete (docs/connectra.md#x9). A record deleted through the API is overwritten there by a
/// tombstone: every field emptied and one keyword field set to <see cref="Marker"/>. Every read this backend sends
/// excludes that value in Connectra itself (a must_not term), so deleted records are never served, counted or paged,
/// without the read path ever asking PostgreSQL (docs/writes.md#deletes).
/// </summary>
public static class Tombstones
{
    public const string Marker = "__deleted__";

    /// <summary><see cref="Marker"/> as UTF-8, for readers of raw answers.</summary>
    public static ReadOnlySpan<byte> MarkerUtf8 => "__deleted__"u8;

    /// <summary>The contact field that carries the marker: a keyword every contact has, and no real value equals.</summary>
    public const string ContactField = "email_status";

    /// <summary>The company field that carries the marker.</summary>
    public const string CompanyField = "linkedin_url";

    public static ConnectraContact Contact(string uuid) => new() { Uuid = uuid, EmailStatus = Marker };

    public static ConnectraCompany Company(string uuid) => new() { Uuid = uuid, LinkedinUrl = Marker };

    public static bool IsTombstone(ConnectraCompany? company) => company?.LinkedinUrl == Marker;

    public static bool IsTombstone(ConnectraContact? contact) => contact?.EmailStatus == Marker;

    /// <summary><paramref name="where"/>, and not the records whose <paramref name="field"/> holds the marker.</summary>
    public static VqlWhere Exclude(VqlWhere? where, string field)
    {
        var keyword = where?.KeywordMatch;
        var mustNot = new Dictionary<string, JsonElement>(keyword?.MustNot ?? new Dictionary<string, JsonElement>());
        mustNot[field] = mustNot.TryGetValue(field, out var excluded) ? With(excluded) : VqlValue.Of(Marker);
        return (where ?? new VqlWhere()) with { KeywordMatch = (keyword ?? new VqlKeywordMatch()) with { MustNot = mustNot } };
    }

    /// <summary>The client excluded values of the same field already: one terms list holds theirs and the marker.</summary>
    private static JsonElement With(JsonElement excluded)
    {
        var values = excluded.ValueKind == JsonValueKind.Array
            ? excluded.EnumerateArray().Select(v => v.GetString() ?? v.GetRawText()).ToList()
            : [excluded.ValueKind == JsonValueKind.String ? excluded.GetString()! : excluded.GetRawText()];
        return values.Contains(Marker) ? excluded : VqlValue.Of([.. values, Marker]);
    }
}
