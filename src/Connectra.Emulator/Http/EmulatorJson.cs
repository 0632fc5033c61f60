using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Connectra.Client;
using Connectra.Client.Filters;
using Connectra.Client.Records;

namespace Connectra.Emulator.Http;

/// <summary>
/// <c>{"data":…,"success":true}</c> exactly as Connectra writes it; the client's list record also carries a
/// computed convenience property that must not reach the wire.
/// </summary>
internal sealed record DataEnvelope<T>(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyList<T>? Data,
    bool Success);

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(Rfc3339TimestampConverter)])]
[JsonSerializable(typeof(DataEnvelope<ConnectraContact>))]
[JsonSerializable(typeof(DataEnvelope<ConnectraCompany>))]
[JsonSerializable(typeof(DataEnvelope<ConnectraFilter>))]
[JsonSerializable(typeof(DataEnvelope<ConnectraFilterValue>))]
[JsonSerializable(typeof(ConnectraCount))]
[JsonSerializable(typeof(ConnectraAck))]
[JsonSerializable(typeof(ConnectraError))]
[JsonSerializable(typeof(ConnectraHealth))]
internal sealed partial class EmulatorJsonContext : JsonSerializerContext;

internal static class WireJson
{
    /// <summary>Like Go's encoder, leave '+' and non-ASCII letters readable instead of \u-escaping them.</summary>
    private static readonly JsonSerializerOptions Options = new(EmulatorJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}
