using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Connectra.Backend.Api.Http;

/// <summary>What is wrong with a JSON body, and where: <see cref="Path"/> is the location as the client wrote it
/// (<c>filters.and[0].field</c>; empty for the body itself).</summary>
internal sealed record JsonBodyFault(string Path, string Message)
{
    /// <summary>A fault at <paramref name="path"/>; at the top, the message says it is the body's.</summary>
    public static JsonBodyFault At(string path, string message) => new(path, path.Length == 0 ? $"The body {message}" : message);
}

/// <summary>
/// One pass over a JSON body before anything binds it (docs/api.md#json-bodies): the syntax, the nesting depth, every
/// key and string as Unicode text, and no key twice in one object. Checking here rather than in the serializer
/// covers every route at once, the converters that parse a subtree themselves (filters) included, and turns
/// what System.Text.Json would otherwise throw late — an invalid UTF-8 key surfaces only when a property's name is
/// read — into a 400 that names the place.
/// </summary>
internal static class JsonBodyCheck
{
    /// <summary>
    /// Null when the body is sound; otherwise the first fault in document order. With
    /// <paramref name="keysIgnoreCase"/> (the serializer matches names case-insensitively), keys that differ only by
    /// case name the same field, so they count as the same key.
    /// </summary>
    public static JsonBodyFault? Find(ReadOnlySpan<byte> body, int maxDepth, bool keysIgnoreCase)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions
        {
            // One more than the limit, so that this check, which knows the path, refuses first.
            MaxDepth = maxDepth + 1,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });
        var comparer = keysIgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var open = new Stack<Container>();
        try
        {
            while (reader.Read())
            {
                var container = open.Count == 0 ? null : open.Peek();
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        if (Key(ref reader, container!, comparer) is { } keyFault)
                        {
                            return keyFault;
                        }

                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        open.Pop();
                        continue;
                }

                var path = ValuePath(container);
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when open.Count >= maxDepth:
                        return JsonBodyFault.At(path, $"nests objects and arrays deeper than {maxDepth} levels, the most accepted (Limits:MaxJsonDepth)");
                    case JsonTokenType.StartObject:
                        open.Push(new Container(path, new Dictionary<string, string>(comparer)));
                        break;
                    case JsonTokenType.StartArray:
                        open.Push(new Container(path, null));
                        break;
                    case JsonTokenType.String when !IsText(ref reader):
                        return JsonBodyFault.At(path, "is not valid Unicode text (invalid UTF-8, or an escaped half of a surrogate pair)");
                }
            }
        }
        catch (JsonException ex)
        {
            return JsonBodyFault.At(open.Count == 0 ? "" : ValuePath(open.Peek()), $"is not valid JSON: {ex.Message}");
        }

        return null;
    }

    private static JsonBodyFault? Key(ref Utf8JsonReader reader, Container container, StringComparer comparer)
    {
        var written = Encoding.UTF8.GetString(reader.ValueSpan);
        string name;
        try
        {
            name = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Named as written, with what cannot be decoded shown as U+FFFD: the closest a message can come.
            return JsonBodyFault.At(Join(container.Path, written),
                "is a key that is not valid Unicode text (invalid UTF-8, or an escaped half of a surrogate pair)");
        }

        container.Key = name;
        if (container.Keys!.TryAdd(name, written))
        {
            return null;
        }

        var first = container.Keys[name];
        return JsonBodyFault.At(Join(container.Path, name), first == written
            ? "is given twice; a key may appear once in an object"
            : $"is given twice (\"{first}\" and \"{written}\" name the same key); a key may appear once in an object");
    }

    /// <summary>Whether a string token decodes to Unicode text, without building the string (a scraped page is megabytes).</summary>
    private static bool IsText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }

        // Unescaped, a value is never longer than as written.
        var buffer = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            var length = reader.CopyString(buffer);
            return Utf8.IsValid(buffer.AsSpan(0, length));
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Where the value the reader is at sits: under the container's current key, or at its next index.</summary>
    private static string ValuePath(Container? container)
    {
        if (container is null)
        {
            return "";
        }

        if (container.Keys is not null)
        {
            // Before the first key (a syntax error right after "{"), the object itself.
            return container.Key is null ? container.Path : Join(container.Path, container.Key);
        }

        container.Index++;
        return $"{container.Path}[{container.Index}]";
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>An open object (with its keys so far, each with its spelling as written) or array.</summary>
    private sealed class Container(string path, Dictionary<string, string>? keys)
    {
        public string Path { get; } = path;

        public Dictionary<string, string>? Keys { get; } = keys;

        public string? Key { get; set; }

        public int Index { get; set; } = -1;
    }
}
