using Connectra.Backend.Application.Background;
using Connectra.Client;

namespace Connectra.Backend.Application.Outbox;

/// <summary>
/// Whether this replica's deliveries wait on Connectra, and when Connectra is back (docs/outbox.md#recovery). The
/// dispatcher reports how its calls end. While the last one failed because Connectra was unavailable, the worker
/// probes Connectra's health route; Connectra is back when that probe, having seen it down, sees it answer, or when
/// the client's circuit breaker closes after a trial call succeeded. Each return is taken once, by the worker, which
/// then makes every record waiting for Connectra due, for every replica.
/// </summary>
/// <remarks>
/// A probe that never saw Connectra down proves nothing: its health route may answer while its writes fail. Counting
/// that as a return would send the waiting records again at every probe, which is the hammering the back-off exists
/// to prevent.
/// </remarks>
public sealed class ConnectraRecovery : IDisposable
{
    private readonly Lock _lock = new();
    private readonly ConnectraCircuitBreaker _breaker;
    private readonly RecoverySignal _wake = new();
    private bool _failing;
    private bool _seenDown;
    private bool _back;

    public ConnectraRecovery(ConnectraCircuitBreaker breaker)
    {
        ArgumentNullException.ThrowIfNull(breaker);
        _breaker = breaker;
        breaker.Closed += OnBreakerClosed;
    }

    /// <summary>The probe should run: the last delivery call failed because Connectra was unavailable.</summary>
    public bool Probing
    {
        get
        {
            lock (_lock)
            {
                return _failing;
            }
        }
    }

    /// <summary>A delivery call failed because Connectra was unavailable.</summary>
    public void DeliveryFailed()
    {
        lock (_lock)
        {
            if (_failing)
            {
                return;
            }

            _failing = true;
        }

        _wake.Notify();
    }

    /// <summary>Connectra answered a delivery call: nothing to watch for.</summary>
    public void DeliveryAnswered()
    {
        lock (_lock)
        {
            _failing = false;
            _seenDown = false;
        }
    }

    /// <summary>What one probe of the health route saw; true when it found Connectra back.</summary>
    public bool Probed(bool answered)
    {
        lock (_lock)
        {
            if (!_failing)
            {
                return false;
            }

            if (!answered)
            {
                _seenDown = true;
                return false;
            }

            if (!_seenDown)
            {
                return false;
            }

            _failing = false;
            _seenDown = false;
            _back = true;
        }

        _wake.Notify();
        return true;
    }

    /// <summary>True once for each return of Connectra: the caller makes the waiting records due.</summary>
    public bool TakeReturn()
    {
        lock (_lock)
        {
            var back = _back;
            _back = false;
            return back;
        }
    }

    /// <summary>Puts back a return whose records could not be made due (the database was away), to try again.</summary>
    public void Returned()
    {
        lock (_lock)
        {
            _back = true;
        }
    }

    /// <summary>Waits for a delivery failure or a return, or <paramref name="timeout"/>.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);

    public void Dispose()
    {
        _breaker.Closed -= OnBreakerClosed;
        _wake.Dispose();
    }

    // A half-open trial succeeded (or the probe closed the circuit): Connectra served a data call again.
    private void OnBreakerClosed(object? sender, EventArgs e)
    {
        lock (_lock)
        {
            _failing = false;
            _seenDown = false;
            _back = true;
        }

        _wake.Notify();
    }

    private sealed class RecoverySignal : WorkSignal;
}
