using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Vql;

/// <summary>A date bound: what goes on the wire and the instants it stands for when Connectra completes it.</summary>
/// <param name="Start">First instant covered (a date alone covers its whole UTC day); null for date math.</param>
/// <param name="End">Last millisecond covered; null for date math.</param>
internal sealed record DateValue(JsonElement Wire, DateTime? Start, DateTime? End);

/// <summary>Reads and checks condition values; every refusal names the value's location.</summary>
internal static partial class VqlValues
{
    public const int MinimumFragmentLength = 5;

    /// <summary>The longest date, date-time or date-math expression worth parsing.</summary>
    private const int MaxDateLength = 64;

    public static JsonElement Term(object value) => value switch
    {
        string text => VqlValue.Of(text),
        long number => VqlValue.Of(number),
        _ => throw new ArgumentException($"Unsupported term {value.GetType().Name}.", nameof(value)),
    };

    /// <summary>One term as a scalar (Elasticsearch term) or several as an array (terms); never an empty array.</summary>
    public static JsonElement Terms(IReadOnlyList<object> values)
    {
        if (values.Count == 1)
        {
            return Term(values[0]);
        }

        if (values.Count == 0)
        {
            throw new ArgumentException("Connectra answers 500 to an empty terms array.", nameof(values));
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                Term(value).WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>The items of an in/nin value: an array's elements, or a single value wrapped.</summary>
    public static IReadOnlyList<(JsonElement Value, string Path)> List(FilterLeaf leaf, RequestLimits limits)
    {
        if (leaf.Value.ValueKind != JsonValueKind.Array)
        {
            return [(Scalar(leaf), leaf.ValuePath)];
        }

        if (leaf.Value.GetArrayLength() > limits.MaxListValues)
        {
            throw new VqlValidationException(leaf.ValuePath,
                $"'{leaf.OperatorName}' takes at most {limits.MaxListValues} values (Limits:MaxListValues), not {leaf.Value.GetArrayLength()}");
        }

        var items = leaf.Value.EnumerateArray().Select((v, i) => (v, $"{leaf.ValuePath}[{i}]")).ToList();
        if (items.Count == 0)
        {
            throw new VqlValidationException(leaf.ValuePath,
                $"'{leaf.OperatorName}' needs at least one value; an empty list cannot be sent to Connectra");
        }

        return items;
    }

    /// <summary>The value of an operator that takes exactly one.</summary>
    public static JsonElement Scalar(FilterLeaf leaf) => leaf.Value.ValueKind switch
    {
        JsonValueKind.Array => throw new VqlValidationException(leaf.ValuePath,
            $"'{leaf.OperatorName}' takes a single value, not a list; use 'in' or 'nin' for lists"),
        JsonValueKind.Object => throw new VqlValidationException(leaf.ValuePath,
            $"'{leaf.OperatorName}' takes a single value, not an object"),
        JsonValueKind.Null or JsonValueKind.Undefined => throw new VqlValidationException(leaf.ValuePath,
            $"'{leaf.OperatorName}' needs a value"),
        _ => leaf.Value,
    };

    /// <summary>A string value of at most <paramref name="maxLength"/> characters, refused when it is not valid Unicode.</summary>
    public static string String(JsonElement value, string path, FieldDefinition field, int maxLength)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new VqlValidationException(path, $"{field.Name} expects a string value, found {Describe(value)}");
        }

        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // JSON allows an escaped lone surrogate (\ud800), and the reader defers checking UTF-8 inside strings.
            throw new VqlValidationException(path, $"{field.Name} is not valid Unicode text (a lone surrogate or an invalid UTF-8 byte)");
        }

