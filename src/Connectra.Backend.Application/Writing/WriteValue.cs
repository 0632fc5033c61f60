using System.Net.Mail;
using System.Text.Json;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Application.Writing;

public enum WriteKind
{
    /// <summary>Free text, trimmed; empty is none.</summary>
    Text,

    /// <summary>An e-mail address, stored lower-case.</summary>
    Email,

    /// <summary>An absolute http(s) URL.</summary>
    Url,

    /// <summary>Digits and the usual phone punctuation.</summary>
    Phone,

    /// <summary>A uuid, stored in canonical form.</summary>
    Uuid,

    /// <summary>One of a fixed set of lower-case words.</summary>
    Choice,

    /// <summary>A list of lower-case words, each once.</summary>
    List,

    /// <summary>A whole number, 0 or more.</summary>
    Count,

    /// <summary>A domain name such as acme.com.</summary>
    Domain,
}

/// <summary>How one writable field's JSON value is read and checked; every refusal names the field's location.</summary>
public sealed record WriteValue(WriteKind Kind, int MaxLength = 255, IReadOnlyList<string>? Choices = null)
{
    /// <summary>Most entries of a list field.</summary>
    public const int MaxItems = 64;

    /// <summary>
    /// Whether the value must have a form (an address, a uuid, one of a list) rather than be any text. White space
    /// alone has none of these forms, so for such a field it is refused, not taken for "no value".
    /// </summary>
    public bool HasFormat => Kind is WriteKind.Email or WriteKind.Url or WriteKind.Phone or WriteKind.Uuid or WriteKind.Choice or WriteKind.Domain;

    /// <summary>The value (string, list of strings or long), or null for JSON null or an empty string.</summary>
    public object? Read(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return Kind == WriteKind.List ? new List<string>() : null;
        }

        return Kind switch
        {
            WriteKind.List => ReadList(value, path),
            WriteKind.Count => ReadCount(value, path),
            _ => ReadText(value, path) is { } text ? Check(text, path) : null,
        };
    }

    /// <summary>
    /// A text value given as it is (an imported cell) rather than as JSON: exactly what <see cref="Read"/> makes of the
    /// JSON string holding it, without building one. List and count fields take their own shapes (<see cref="ReadItems"/>).
    /// </summary>
    public object? ReadString(string written, string path)
    {
        ArgumentNullException.ThrowIfNull(written);
        if (Kind is WriteKind.List or WriteKind.Count)
        {
            throw new InvalidOperationException($"a {Kind} field is not read from one string");
        }

        return Text(Paired(written), path) is { } text ? Check(text, path) : null;
    }

    /// <summary>A list field's entries given as they are: what <see cref="Read"/> makes of the JSON array of them.</summary>
    public List<string> ReadItems(IReadOnlyList<string> items, string path)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (Kind != WriteKind.List)
        {
            throw new InvalidOperationException($"a {Kind} field holds no list");
        }

        if (items.Count > MaxItems)
        {
            throw new VqlValidationException(path, $"holds at most {MaxItems} entries, not {items.Count}");
        }

        var words = new List<string>(items.Count);
        for (var index = 0; index < items.Count; index++)
        {
            if (Text(Paired(items[index]), $"{path}[{index}]")?.ToLowerInvariant() is { } word && !words.Contains(word))
            {
                words.Add(word);
            }
        }

        return words;
    }

    private string? ReadText(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new VqlValidationException(path, $"expects a string, found {VqlValues.Describe(value)}");
        }

        string written;
        try
        {
            written = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new VqlValidationException(path, "is not valid Unicode text");
        }

        return Text(written, path);
    }

    /// <summary>
    /// The text with each unpaired surrogate replaced by U+FFFD, as writing it into a JSON string does: a value read
    /// as text must come out as the JSON string of it would.
    /// </summary>
    private static string Paired(string text)
    {
        char[]? copy = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i]))
            {
                continue;
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            copy ??= text.ToCharArray();
            copy[i] = '\uFFFD';
        }

        return copy is null ? text : new string(copy);
    }

    private string? Text(string written, string path)
    {
        var text = written.Trim();
        if (text.Length == 0 && written.Length > 0 && HasFormat)
        {
            // "" means no value; " " is more likely a form's untouched field or a bug, and storing it as null
            // would lose that silently (docs/writes.md#bodies).
            throw new VqlValidationException(path, $"is only white space, which is not {Expected}; send null or \"\" for no value");
        }

        if (text.Length > MaxLength)
        {
            throw new VqlValidationException(path, $"is at most {MaxLength} characters long, not {text.Length}");
        }

        // PostgreSQL refuses NUL in text; line breaks and tabs are the only control characters a value (an address)
        // has a use for.
        if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            throw new VqlValidationException(path, "contains control characters");
        }

        return text.Length == 0 ? null : text;
    }

    private string Check(string text, string path) => Kind switch
    {
        WriteKind.Email => MailAddress.TryCreate(text, out var address) && address.Address == text && text.Contains('.', StringComparison.Ordinal)
            ? text.ToLowerInvariant()
            : throw new VqlValidationException(path, $"'{Shorten(text)}' is not an e-mail address"),
        WriteKind.Url => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? text
            : throw new VqlValidationException(path, $"'{Shorten(text)}' is not an absolute http or https URL"),
        WriteKind.Phone => text.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.') && text.Any(char.IsAsciiDigit)
            ? text
            : throw new VqlValidationException(path, $"'{Shorten(text)}' is not a phone number (digits, spaces and + - ( ) . only)"),
        WriteKind.Uuid => Uuids.Parse(text, path),
        WriteKind.Choice => Choices!.Contains(text.ToLowerInvariant())
            ? text.ToLowerInvariant()
            : throw new VqlValidationException(path, $"'{Shorten(text)}' is not one of: {string.Join(", ", Choices!)}"),
        WriteKind.Domain => Uri.CheckHostName(text) == UriHostNameType.Dns && text.Contains('.', StringComparison.Ordinal)
            ? text.ToLowerInvariant()
            : throw new VqlValidationException(path, $"'{Shorten(text)}' is not a domain name"),
        _ => text,
    };

    private string Expected => Kind switch
    {
        WriteKind.Email => "an e-mail address",
        WriteKind.Url => "a URL",
        WriteKind.Phone => "a phone number",
        WriteKind.Uuid => "a uuid",
        WriteKind.Choice => $"one of: {string.Join(", ", Choices!)}",
        _ => "a domain name",
    };

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private List<string> ReadList(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new VqlValidationException(path, $"expects a list of strings, found {VqlValues.Describe(value)}");
        }

        if (value.GetArrayLength() > MaxItems)
        {
            throw new VqlValidationException(path, $"holds at most {MaxItems} entries, not {value.GetArrayLength()}");
        }

        var items = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (ReadText(item, $"{path}[{index++}]")?.ToLowerInvariant() is { } word && !items.Contains(word))
            {
                items.Add(word);
            }
        }

        return items;
    }

    private static long ReadCount(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0
            ? number
            : throw new VqlValidationException(path, $"expects a whole number of 0 or more, found {VqlValues.Describe(value)}");
}
