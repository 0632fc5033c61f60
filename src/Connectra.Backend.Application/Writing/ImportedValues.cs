using System.Buffers;
using System.Text.Json;
using Connectra.Backend.Application.Persistence;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Application.Writing;

/// <summary>
/// Values that reach a record from an import rather than a JSON body (docs/sales-navigator.md#mapping). They go
/// through the same field table and checks as a body's; text too long for its field is cut to fit first, since an
/// import must not lose a whole record over one long title.
/// </summary>
public static class ImportedValues
{
    /// <summary>Sets the field at <paramref name="path"/> (<c>title</c>, <c>metadata.city</c>).</summary>
    /// <returns>Null when set; otherwise why the field refused the value, which is then left out.</returns>
    public static string? Set<TRow, TMeta>(IReadOnlyList<WriteField<TRow, TMeta>> fields, TRow row, TMeta metadata, string path, object? value)
        where TRow : class, IWritableRow
        where TMeta : class, IUuidRow
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(path);
        var inMetadata = path.StartsWith("metadata.", StringComparison.Ordinal);
        var name = inMetadata ? path["metadata.".Length..] : path;
        var field = fields.Single(f => f.InMetadata == inMetadata && f.Name == name);
        try
        {
            field.Set(row, metadata, field.Value.Read(Json(Fit(field.Value, value)), path));
            return null;
        }
        catch (VqlValidationException refused)
        {
            return refused.Message;
        }
    }

    private static object? Fit(WriteValue kind, object? value) => (kind.Kind, value) switch
    {
        (WriteKind.Text, string text) => Cut(text.Trim(), kind.MaxLength),
        (WriteKind.List, IEnumerable<string> items) => items.Take(WriteValue.MaxItems).Select(i => Cut(i.Trim(), kind.MaxLength)).ToList(),
        _ => value,
    };

    private static string Cut(string text, int length) =>
        text.Length <= length ? text : text[..(char.IsHighSurrogate(text[length - 1]) ? length - 1 : length)].TrimEnd();

    private static JsonElement Json(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string text:
                    writer.WriteStringValue(text);
                    break;
                case IEnumerable<string> items:
                    writer.WriteStartArray();
                    foreach (var item in items)
                    {
                        writer.WriteStringValue(item);
                    }

                    writer.WriteEndArray();
                    break;
                case long number:
                    writer.WriteNumberValue(number);
                    break;
                default:
                    throw new ArgumentException($"an imported value is text, a list of text or a count, not {value.GetType().Name}", nameof(value));
            }
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}

/// <summary>Runs work in one database transaction: the repositories' writes inside it commit together or not at all.</summary>
public interface IWriteTransaction
{
    Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct);
}
