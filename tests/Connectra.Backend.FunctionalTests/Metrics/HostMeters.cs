using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.Metrics;

/// <summary>
/// Listens to the meters of one test host only. /metrics shows every meter of its name in the process, and the test
/// run hosts many APIs (and WireMock's own ASP.NET Core) side by side; a meter from a host's IMeterFactory carries that
/// factory as its scope, which is what tells the hosts apart here.
/// </summary>
public sealed class HostMeters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public HostMeters(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>How many measurements of <paramref name="instrument"/> carried these tags (a histogram's count).</summary>
    public int Count(string instrument, params (string Key, string Value)[] tags) => Matching(instrument, tags).Count();

    /// <summary>The sum of those measurements (a counter's increase since the listener started).</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags) => Matching(instrument, tags).Sum(m => m.Value);

    /// <summary>Observes the gauges now and returns the value <paramref name="instrument"/> reported, or null.</summary>
    public double? Observe(string instrument, params (string Key, string Value)[] tags)
    {
        _measurements.Clear();
        _listener.RecordObservableInstruments();
        return Matching(instrument, tags).Select(m => (double?)m.Value).LastOrDefault();
    }

    public void Dispose() => _listener.Dispose();

    private IEnumerable<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> Matching(string instrument, (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument
            && tags.All(t => m.Tags.Any(tag => tag.Key == t.Key && Equals(tag.Value as string, t.Value))));

    private void Add<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct, IConvertible =>
        _measurements.Enqueue((instrument.Name, value.ToDouble(System.Globalization.CultureInfo.InvariantCulture), tags.ToArray()));
}
