using System.Globalization;
using System.Text.Json;

namespace Connectra.Client.Vql;

/// <summary>Builds the JSON values that keyword_match and range_query carry, without reflection-based JSON.</summary>
public static class VqlValue
{
    public static JsonElement Of(string value) =>
        JsonSerializer.SerializeToElement(value, ConnectraJsonContext.Default.String);

    public static JsonElement Of(long value) =>
        JsonSerializer.SerializeToElement(value, ConnectraJsonContext.Default.Int64);

    public static JsonElement Of(bool value) =>
        JsonSerializer.SerializeToElement(value, ConnectraJsonContext.Default.Boolean);

    /// <exception cref="ArgumentException">The list is empty: Connectra answers 500 to an empty terms array.</exception>
    public static JsonElement Of(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("Connectra rejects an empty terms array; omit the condition instead.", nameof(values));
        }

        return JsonSerializer.SerializeToElement(values, ConnectraJsonContext.Default.IReadOnlyListString);
    }

    /// <summary>A date bound in the form Connectra documents (RFC 3339, UTC).</summary>
    public static JsonElement Of(DateTimeOffset value) =>
        Of(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
