using System.Globalization;
using System.Text.Json;
using Connectra.Client;

namespace Connectra.Backend.Application.Vql;

/// <summary>
/// Reads query-string values the one way every GET route does: keys case-insensitively, values trimmed, blank values
/// as absent, and every refusal naming the parameter.
/// </summary>
internal sealed class QueryStringReader(IReadOnlyDictionary<string, IReadOnlyList<string>> query)
{
    private readonly Dictionary<string, List<string>> _values = Index(query);

    private static Dictionary<string, List<string>> Index(IReadOnlyDictionary<string, IReadOnlyList<string>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var values = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, list) in query)
        {
            if (!values.TryGetValue(key.Trim(), out var all))
            {
                values[key.Trim()] = all = [];
            }

            all.AddRange(list.Where(v => v is not null));
        }

        return values;
    }

    private IEnumerable<string> Raw(string key, IReadOnlyList<string> aliases) =>
        aliases.Prepend(key).SelectMany(k => _values.TryGetValue(k, out var list) ? list : []);

    /// <summary>One value; the key given again with a different value is refused rather than guessed at.</summary>
    public string? Single(string key, IReadOnlyList<string>? aliases = null)
    {
        var given = Raw(key, aliases ?? []).Select(v => v.Trim()).Where(v => v.Length > 0).Distinct().ToList();
        return given.Count switch
        {
            0 => null,
            1 => given[0],
            _ => throw new VqlValidationException(key,
                $"{key} was given more than once with different values ({string.Join(", ", given.Select(v => $"'{v}'"))}); send one"),
        };
    }

    /// <summary>
    /// Every value: repeated keys, JSON array strings (<c>["a","b"]</c>) or comma-separated lists, trimmed, blanks
    /// dropped, each kept once by <paramref name="comparer"/> in the order first met.
    /// </summary>
    public List<string> Many(string key, StringComparer comparer)
    {
        var items = new List<string>();
        foreach (var raw in Raw(key, []))
        {
            var text = raw.Trim();
            IEnumerable<string?> parts;
            if (text.StartsWith('['))
            {
                try
                {
                    parts = JsonSerializer.Deserialize(text, ConnectraJsonContext.Default.IReadOnlyListString) ?? [];
                }
                catch (JsonException)
                {
                    throw new VqlValidationException(key, $"{key} starts with '[' but is not a JSON array of strings");
                }
            }
            else
            {
                parts = text.Split(',');
            }

            foreach (var part in parts)
            {
                var value = part?.Trim();
                if (!string.IsNullOrEmpty(value) && !items.Contains(value, comparer))
                {
                    items.Add(value);
                }
            }
        }

        return items;
    }

    /// <summary>A whole number of at least <paramref name="minimum"/>; the one integer rule of every parameter.</summary>
    public int? Int(string key, int minimum)
    {
        var text = Single(key);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new VqlValidationException(key, $"{key} must be an integer of at least {minimum}, not '{text}'");
    }

    /// <summary>
    /// An inclusive date bound in UTC: a date alone reaches from the start of its UTC day (<paramref name="endOfDay"/>
    /// false) to its last millisecond (true), the precision of Connectra's date fields.
    /// </summary>
    public DateTimeOffset? Date(string key, bool endOfDay, IReadOnlyList<string>? aliases = null)
    {
        var text = Single(key, aliases);
        if (text is null)
        {
            return null;
        }

        if (!VqlValues.TryParseDate(text, allowDateMath: false, out var date))
        {
            throw new VqlValidationException(key,
                $"{key} must be an ISO-8601 date (2025-01-31) or date-time (2025-01-31T08:00:00Z), not '{text}'");
        }

        return new DateTimeOffset(endOfDay ? date.End!.Value : date.Start!.Value, TimeSpan.Zero);
    }

    /// <summary>true/1/yes/y/on (any case) are true; anything else, or nothing, is false.</summary>
    public bool Bool(string key) =>
        Single(key)?.ToLowerInvariant() is "true" or "1" or "yes" or "y" or "on";
}
