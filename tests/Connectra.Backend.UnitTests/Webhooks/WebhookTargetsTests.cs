using System.Net;
using Connectra.Backend.Application.Webhooks;

namespace Connectra.Backend.UnitTests.Webhooks;

public sealed class WebhookTargetsTests
{
    private static readonly WebhookOptions Https = new();

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("::ffff:192.168.1.1", "private")]
    [InlineData("100.64.0.1", "CGNAT")]
    [InlineData("100.127.255.255", "CGNAT")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("::ffff:169.254.169.254", "metadata")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fc00::1", "unique local")]
    [InlineData("fdff:ffff::1", "unique local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("64:ff9b::a00:1", "private")]
    [InlineData("2002:a9fe:a9fe::1", "metadata")]
    [InlineData("::a00:1", "private")]
    public void Internal_addresses_are_refused_naming_their_kind(string address, string kind)
    {
        var why = WebhookTargets.Refused(IPAddress.Parse(address));

        Assert.NotNull(why);
        Assert.Contains(kind, why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.10")]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_allowed(string address) => Assert.Null(WebhookTargets.Refused(IPAddress.Parse(address)));

    [Fact]
    public void Loopback_is_allowed_only_by_the_test_setting_and_nothing_else_is()
    {
        Assert.Null(WebhookTargets.Refused(IPAddress.Loopback, allowLoopback: true));
        Assert.Null(WebhookTargets.Refused(IPAddress.IPv6Loopback, allowLoopback: true));
        Assert.NotNull(WebhookTargets.Refused(IPAddress.Parse("10.0.0.1"), allowLoopback: true));
        Assert.NotNull(WebhookTargets.Refused(IPAddress.Parse("169.254.169.254"), allowLoopback: true));
    }

    [Theory]
    [InlineData("https://hooks.example.com/x", null)]
    [InlineData("http://hooks.example.com/x", "https")]
    [InlineData("ftp://hooks.example.com/x", "https")]
    [InlineData("/relative", "https")]
    [InlineData("https://u:p@hooks.example.com/x", "user name")]
    [InlineData("https://hooks.example.com/x#frag", "fragment")]
    public void Urls_must_be_plain_https(string url, string? refusal)
    {
        var why = WebhookTargets.CheckUrl(url, Https);

        if (refusal is null)
        {
            Assert.Null(why);
        }
        else
        {
            Assert.Contains(refusal, why, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Http_is_accepted_only_when_allowed() =>
        Assert.Null(WebhookTargets.CheckUrl("http://hooks.example.com/x", new WebhookOptions { AllowHttp = true }));

    [Fact]
    public async Task A_name_is_refused_when_any_one_of_its_addresses_is()
    {
        var resolver = new Fixed([IPAddress.Parse("203.0.113.1"), IPAddress.Parse("10.1.1.1")]);

        var refused = await Assert.ThrowsAsync<WebhookTargetRefusedException>(() =>
            WebhookTargets.AllowedAddressesAsync("mixed.example", resolver, Https, TestContext.Current.CancellationToken));

        Assert.Contains("10.1.1.1", refused.Message, StringComparison.Ordinal);
        Assert.Equal([IPAddress.Parse("203.0.113.1")],
            await WebhookTargets.AllowedAddressesAsync("public.example", new Fixed([IPAddress.Parse("203.0.113.1")]), Https, TestContext.Current.CancellationToken));
    }

    private sealed class Fixed(IPAddress[] addresses) : IWebhookResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Task.FromResult(addresses);
    }
}

public sealed class WebhookRetriesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private static readonly WebhookOptions Options = new();

    private static AttemptDecision Decide(int? status, TimeSpan? retryAfter = null, DateTimeOffset? failingSince = null, DateTimeOffset? created = null, int attempt = 1) =>
        WebhookRetries.Decide(new WebhookResponse(status, retryAfter, null, null, 5), attempt, created ?? Now, failingSince, ping: false, Now, Options, new Random(7));

    [Fact]
    public void A_2xx_delivers_and_clears_the_failure()
    {
        var decision = Decide(204, failingSince: Now.AddHours(-1));

        Assert.Equal((WebhookDeliveryStatus.Delivered, WebhookRetries.Delivered, (DateTimeOffset?)null), (decision.Status, decision.Outcome, decision.FailingSince));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(422)]
    public void A_4xx_other_than_408_and_429_is_final(int status)
    {
        var decision = Decide(status);

        Assert.Equal(WebhookDeliveryStatus.Failed, decision.Status);
        Assert.Null(decision.NextAttemptAt);
        Assert.Equal(Now, decision.FailingSince);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(302)]
    [InlineData(null)]
    public void Others_are_retried_after_a_backoff(int? status)
    {
        var decision = Decide(status);

        Assert.Equal(WebhookDeliveryStatus.Pending, decision.Status);
        Assert.InRange(decision.NextAttemptAt!.Value - Now, Options.RetryBaseDelay / 10, Options.RetryBaseDelay);
    }

    [Fact]
    public void A_410_disables_and_keeps_the_request_waiting()
    {
        var decision = Decide(410);

        Assert.Equal((WebhookDeliveryStatus.Pending, WebhookRetries.Disabled), (decision.Status, decision.Outcome));
        Assert.Contains("410", decision.DisableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Retry_After_is_honoured_up_to_the_maximum_delay()
    {
        Assert.Equal(Now.AddMinutes(5), Decide(429, TimeSpan.FromMinutes(5)).NextAttemptAt);
        Assert.Equal(Now + Options.RetryMaxDelay, Decide(503, TimeSpan.FromDays(2)).NextAttemptAt);
    }

    [Fact]
    public void Failing_for_DisableAfter_disables_and_a_request_older_than_RetryFor_is_given_up()
    {
        Assert.Equal(WebhookRetries.Disabled, Decide(500, failingSince: Now - Options.DisableAfter).Outcome);
        var old = Decide(500, failingSince: Now.AddHours(-1), created: Now - Options.RetryFor);
        Assert.Equal((WebhookDeliveryStatus.Failed, WebhookRetries.Failed), (old.Status, old.Outcome));
    }

    [Fact]
    public void The_backoff_bound_doubles_up_to_the_maximum_and_spreads_with_jitter()
    {
        var random = new Random(11);
        for (var attempt = 1; attempt <= 30; attempt++)
        {
            var bound = TimeSpan.FromTicks(Math.Min(Options.RetryMaxDelay.Ticks, Options.RetryBaseDelay.Ticks * (1L << Math.Min(attempt - 1, 20))));
            var waits = Enumerable.Range(0, 50).Select(_ => WebhookRetries.Backoff(attempt, Options, random)).ToList();
            Assert.All(waits, w => Assert.InRange(w, Options.RetryBaseDelay / 10, bound));
            Assert.True(waits.Distinct().Count() > 40, "jittered");
        }

        // About three days of retries (docs/webhooks.md#retries): the mean wait is half the bound, so 34 attempts
        // take about 72 hours on average.
        var expected = Enumerable.Range(1, 34).Sum(a => Math.Min(Options.RetryMaxDelay.TotalHours, Options.RetryBaseDelay.TotalHours * Math.Pow(2, a - 1)) / 2);
        Assert.InRange(expected, 68, 74);
    }
}
