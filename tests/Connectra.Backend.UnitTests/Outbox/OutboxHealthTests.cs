using Connectra.Backend.Application.Outbox;

namespace Connectra.Backend.UnitTests.Outbox;

/// <summary>/health/outbox's verdict over every combination of its inputs (docs/outbox.md#health).</summary>
public sealed class OutboxHealthTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LagAlert = TimeSpan.FromMinutes(1);

    public static TheoryData<bool, bool, bool, bool> Combinations()
    {
        var data = new TheoryData<bool, bool, bool, bool>();
        foreach (var pending in new[] { false, true })
        {
            foreach (var failing in new[] { false, true })
            {
                foreach (var breakerBroken in new[] { false, true })
                {
                    foreach (var late in new[] { false, true })
                    {
                        data.Add(pending, failing, breakerBroken, late);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Degraded_exactly_when_messages_are_pending_and_delivery_fails_or_lags(bool pending, bool failing, bool breakerBroken, bool late)
    {
        var age = late ? LagAlert : LagAlert - TimeSpan.FromSeconds(1);
        var lag = pending
            ? new OutboxLag(3, Now - age, failing ? "Connectra answered HTTP 503" : null, failing ? 2 : 0)
            : new OutboxLag(0, null, null, 0);

        var health = OutboxHealth.Assess(lag, Now, breakerBroken, LagAlert);

        Assert.Equal(pending && (failing || breakerBroken || late), health.Degraded);
        Assert.Equal(pending ? age : TimeSpan.Zero, health.Age);
        if (pending && failing)
        {
            Assert.Contains("Connectra answered HTTP 503", health.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_clock_behind_the_database_reads_as_no_lag()
    {
        var health = OutboxHealth.Assess(new OutboxLag(1, Now + TimeSpan.FromSeconds(2), null, 0), Now, breakerBroken: false, LagAlert);

        Assert.False(health.Degraded);
        Assert.Equal(TimeSpan.Zero, health.Age);
    }
}
