using System.Text.Json;
using System.Text.Json.Serialization;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Application.Exports;

/// <summary>
/// Where one stream of a job stands: the sort values of its last written row (or, for uuid lists, how many uuids it
/// has done), how many rows and bytes its part file holds. Resuming truncates the part file to <see cref="Bytes"/>
/// and goes on from there, so no row is written twice.
/// </summary>
public sealed record StreamCheckpoint(IReadOnlyList<string>? After, int Position, int Rows, long Bytes, bool Done);

/// <summary>
/// A job's checkpoint: its streams, the requested uuids found missing so far, and for an export by query walked in
/// several streams the uuid bounds between them (<see cref="ExportStreams"/>), so a resumed job cuts its streams
/// exactly where they were cut before.
/// </summary>
public sealed record ExportCheckpoint(
    IReadOnlyList<StreamCheckpoint> Streams, int MissingCount, IReadOnlyList<string> MissingUuids, IReadOnlyList<string>? Bounds = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, ExportJson.Default.ExportCheckpoint);

    public static ExportCheckpoint? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, ExportJson.Default.ExportCheckpoint);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VqlSearchRequest))]
[JsonSerializable(typeof(ExportCheckpoint))]
internal sealed partial class ExportJson : JsonSerializerContext;
