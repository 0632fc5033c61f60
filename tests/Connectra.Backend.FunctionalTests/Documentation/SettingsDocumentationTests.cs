using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Connectra.Backend.Api.Metrics;
using Connectra.Backend.Application.Exports;
using Connectra.Client;
using Microsoft.Extensions.Http.Resilience;

namespace Connectra.Backend.FunctionalTests.Documentation;

/// <summary>
/// docs/operations.md lists every setting: each property of every options class (a class with a SectionName), and
/// nothing that no class binds. The compose check trusts that list, so a missing or invented row would let
/// docker-compose.yml drift from the code.
/// </summary>
public sealed partial class SettingsDocumentationTests
{
    private static readonly Assembly[] Assemblies =
        [typeof(Program).Assembly, typeof(ExportOptions).Assembly, typeof(ConnectraOptions).Assembly];

    // Bound below an options class from another library: its properties are settings too.
    private static readonly Dictionary<string, Type> NestedSections = new(StringComparer.Ordinal)
    {
        ["Connectra:Resilience"] = typeof(HttpStandardResilienceOptions),
    };

    // Read with IConfiguration.GetValue before any options class exists (it decides whether a worker is registered).
    private static readonly HashSet<string> ReadDirectly = new(["Exports:WorkerEnabled", "Imports:WorkerEnabled"], StringComparer.Ordinal);

    private static IReadOnlyDictionary<string, Type> OptionsClasses { get; } = Assemblies
        .SelectMany(a => a.GetTypes())
        .Select(t => (Type: t, Field: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
        .Where(x => x.Field is { IsLiteral: true })
        .ToDictionary(x => (string)x.Field!.GetRawConstantValue()!, x => x.Type, StringComparer.Ordinal);

    private static HashSet<string> Documented { get; } = DocumentedSettings(RepositoryFiles.Read("docs/operations.md"));

    [Fact]
    public void The_options_classes_are_found()
    {
        Assert.Superset(new HashSet<string>(["Connectra", "Auth", "Cors", "Paging", "Limits", "Exports", "Outbox", "Metrics"]),
            OptionsClasses.Keys.ToHashSet());
        Assert.Contains(typeof(MetricsOptions), OptionsClasses.Values);
    }

    [Fact]
    public void Every_bound_property_is_documented()
    {
        var missing = OptionsClasses
            .SelectMany(section => Settings(section.Value).Select(property => $"{section.Key}:{property.Name}"))
            .Where(name => !IsDocumented(name))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Every_documented_setting_of_an_options_section_is_bound()
    {
        var invented = Documented
            .Where(name => OptionsClasses.ContainsKey(name.Split(':')[0]) && !name.EndsWith(":*", StringComparison.Ordinal))
            .Where(name => !ReadDirectly.Contains(name) && !Resolves(name))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Empty(invented);
    }

    private static bool IsDocumented(string name)
    {
        var parts = name.Split(':');
        return Documented.Contains(name)
            || Enumerable.Range(1, parts.Length - 1).Any(i => Documented.Contains(string.Join(':', parts[..i]) + ":*"));
    }

    /// <summary>Walks the path through the options classes' properties, and into the nested sections.</summary>
    private static bool Resolves(string name)
    {
        var parts = name.Split(':');
        var type = OptionsClasses[parts[0]];
        for (var i = 1; i < parts.Length; i++)
        {
            if (NestedSections.TryGetValue(string.Join(':', parts[..(i + 1)]), out var nested))
            {
                type = nested;
                continue;
            }

            var property = Settings(type).FirstOrDefault(p => p.Name == parts[i]);
            if (property is null)
            {
                return false;
            }

            type = property.PropertyType;
        }

        return true;
    }

    /// <summary>What the configuration binder can set: writable properties, and collections it fills in place.</summary>
    private static IEnumerable<PropertyInfo> Settings(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0
            && (p.SetMethod is { IsPublic: true } || (p.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(p.PropertyType))));

    private static HashSet<string> DocumentedSettings(string markdown) =>
        [.. markdown.Split('\n')
            .Where(line => line.StartsWith('|'))
            .SelectMany(line => SettingName().Matches(line.Split('|')[1]).Select(m => m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal)))];

    [GeneratedRegex(@"`([A-Za-z][A-Za-z0-9_]*(?::[A-Za-z0-9_*]+)+)`")]
    private static partial Regex SettingName();
}
