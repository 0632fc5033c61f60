using System.Globalization;
using System.Text.Json;

namespace Connectra.Emulator.Http;

/// <summary>
/// Binds request bodies the way Connectra's Go server does (encoding/json behind Gin): keys match struct fields
/// case-insensitively, unknown keys are dropped, <c>null</c> leaves a field as it is, and the first type mismatch
/// becomes the 400 message (<c>json: cannot unmarshal string into Go struct field VQLQuery.limit of type int</c>),
/// decoding carrying on past it as Go does. Go type names below the root are guesses (docs/emulator.md).
/// </summary>
internal sealed class GoJson
{
    public string? Error { get; private set; }

    /// <summary>
    /// Reads the first JSON value of the body; anything after it is ignored, as Go's json.Decoder does. An empty
    /// body is "EOF", a truncated one "unexpected EOF".
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out JsonElement root, out string error)
    {
        root = default;
        error = "";
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 10_000 });
        try
        {
            if (!reader.Read())
            {
                error = "EOF";
                return false;
            }

            using var document = JsonDocument.ParseValue(ref reader);
            root = document.RootElement.Clone();
            return true;
        }
        catch (JsonException ex)
        {
            var position = Position(body, ex);
            error = position >= body.Length || IsOnlyWhitespace(body[position..])
                ? "unexpected EOF"
                : $"invalid character '{(char)body[position]}' looking for beginning of value";
            return false;
        }
    }

    public static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };

    public void Fail(string value, string goType, string structName, string path) =>
        Error ??= $"json: cannot unmarshal {value} into Go struct field {structName}.{path} of type {goType}";

    public void FailRoot(JsonElement value, string goType) =>
        Error ??= $"json: cannot unmarshal {Kind(value)} into Go value of type {goType}";

    public void FailWith(string message) => Error ??= message;

    /// <summary>
    /// Calls <paramref name="onField"/> for each key that names one of <paramref name="fields"/> (an exact match
    /// first, then a case-insensitive one), with the field's own name, in document order so the last duplicate wins.
    /// </summary>
    public static void Fields(JsonElement obj, IReadOnlyList<string> fields, Action<string, JsonElement> onField)
    {
        foreach (var property in obj.EnumerateObject())
        {
            var name = fields.FirstOrDefault(f => f == property.Name)
                       ?? fields.FirstOrDefault(f => string.Equals(f, property.Name, StringComparison.OrdinalIgnoreCase));
            if (name is not null)
            {
                onField(name, property.Value);
            }
        }
    }

    public long Int(JsonElement value, long current, string structName, string path, string goType = "int")
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return current;
            case JsonValueKind.Number:
                var text = value.GetRawText();
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    return number;
                }

                Fail("number " + text, goType, structName, path);
                return current;
            default:
                Fail(Kind(value), goType, structName, path);
                return current;
        }
    }

    public string String(JsonElement value, string current, string structName, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return current;
            case JsonValueKind.String:
                return value.GetString()!;
            default:
                Fail(Kind(value), "string", structName, path);
                return current;
        }
    }

    public bool Bool(JsonElement value, bool current, string structName, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return current;
            case JsonValueKind.True or JsonValueKind.False:
                return value.GetBoolean();
            default:
                Fail(Kind(value), "bool", structName, path);
                return current;
        }
    }

    /// <summary>A []string: elements that are not strings are errors, null elements become "".</summary>
    public List<string>? Strings(JsonElement value, List<string>? current, string structName, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Array:
                var list = new List<string>();
                foreach (var item in value.EnumerateArray())
                {
                    list.Add(String(item, "", structName, path));
                }

                return list;
            default:
                Fail(Kind(value), "[]string", structName, path);
                return current;
        }
    }

    /// <summary>A map[string]interface{}: any values, the last duplicate key wins.</summary>
    public Dictionary<string, JsonElement>? AnyMap(JsonElement value, string structName, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Object:
                var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    map[property.Name] = property.Value.Clone();
                }

                return map;
            default:
                Fail(Kind(value), "map[string]interface {}", structName, path);
                return null;
        }
    }

    /// <summary>Go's time.Time accepts RFC 3339 strings only.</summary>
    public void Time(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            FailWith("Time.UnmarshalJSON: input is not a JSON string");
            return;
        }

        var text = value.GetString()!;
        if (!DateTimeOffset.TryParseExact(
                text, Rfc3339Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            FailWith($"parsing time \"{text}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{text}\" as \"2006\"");
        }
    }

    internal static readonly string[] Rfc3339Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFFFK",
    ];

    private static bool IsOnlyWhitespace(ReadOnlySpan<byte> rest)
    {
        foreach (var b in rest)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static int Position(ReadOnlySpan<byte> body, JsonException ex)
    {
        var line = (int)(ex.LineNumber ?? 0);
        var position = 0;
        for (var i = 0; i < line && position < body.Length; position++)
        {
            if (body[position] == (byte)'\n')
            {
                i++;
            }
        }

        return position + (int)(ex.BytePositionInLine ?? body.Length);
    }
}
