using System.Text;
using Connectra.Backend.Application.Webhooks;

namespace Connectra.Backend.UnitTests.Webhooks;

public sealed class WebhookSignatureTests
{
    // The Standard Webhooks specification's published example: a receiver's library must accept what we send.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private const string Expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"test": 2432232314}""");

    [Fact]
    public void Signing_the_specifications_example_gives_its_published_signature()
    {
        Assert.Equal(Expected, WebhookSignature.Sign([Secret], Id, Timestamp, Body));
        Assert.Equal(Expected, WebhookSignature.Sign([Secret["whsec_".Length..]], Id, Timestamp, Body));
    }

    [Fact]
    public void The_published_signature_verifies_and_any_change_to_id_time_body_or_secret_does_not()
    {
        Assert.True(WebhookSignature.Verify(Secret, Id, Timestamp, Body, Expected));
        Assert.True(WebhookSignature.Verify(Secret, Id, Timestamp, Body, "v1,bm9wZQ== " + Expected));

        Assert.False(WebhookSignature.Verify(Secret, Id + "x", Timestamp, Body, Expected));
        Assert.False(WebhookSignature.Verify(Secret, Id, Timestamp + 1, Body, Expected));
        Assert.False(WebhookSignature.Verify(Secret, Id, Timestamp, Encoding.UTF8.GetBytes("""{"test": 2432232315}"""), Expected));
        Assert.False(WebhookSignature.Verify(WebhookSignature.NewSecret(), Id, Timestamp, Body, Expected));
        Assert.False(WebhookSignature.Verify(Secret, Id, Timestamp, Body, "v2," + Expected[3..]));
        Assert.False(WebhookSignature.Verify(Secret, Id, Timestamp, Body, "v1,not base64!"));
    }

    [Fact]
    public void During_a_rotation_both_signatures_are_sent_and_each_secret_verifies_its_own()
    {
        var next = WebhookSignature.NewSecret();

        var header = WebhookSignature.Sign([next, Secret], Id, Timestamp, Body);

        var parts = header.Split(' ');
        Assert.Equal(2, parts.Length);
        Assert.Equal(Expected, parts[1]);
        Assert.True(WebhookSignature.Verify(next, Id, Timestamp, Body, header));
        Assert.True(WebhookSignature.Verify(Secret, Id, Timestamp, Body, header));
        Assert.False(WebhookSignature.Verify(next, Id, Timestamp, Body, Expected));
    }

    [Theory]
    [InlineData(24)]
    [InlineData(32)]
    [InlineData(64)]
    public void New_secrets_are_prefixed_base64_of_the_asked_random_bytes(int bytes)
    {
        var secret = WebhookSignature.NewSecret(bytes);

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(bytes, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.NotEqual(secret, WebhookSignature.NewSecret(bytes));
    }

    [Theory]
    [InlineData(23)]
    [InlineData(65)]
    public void Secrets_outside_24_to_64_bytes_are_refused(int bytes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WebhookSignature.NewSecret(bytes));
}
