namespace Connectra.Backend.Application;

/// <summary>Normalises what Connectra stores into what the API promises.</summary>
internal static class Values
{
    /// <summary>"_" is the original data's "unknown"; empty and unknown both become null.</summary>
    public static string? Clean(string? value) => string.IsNullOrEmpty(value) || value == "_" ? null : value;

    public static IReadOnlyList<string> CleanList(IReadOnlyList<string>? values) =>
        values is null ? [] : [.. values.Select(Clean).OfType<string>()];

    /// <summary>A list as one string, ", "-joined (the API's flat fields); null when nothing is left.</summary>
    /// <remarks>
    /// Every list item of a page passes here several times (departments, industries, keywords, technologies), so the
    /// result is made in one allocation, without the intermediate cleaned list (docs/benchmarks.md#query-path).
    /// </remarks>
    public static string? Join(IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return null;
        }

        var length = 0;
        var kept = 0;
        string? only = null;
        for (var i = 0; i < values.Count; i++)
        {
            if (Clean(values[i]) is { } value)
            {
                length += value.Length;
                kept++;
                only = value;
            }
        }

        if (kept <= 1)
        {
            return only;
        }

        return string.Create(length + (Separator.Length * (kept - 1)), values, static (span, list) =>
        {
            var first = true;
            for (var i = 0; i < list.Count; i++)
            {
                if (Clean(list[i]) is not { } value)
                {
                    continue;
                }

                if (!first)
                {
                    Separator.CopyTo(span);
                    span = span[Separator.Length..];
                }

                value.CopyTo(span);
                span = span[value.Length..];
                first = false;
            }
        });
    }

    private const string Separator = ", ";

    /// <summary>"city state country" of the parts that are known: how the original filled text_search.</summary>
    public static string? Location(params string?[] parts) =>
        parts.Select(Clean).OfType<string>().ToList() is { Count: > 0 } known ? string.Join(' ', known) : null;
}