        return text.Length <= maxLength
            ? text
            : throw new VqlValidationException(path, $"{field.Name} values are at most {maxLength} characters long, not {text.Length}");
    }

    /// <summary>
    /// Text for analysed search: within the text limits, and with a letter or digit (text without one analyses to no
    /// token and matches nothing).
    /// </summary>
    public static string Text(JsonElement value, string path, FieldDefinition field, RequestLimits limits) =>
        CheckText(String(value, path, field, limits.MaxTextLength), path, limits);

    public static string CheckText(string text, string path, RequestLimits limits)
    {
        if (!text.Any(char.IsLetterOrDigit))
        {
            throw new VqlValidationException(path,
                $"'{text}' has no letters or digits, and Connectra's text search matches nothing for it");
        }

        var words = Words(text);
        if (words.Count > limits.MaxWords)
        {
            throw new VqlValidationException(path,
                $"a text search may hold at most {limits.MaxWords} words (Limits:MaxWords), not {words.Count}");
        }

        if (words.FirstOrDefault(w => w.Length > limits.MaxWordLength) is { } longWord)
        {
            throw new VqlValidationException(path,
                $"a searched word may be at most {limits.MaxWordLength} characters long (Limits:MaxWordLength); '{longWord[..16]}…' has {longWord.Length}");
        }

        return text.Trim();
    }

    /// <summary>An integer: a JSON integer, or a string holding one.</summary>
    public static long Long(JsonElement value, string path, FieldDefinition field)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw new VqlValidationException(path, $"{field.Name} expects an integer, found {Describe(value)}");
    }

    public static DateValue Date(JsonElement value, string path, FieldDefinition field)
    {
        var text = value.ValueKind == JsonValueKind.String ? String(value, path, field, MaxDateLength) : null;
        if (text is not null && TryParseDate(text, allowDateMath: true, out var date))
        {
            return date;
        }

        throw new VqlValidationException(path,
            $"{field.Name} expects an ISO-8601 date (2025-01-31), date-time (2025-01-31T08:00:00Z) or date math (now-7d/d), found {Describe(value)}");
    }

    /// <summary>
    /// Dates and date-times in ISO-8601 form, plus Elasticsearch date math when allowed. A date alone is sent
    /// unchanged, because Connectra completes it to the start or end of its UTC day depending on the bound;
    /// date-times are sent in UTC; a missing zone means UTC, as Connectra reads it.
    /// </summary>
    public static bool TryParseDate(string text, bool allowDateMath, out DateValue date)
    {
        date = null!;
        text = text.Trim();
        if (allowDateMath && DateMathPattern().IsMatch(text))
        {
            date = new DateValue(VqlValue.Of(text), null, null);
            return true;
        }

        var match = IsoPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var year = int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(match.Groups["mo"].Value, CultureInfo.InvariantCulture);
        var day = int.Parse(match.Groups["d"].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || year < 1)
        {
            return false;
        }

        var start = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc);
        if (!match.Groups["h"].Success)
        {
            date = new DateValue(VqlValue.Of(text), start, start.AddDays(1).AddMilliseconds(-1));
            return true;
        }

        var hour = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = int.Parse(match.Groups["mi"].Value, CultureInfo.InvariantCulture);
        var second = match.Groups["s"].Success ? int.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var fraction = match.Groups["f"].Success ? match.Groups["f"].Value.PadRight(7, '0') : "0";
        var instant = start.AddHours(hour).AddMinutes(minute).AddSeconds(second)
            .AddTicks(long.Parse(fraction, CultureInfo.InvariantCulture));
        var zone = match.Groups["z"].Value;
        if (zone.Length > 1)
        {
            var sign = zone[0] == '-' ? -1 : 1;
            var digits = zone[1..].Replace(":", "", StringComparison.Ordinal);
            var offsetHours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
            var offsetMinutes = int.Parse(digits[2..], CultureInfo.InvariantCulture);
            if (offsetHours > 14 || offsetMinutes > 59)
            {
                return false;
            }

            instant = instant.AddMinutes(-sign * ((offsetHours * 60) + offsetMinutes));
        }

        var utc = new DateTimeOffset(instant, TimeSpan.Zero);
        date = new DateValue(VqlValue.Of(utc), instant, instant);
        return true;
    }

    /// <summary>
    /// Words as Elasticsearch's standard tokenizer cuts them, closely enough to count their length: letters and
    /// digits run together, and so do '_' and a '.', '\'' or ':' between two of them (www.acme.com is one word).
    /// </summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var joins = char.IsLetterOrDigit(c) || c == '_'
                || (c is '.' or '\'' or ':' && current.Length > 0 && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]));
            if (joins)
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>Elasticsearch orders keywords by their UTF-8 bytes, which UTF-16 ordinal order does not always match.</summary>
    public static int CompareKeywords(string left, string right) =>
        Encoding.UTF8.GetBytes(left).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(right));

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{value.GetString()}\"",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    [GeneratedRegex(@"^now(?:[+-]\d+[yMwdhHms])*(?:/[yMwdhHms])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateMathPattern();

    [GeneratedRegex(
        @"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})(?:[T ](?<h>\d{2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:\.(?<f>\d{1,7}))?)?(?<z>Z|[+-]\d{2}:?\d{2})?)?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();
}
