using Polly.CircuitBreaker;

namespace Connectra.Client;

/// <summary>
/// The circuit breaker in front of Connectra's data calls, seen from outside the pipeline: its state for the health
/// probe and the metrics, when it closes again for whoever waits on Connectra's recovery, and a way to close it when
/// a probe has seen Connectra come back before the break is over (docs/outbox.md#recovery).
/// </summary>
public sealed class ConnectraCircuitBreaker
{
    private CircuitBreakerStateProvider? _provider;
    private CircuitBreakerManualControl? _control;

    /// <summary>"closed", "open", "half-open", "isolated", or "unknown" before the first call built the pipeline.</summary>
    public string State => _provider is { } provider
        ? provider.CircuitState switch
        {
            CircuitState.Closed => "closed",
            CircuitState.Open => "open",
            CircuitState.HalfOpen => "half-open",
            CircuitState.Isolated => "isolated",
            _ => "unknown",
        }
        : "unknown";

    /// <summary>Open or half-open: data calls fail at once, but for a half-open circuit's single trial.</summary>
    public bool IsBroken => _provider?.CircuitState is CircuitState.Open or CircuitState.HalfOpen;

    /// <summary>How long the circuit stays open once it breaks: what a client is told to wait.</summary>
    public TimeSpan BreakDuration { get; private set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Raised when the circuit closes after it was open: a half-open trial call succeeded, or <see cref="CloseAsync"/>.
    /// Either way Connectra served a call again. Handlers run on the pipeline's call path, so they must only take note.
    /// </summary>
    public event EventHandler? Closed;

    /// <summary>Lets data calls through again at once, without waiting for the break to end and a trial to succeed.</summary>
    public Task CloseAsync(CancellationToken ct) =>
        _control is { } control && IsBroken ? control.CloseAsync(ct) : Task.CompletedTask;

    /// <summary>A provider and a control belong to one breaker, so every (re)built pipeline gets fresh ones.</summary>
    internal (CircuitBreakerStateProvider Provider, CircuitBreakerManualControl Control) Attach(TimeSpan breakDuration)
    {
        var provider = new CircuitBreakerStateProvider();
        var control = new CircuitBreakerManualControl();
        _provider = provider;
        _control = control;
        BreakDuration = breakDuration;
        return (provider, control);
    }

    internal void OnClosed() => Closed?.Invoke(this, EventArgs.Empty);
}
