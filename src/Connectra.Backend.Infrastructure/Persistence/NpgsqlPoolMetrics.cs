using System.Diagnostics.Metrics;

namespace Connectra.Backend.Infrastructure.Persistence;

/// <summary>Connection-pool figures of every Npgsql data source in the process, read from Npgsql's own meters.</summary>
public sealed record PoolSnapshot(long MaxSize, long Busy, long Idle, long PendingRequests, long Timeouts)
{
    public double UsagePercentage => MaxSize > 0 ? Math.Round(100.0 * Busy / MaxSize, 1) : 0;
}

/// <summary>
/// Npgsql exposes its pool only through System.Diagnostics.Metrics (no public counters), so a listener samples the
/// observable instruments on demand. Singleton: one listener for the life of the process.
/// </summary>
public sealed class NpgsqlPoolMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _sampling = new();
    private long _max;
    private long _busy;
    private long _idle;
    private long _pending;
    private long _timeouts;

    public NpgsqlPoolMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name is
                "db.client.connection.count" or "db.client.connection.max" or
                "db.client.connection.npgsql.pending_requests" or "db.client.connection.npgsql.timeouts")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.Start();
    }

    public PoolSnapshot Sample()
    {
        lock (_sampling)
        {
            _max = _busy = _idle = _pending = _timeouts = 0;
            _listener.RecordObservableInstruments();
            return new PoolSnapshot(_max, _busy, _idle, _pending, _timeouts);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(string instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (instrument)
        {
            case "db.client.connection.max":
                _max += value;
                break;
            case "db.client.connection.npgsql.pending_requests":
                _pending += value;
                break;
            case "db.client.connection.npgsql.timeouts":
                _timeouts += value;
                break;
            case "db.client.connection.count":
                foreach (var tag in tags)
                {
                    if (tag.Key == "db.client.connection.state")
                    {
                        if (tag.Value as string == "used")
                        {
                            _busy += value;
                        }
                        else
                        {
                            _idle += value;
                        }
                    }
                }

                break;
        }
    }
}
