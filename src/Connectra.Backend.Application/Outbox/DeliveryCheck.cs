using System.Text.Json;

namespace Connectra.Backend.Application.Outbox;

/// <summary>
/// Whether Connectra holds a record as it was sent (docs/outbox.md#verification). Connectra stores values as sent but
/// renders every empty one as absent, and adds members of its own; both sides are compared without those.
/// </summary>
public static class DeliveryCheck
{
    /// <summary>What Connectra sets or derives itself: never part of what the outbox sends.</summary>
    private static readonly HashSet<string> ConnectraOwned = new(StringComparer.Ordinal)
    {
        "id", "created_at", "updated_at", "deleted_at", "company", "cursor",
    };

    public static bool Matches(string sent, string stored)
    {
        using var sentDocument = JsonDocument.Parse(sent);
        using var storedDocument = JsonDocument.Parse(stored);
        var expected = Members(sentDocument.RootElement);
        var actual = Members(storedDocument.RootElement);
        return expected.Count == actual.Count
            && expected.All(member => actual.TryGetValue(member.Key, out var value) && Same(member.Value, value));
    }

    private static Dictionary<string, JsonElement> Members(JsonElement record) =>
        record.ValueKind != JsonValueKind.Object
            ? []
            : record.EnumerateObject()
                .Where(p => !ConnectraOwned.Contains(p.Name) && !IsEmpty(p.Value))
                .ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    private static bool IsEmpty(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False => true,
        JsonValueKind.String => value.GetString()!.Length == 0,
        JsonValueKind.Number => value.TryGetDecimal(out var number) && number == 0,
        JsonValueKind.Array => value.GetArrayLength() == 0,
        JsonValueKind.Object => !value.EnumerateObject().Any(),
        _ => false,
    };

    private static bool Same(JsonElement sent, JsonElement stored) => (sent.ValueKind, stored.ValueKind) switch
    {
        (JsonValueKind.String, JsonValueKind.String) => sent.GetString() == stored.GetString(),
        (JsonValueKind.Number, JsonValueKind.Number) =>
            sent.TryGetDecimal(out var a) && stored.TryGetDecimal(out var b) ? a == b : sent.GetRawText() == stored.GetRawText(),
        (JsonValueKind.Array, JsonValueKind.Array) =>
            sent.GetArrayLength() == stored.GetArrayLength() && sent.EnumerateArray().Zip(stored.EnumerateArray()).All(pair => Same(pair.First, pair.Second)),
        (JsonValueKind.True, JsonValueKind.True) => true,
        _ => false,
    };
}
