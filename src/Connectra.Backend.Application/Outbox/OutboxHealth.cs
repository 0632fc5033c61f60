namespace Connectra.Backend.Application.Outbox;

/// <summary>
/// What /health/outbox says (docs/outbox.md#health): degraded as soon as delivery is failing, not only once the lag
/// is long. Messages are pending, and at least one of: the last try of one of them failed (Connectra was unavailable,
/// or refused it); this replica's circuit breaker fails its calls to Connectra at once; the oldest has waited longer
/// than <see cref="OutboxOptions.LagAlert"/>. Healthy otherwise.
/// </summary>
/// <param name="Degraded">Delivery is failing or too slow.</param>
/// <param name="Description">Why, first reason first; or that Connectra keeps up.</param>
/// <param name="Age">How long the oldest pending message has waited; zero when none is.</param>
public sealed record OutboxHealth(bool Degraded, string Description, TimeSpan Age)
{
    public static OutboxHealth Assess(OutboxLag lag, DateTimeOffset now, bool breakerBroken, TimeSpan lagAlert)
    {
        ArgumentNullException.ThrowIfNull(lag);
        var age = lag.OldestCreatedAt is { } oldest && now - oldest is { Ticks: > 0 } waited ? waited : TimeSpan.Zero;
        if (lag.Pending == 0)
        {
            return new(false, "Connectra is keeping up with the writes", age);
        }

        if (lag.Failing > 0)
        {
            return new(true, $"delivery is failing: the last try of {lag.Failing} pending messages failed ({lag.LastError})", age);
        }

        if (breakerBroken)
        {
            return new(true, "delivery is failing: this replica's circuit breaker in front of Connectra is open", age);
        }

        return age >= lagAlert
            ? new(true, $"the oldest undelivered write is {age.TotalSeconds:0} s old", age)
            : new(false, "Connectra is keeping up with the writes", age);
    }
}
