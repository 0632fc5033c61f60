using System.Text.Json;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Application.Importing;

/// <summary>
/// An import's options, read and checked before the file is (docs/imports.md#options). Each refusal is a 400 naming
/// the option: <c>mode</c>, <c>match_on</c>, <c>mapping[Header]</c>, <c>blank_values</c>, <c>dry_run</c>.
/// </summary>
public sealed record ImportSettings(
    ImportMode Mode, ImportMatchKey MatchOn, IReadOnlyDictionary<string, string?> Mapping, ImportBlankValues BlankValues, bool DryRun)
{
    /// <summary>The option names, in the order docs/imports.md lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mode", "match_on", "mapping", "blank_values", "dry_run"];

    /// <summary>Most entries of <c>mapping</c>.</summary>
    public const int MaxMappingEntries = 1000;

    /// <summary>Options given as query parameters (a raw <c>text/csv</c> body): <c>mapping</c> is a JSON object there too.</summary>
    public static ImportSettings FromQuery(ImportEntity entity, IEnumerable<KeyValuePair<string, string?>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var given = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in query)
        {
            if (!Names.Contains(name))
            {
                throw new VqlValidationException(name, $"is not an import option; the options are: {string.Join(", ", Names)}");
            }

            if (!given.TryAdd(name, value))
            {
                throw new VqlValidationException(name, "is given twice");
            }
        }

        return Read(entity,
            given.GetValueOrDefault("mode"),
            given.GetValueOrDefault("match_on"),
            given.GetValueOrDefault("mapping") is { } mapping ? ParseMapping(mapping) : null,
            given.GetValueOrDefault("blank_values"),
            given.TryGetValue("dry_run", out var dry) ? Flag(dry) : false);
    }

    /// <summary>Options as the JSON object of a multipart request's <c>options</c> part.</summary>
    public static ImportSettings FromJson(ImportEntity entity, ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException)
        {
            throw new VqlValidationException("options", "is not a JSON object of import options");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new VqlValidationException("options", "is not a JSON object of import options");
            }

            string? mode = null, matchOn = null, blanks = null;
            IReadOnlyDictionary<string, string?>? mapping = null;
            var dryRun = false;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new VqlValidationException(property.Name, "is given twice");
                }

                switch (property.Name)
                {
                    case "mode":
                        mode = Text(property);
                        break;
                    case "match_on":
                        matchOn = Text(property);
                        break;
                    case "blank_values":
                        blanks = Text(property);
                        break;
                    case "dry_run":
                        dryRun = property.Value.ValueKind switch
                        {
                            JsonValueKind.True => true,
                            JsonValueKind.False or JsonValueKind.Null => false,
                            _ => throw new VqlValidationException("dry_run", $"expects true or false, found {VqlValues.Describe(property.Value)}"),
                        };
                        break;
                    case "mapping":
                        mapping = property.Value.ValueKind == JsonValueKind.Null ? null : MappingOf(property.Value);
                        break;
                    default:
                        throw new VqlValidationException(property.Name, $"is not an import option; the options are: {string.Join(", ", Names)}");
                }
            }

            return Read(entity, mode, matchOn, mapping, blanks, dryRun);
        }
    }

    private static ImportSettings Read(
        ImportEntity entity, string? mode, string? matchOn, IReadOnlyDictionary<string, string?>? mapping, string? blanks, bool dryRun)
    {
        var parsedMode = Choice(mode, "mode", ImportMode.Upsert);
        var keys = ImportColumns.MatchKeys(entity);
        var key = Choice(matchOn, "match_on", ImportMatchKey.Uuid);
        if (!keys.Contains(key))
        {
            throw new VqlValidationException("match_on",
                $"'{matchOn}' is not a match key for {Word(entity)}; use one of: {string.Join(", ", keys.Select(Word))}");
        }

        var fields = ImportColumns.FieldPaths(entity);
        foreach (var (header, target) in mapping ?? new Dictionary<string, string?>())
        {
            if (target is not null && target != "uuid" && !fields.Contains(target))
            {
                throw new VqlValidationException($"mapping[{Short(header)}]",
                    $"'{Short(target)}' is not a field of {Word(entity)}; map a column to uuid, one of: {string.Join(", ", fields)}; or to null to leave it out");
            }
        }

        var targets = (mapping ?? new Dictionary<string, string?>()).Where(m => m.Value is not null).GroupBy(m => m.Value).FirstOrDefault(g => g.Count() > 1);
        if (targets is not null)
        {
            throw new VqlValidationException($"mapping[{Short(targets.Skip(1).First().Key)}]", $"maps a second column to {targets.Key}; a field takes one column");
        }

        return new ImportSettings(parsedMode, key, mapping ?? new Dictionary<string, string?>(), Choice(blanks, "blank_values", ImportBlankValues.Ignore), dryRun);
    }

    private static Dictionary<string, string?> ParseMapping(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 });
            return MappingOf(document.RootElement);
        }
        catch (JsonException)
        {
            throw new VqlValidationException("mapping", "is not a JSON object of CSV header → field");
        }
    }

    private static Dictionary<string, string?> MappingOf(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new VqlValidationException("mapping", $"expects an object of CSV header → field, found {VqlValues.Describe(value)}");
        }

        var mapping = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (mapping.Count == MaxMappingEntries)
            {
                throw new VqlValidationException("mapping", $"holds at most {MaxMappingEntries} entries");
            }

            var target = entry.Value.ValueKind switch
            {
                JsonValueKind.String => entry.Value.GetString(),
                JsonValueKind.Null => null,
                _ => throw new VqlValidationException($"mapping[{Short(entry.Name)}]", $"expects a field name or null, found {VqlValues.Describe(entry.Value)}"),
            };
            if (!mapping.TryAdd(entry.Name, target))
            {
                throw new VqlValidationException($"mapping[{Short(entry.Name)}]", "is given twice");
            }
        }

        return mapping;
    }

    private static string? Text(JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.String => property.Value.GetString(),
        JsonValueKind.Null => null,
        _ => throw new VqlValidationException(property.Name, $"expects a string, found {VqlValues.Describe(property.Value)}"),
    };

    private static bool Flag(string? value) => value?.ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" or "" or null => false,
        _ => throw new VqlValidationException("dry_run", $"'{Short(value!)}' is not true or false"),
    };

    private static T Choice<T>(string? value, string option, T fallback)
        where T : struct, Enum
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        foreach (var choice in Enum.GetValues<T>())
        {
            if (Word(choice) == value)
            {
                return choice;
            }
        }

        throw new VqlValidationException(option, $"'{Short(value)}' is not one of: {string.Join(", ", Enum.GetValues<T>().Select(c => Word(c)))}");
    }

    /// <summary>An option's value as the API spells it: <c>linkedin_url</c>.</summary>
    public static string Word<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static string Short(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

/// <summary>
/// Which CSV column feeds which field (docs/imports.md#mapping). By default an export's own column names map to
/// the fields they came from, so an export file imports as it is; the field paths themselves (<c>email</c>,
/// <c>metadata.city</c>, <c>uuid</c>) are understood too. Export columns that are not the record's own values —
/// the created and updated times, the text-search column made from the location, and a contact file's company
/// columns — are left out.
/// </summary>
public static class ImportColumns
{
    private static readonly Dictionary<string, string?> ContactDefaults = Defaults(ExportColumns.Contacts.Where(c => !c.FromCompany).Select(c => c.Name), "contact_");
    private static readonly Dictionary<string, string?> CompanyDefaults = Defaults(ExportColumns.Companies.Select(c => c.Name), "company_");

    /// <summary>The match keys an entity takes, <c>uuid</c> first.</summary>
    public static IReadOnlyList<ImportMatchKey> MatchKeys(ImportEntity entity) => entity == ImportEntity.Contacts
        ? [ImportMatchKey.Uuid, ImportMatchKey.Email, ImportMatchKey.LinkedinUrl]
        : [ImportMatchKey.Uuid, ImportMatchKey.LinkedinUrl, ImportMatchKey.Website];

    /// <summary>The field a match key reads.</summary>
    public static string KeyField(ImportMatchKey key) => key switch
    {
        ImportMatchKey.Email => "email",
        ImportMatchKey.LinkedinUrl => "metadata.linkedin_url",
        ImportMatchKey.Website => "metadata.website",
        _ => "uuid",
    };

    /// <summary>Every writable field's path, from the entity's field table.</summary>
    public static IReadOnlySet<string> FieldPaths(ImportEntity entity) => entity == ImportEntity.Contacts ? ContactPaths : CompanyPaths;

    private static readonly IReadOnlySet<string> ContactPaths = Paths(new Contacts.ContactWriteRules(null!).Fields.Select(f => (f.Name, f.InMetadata)));
    private static readonly IReadOnlySet<string> CompanyPaths = Paths(new Companies.CompanyWriteRules().Fields.Select(f => (f.Name, f.InMetadata)));

    /// <summary>
    /// The field of each header cell (null: left out), or a 400 naming what cannot be mapped: a header cell twice, a
    /// column no mapping knows, a mapping entry the file lacks, or no column for the match key.
    /// </summary>
    public static IReadOnlyList<string?> Resolve(ImportEntity entity, ImportSettings settings, IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(header);
        var duplicates = header.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new VqlValidationException("file", $"the header names a column more than once: {Names(duplicates)}; each column needs its own name");
        }

        var defaults = entity == ImportEntity.Contacts ? ContactDefaults : CompanyDefaults;
        var paths = FieldPaths(entity);
        var fields = new List<string?>(header.Count);
        var unknown = new List<string>();
        foreach (var name in header)
        {
            if (settings.Mapping.TryGetValue(name, out var mapped))
            {
                fields.Add(mapped);
            }
            else if (defaults.TryGetValue(name, out var known))
            {
                fields.Add(known);
            }
            else if (name == "uuid" || paths.Contains(name))
            {
                fields.Add(name);
            }
            else
            {
                unknown.Add(name);
                fields.Add(null);
            }
        }

        if (unknown.Count > 0)
        {
            throw new VqlValidationException("file",
                $"the header has columns that map to no field: {Names(unknown)}; map each in mapping (to a field, or to null to leave it out)");
        }

        var absent = settings.Mapping.Keys.Where(k => !header.Contains(k, StringComparer.Ordinal)).ToList();
        if (absent.Count > 0)
        {
            throw new VqlValidationException("mapping", $"names columns the file's header does not have: {Names(absent)}");
        }

        var twice = fields.OfType<string>().GroupBy(f => f).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new VqlValidationException("file",
                $"columns {Names([.. header.Where((_, i) => fields[i] == twice.Key)])} all map to {twice.Key}; a field takes one column (map the others to null)");
        }

        var keyField = KeyField(settings.MatchOn);
        if (!fields.Contains(keyField) && !(settings.MatchOn == ImportMatchKey.Uuid && settings.Mode == ImportMode.Create))
        {
            throw new VqlValidationException("match_on",
                $"matching on {ImportSettings.Word(settings.MatchOn)} needs a column for {keyField}; the file has none (map one in mapping)");
        }

        return fields;
    }

    private static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        var shown = string.Join(", ", list.Take(10).Select(n => $"'{(n.Length <= 64 ? n : n[..64] + "…")}'"));
        return list.Count > 10 ? $"{shown} and {list.Count - 10} more" : shown;
    }

    private static HashSet<string> Paths(IEnumerable<(string Name, bool InMetadata)> fields) =>
        fields.Select(f => f.InMetadata ? $"metadata.{f.Name}" : f.Name).ToHashSet(StringComparer.Ordinal);

    private static Dictionary<string, string?> Defaults(IEnumerable<string> columns, string prefix)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            var rest = column[prefix.Length..];
            map[column] = rest switch
            {
                // Not the record's own values: made when the file is written.
                "created_at" or "updated_at" or "text_search" => null,
                _ when rest.StartsWith("metadata_", StringComparison.Ordinal) => $"metadata.{rest["metadata_".Length..]}",
                _ => rest,
            };
        }

        if (prefix == "contact_")
        {
            // A contact file carries its company's columns; the company is imported on its own.
            foreach (var column in ExportColumns.Companies)
            {
                map[column.Name] = null;
            }
        }

        return map;
    }
}
