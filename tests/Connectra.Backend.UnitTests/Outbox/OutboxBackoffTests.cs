using Connectra.Backend.Application.Outbox;

namespace Connectra.Backend.UnitTests.Outbox;

/// <summary>Both back-offs double from half a second and stop at their own cap, whatever the number of tries.</summary>
public sealed class OutboxBackoffTests
{
    private static readonly OutboxOptions Options = new() { MaxBackoff = TimeSpan.FromSeconds(30), MaxOutageBackoff = TimeSpan.FromSeconds(5) };

    [Fact]
    public void Every_wait_stays_within_its_jitter_of_the_doubling_and_under_its_cap()
    {
        for (var attempts = 1; attempts <= 64; attempts++)
        {
            var doubled = TimeSpan.FromMilliseconds(500 * Math.Pow(2, Math.Min(attempts - 1, 16)));
            foreach (var (wait, cap) in new[] { (Options.Backoff(attempts), Options.MaxBackoff), (Options.OutageBackoff(attempts), Options.MaxOutageBackoff) })
            {
                var expected = doubled < cap ? doubled : cap;
                Assert.InRange(wait, expected * 0.8, expected * 1.2);
            }
        }
    }

    [Fact]
    public void A_record_that_never_failed_waits_for_nothing()
    {
        Assert.Equal(TimeSpan.Zero, Options.Backoff(0));
        Assert.Equal(TimeSpan.Zero, Options.OutageBackoff(0));
    }
}
