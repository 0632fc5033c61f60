using Connectra.Backend.Application.Outbox;
using Connectra.Client;

namespace Connectra.Backend.UnitTests.Outbox;

/// <summary>
/// When a replica counts Connectra as back: only on evidence that it was down and now answers, never on a health
/// route that answered all along (its writes may be what fails), and once per return.
/// </summary>
public sealed class ConnectraRecoveryTests : IDisposable
{
    private readonly ConnectraCircuitBreaker _breaker = new();
    private readonly ConnectraRecovery _recovery;

    public ConnectraRecoveryTests() => _recovery = new ConnectraRecovery(_breaker);

    public void Dispose() => _recovery.Dispose();

    [Fact]
    public void Nothing_is_probed_while_deliveries_succeed()
    {
        _recovery.DeliveryAnswered();

        Assert.False(_recovery.Probing);
        Assert.False(_recovery.Probed(answered: true));
        Assert.False(_recovery.TakeReturn());
    }

    [Fact]
    public void A_probe_that_saw_connectra_down_and_then_answering_finds_it_back_once()
    {
        _recovery.DeliveryFailed();
        Assert.True(_recovery.Probing);

        Assert.False(_recovery.Probed(answered: false));
        Assert.False(_recovery.Probed(answered: false));
        Assert.True(_recovery.Probed(answered: true));

        Assert.False(_recovery.Probing);
        Assert.True(_recovery.TakeReturn());
        Assert.False(_recovery.TakeReturn());
    }

    [Fact]
    public void A_health_route_that_answered_all_along_is_no_return()
    {
        _recovery.DeliveryFailed();

        for (var probe = 0; probe < 5; probe++)
        {
            Assert.False(_recovery.Probed(answered: true));
        }

        Assert.True(_recovery.Probing);
        Assert.False(_recovery.TakeReturn());
    }

    [Fact]
    public void A_delivery_that_succeeds_ends_the_watch_and_what_the_probe_saw_before_it()
    {
        _recovery.DeliveryFailed();
        _recovery.Probed(answered: false);
        _recovery.DeliveryAnswered();
        Assert.False(_recovery.Probing);

        // A later failure starts a new watch: the earlier down no longer counts.
        _recovery.DeliveryFailed();
        Assert.False(_recovery.Probed(answered: true));
        Assert.False(_recovery.TakeReturn());
    }

    [Fact]
    public void The_breaker_closing_after_a_trial_call_is_a_return_even_without_a_probe()
    {
        _recovery.DeliveryFailed();

        _breaker.OnClosed();

        Assert.False(_recovery.Probing);
        Assert.True(_recovery.TakeReturn());
        Assert.False(_recovery.TakeReturn());
    }

    [Fact]
    public void A_return_put_back_is_taken_again()
    {
        _breaker.OnClosed();
        Assert.True(_recovery.TakeReturn());

        _recovery.Returned();

        Assert.True(_recovery.TakeReturn());
    }

    [Fact]
    public async Task A_failure_wakes_the_watch_and_so_does_a_return()
    {
        var ct = TestContext.Current.CancellationToken;
        _recovery.DeliveryFailed();
        Assert.True(await _recovery.WaitAsync(TimeSpan.FromSeconds(5), ct));
        Assert.False(await _recovery.WaitAsync(TimeSpan.FromMilliseconds(20), ct));

        _recovery.Probed(answered: false);
        _recovery.Probed(answered: true);

        Assert.True(await _recovery.WaitAsync(TimeSpan.FromSeconds(5), ct));
    }
}
