using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace Connectra.Backend.Api.Logging;

/// <summary>
/// A last line of defence for personal data: any e-mail address in a log property (and so in the rendered message)
/// keeps only its domain. Our own log lines carry no bodies or filter values; this catches what a library or a
/// future message lets slip.
/// </summary>
internal sealed partial class EmailMasking : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        // Every request's access line passes here and almost never holds an address: nothing is copied until one does.
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (Mask(value) is { } masked)
            {
                (changed ??= []).Add(new LogEventProperty(name, masked));
            }
        }

        if (changed is not null)
        {
            foreach (var property in changed)
            {
                logEvent.AddOrUpdateProperty(property);
            }
        }
    }

    /// <summary>The value with addresses masked, or null when it holds none.</summary>
    private static LogEventPropertyValue? Mask(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } when Address().IsMatch(text) => new ScalarValue(Address().Replace(text, "***@$1")),
        SequenceValue sequence when sequence.Elements.Select(Mask).ToList() is var elements && elements.Any(e => e is not null) =>
            new SequenceValue(sequence.Elements.Select((e, i) => elements[i] ?? e)),
        StructureValue structure when structure.Properties.Select(p => Mask(p.Value)).ToList() is var masked && masked.Any(m => m is not null) =>
            new StructureValue(structure.Properties.Select((p, i) => new LogEventProperty(p.Name, masked[i] ?? p.Value)), structure.TypeTag),
        _ => null,
    };

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+(?:@|%40)([A-Za-z0-9.\-]+\.[A-Za-z]{2,})", RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
