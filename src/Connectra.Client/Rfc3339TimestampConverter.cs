using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Connectra.Client;

/// <summary>
/// Writes timestamps as Connectra does (<c>2025-06-13T22:58:50.035719Z</c>: UTC, trailing zeros of the fraction
/// dropped) and reads any ISO-8601 form. The default would write <c>+00:00</c>.
/// </summary>
public sealed class Rfc3339TimestampConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
