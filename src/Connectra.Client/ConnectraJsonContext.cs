using System.Text.Json;
using System.Text.Json.Serialization;
using Connectra.Client.Filters;
using Connectra.Client.Records;
using Connectra.Client.Vql;

namespace Connectra.Client;

/// <summary>
/// Source-generated JSON for every Connectra wire type: snake_case names, nulls omitted (Connectra treats an absent
/// key and a default alike, and omits empty values itself), timestamps as RFC 3339 UTC. A null where a member is
/// declared non-nullable is a broken answer, refused while reading rather than found later as a crash.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    Converters = [typeof(Rfc3339TimestampConverter)])]
[JsonSerializable(typeof(VqlQuery))]
[JsonSerializable(typeof(ConnectraList<ConnectraContact>))]
[JsonSerializable(typeof(ConnectraList<ConnectraCompany>))]
[JsonSerializable(typeof(ConnectraList<ConnectraFilter>))]
[JsonSerializable(typeof(ConnectraList<ConnectraFilterValue>))]
[JsonSerializable(typeof(ConnectraCount))]
[JsonSerializable(typeof(ConnectraAck))]
[JsonSerializable(typeof(ConnectraError))]
[JsonSerializable(typeof(ConnectraHealth))]
[JsonSerializable(typeof(ConnectraRowBatch))]
[JsonSerializable(typeof(ConnectraFilterValuesRequest))]
[JsonSerializable(typeof(IReadOnlyList<ConnectraContact>))]
[JsonSerializable(typeof(IReadOnlyList<ConnectraCompany>))]
// Refit serialises a body by its runtime type, so the lists callers actually pass need metadata of their own.
[JsonSerializable(typeof(List<ConnectraContact>))]
[JsonSerializable(typeof(List<ConnectraCompany>))]
[JsonSerializable(typeof(ConnectraContact[]))]
[JsonSerializable(typeof(ConnectraCompany[]))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
public sealed partial class ConnectraJsonContext : JsonSerializerContext;
