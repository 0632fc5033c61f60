namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>A clock that stands still until a test moves it: for times a write stamps.</summary>
public sealed class SteppingClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public void Advance(TimeSpan by) => _now += by;

    public override DateTimeOffset GetUtcNow() => _now;
}
