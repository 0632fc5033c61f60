using System.Diagnostics.Metrics;

namespace Connectra.Client;

/// <summary>
/// Connectra as this replica sees it: how long each call took and how it ended, sorted as <see cref="ConnectraFailure"/>
/// sorts failures, and the state of the circuit breaker in front of it. Labels are fixed lists, never paths or ids.
/// </summary>
public sealed class ConnectraMetrics
{
    public const string MeterName = "Connectra.Client";

    public const string Success = "success";
    public const string Unavailable = "unavailable";
    public const string Rejected = "rejected";
    public const string ContractBreach = "contract_breach";

    private static readonly string[] BreakerStates = ["closed", "open", "half-open", "isolated"];

    private readonly Histogram<double> _duration;

    public ConnectraMetrics(IMeterFactory meters, ConnectraCircuitBreaker breaker)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(breaker);
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram(
            "connectra.client.call.duration",
            unit: "s",
            description: "Connectra calls, retries and back-off included, by outcome.",
            advice: new InstrumentAdvice<double>
            {
                // Calls are bounded by the 30 s total timeout; the default buckets would stop at 10 s.
                HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30],
            });
        meter.CreateObservableGauge(
            "connectra.client.circuit_breaker.state",
            () => BreakerStates.Select(state => new Measurement<int>(
                breaker.State == state ? 1 : 0, new KeyValuePair<string, object?>("state", state))),
            unit: "1",
            description: "1 for the state the circuit breaker is in, 0 for the others (all 0 before the first call).");
    }

    /// <summary>A call that ended with an answer the caller could use.</summary>
    public void Succeeded(TimeSpan elapsed) => Record(elapsed, Success);

    /// <summary>A call that ended in <paramref name="failure"/>.</summary>
    public void Failed(TimeSpan elapsed, ConnectraFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Record(elapsed, OutcomeOf(failure));
    }

    /// <summary>The <c>outcome</c> label of a failure: rejected, contract_breach, or unavailable.</summary>
    public static string OutcomeOf(ConnectraFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure switch
        {
            { Kind: ConnectraFailureKind.Rejected } => Rejected,
            { BrokeContract: true } => ContractBreach,
            _ => Unavailable,
        };
    }

    private void Record(TimeSpan elapsed, string outcome) =>
        _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
}
