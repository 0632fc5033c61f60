using Polly.CircuitBreaker;

namespace Connectra.Client;

/// <summary>Lets the health checks report the state of the breaker in front of Connectra.</summary>
public sealed class ConnectraCircuitBreaker
{
    private CircuitBreakerStateProvider? _provider;

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

    /// <summary>A provider may be attached to one breaker only, so every (re)built pipeline gets a fresh one.</summary>
    internal CircuitBreakerStateProvider Attach(TimeSpan breakDuration)
    {
        var provider = new CircuitBreakerStateProvider();
        _provider = provider;
        BreakDuration = breakDuration;
        return provider;
    }
}
