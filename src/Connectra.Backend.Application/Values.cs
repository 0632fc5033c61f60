namespace Connectra.Backend.Application;

/// <summary>Normalises what Connectra stores into what the API promises.</summary>
internal static class Values
{
    /// <summary>"_" is the original data's "unknown"; empty and unknown both become null.</summary>
    public static string? Clean(string? value) => string.IsNullOrEmpty(value) || value == "_" ? null : value;

    public static IReadOnlyList<string> CleanList(IReadOnlyList<string>? values) =>
        values is null ? [] : [.. values.Select(Clean).OfType<string>()];

    /// <summary>A list as one string, ", "-joined (the API's flat fields); null when nothing is left.</summary>
    public static string? Join(IReadOnlyList<string>? values) =>
        CleanList(values) is { Count: > 0 } list ? string.Join(", ", list) : null;

    /// <summary>"city state country" of the parts that are known: how the original filled text_search.</summary>
    public static string? Location(params string?[] parts) =>
        parts.Select(Clean).OfType<string>().ToList() is { Count: > 0 } known ? string.Join(' ', known) : null;
}
