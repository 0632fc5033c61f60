using Connectra.Backend.Application.Outbox;

namespace Connectra.Backend.UnitTests.Outbox;

public sealed class DeliveryCheckTests
{
    private const string Sent = """{"uuid":"u1","first_name":"Ada","departments":["engineering","sales"],"employees_count":0}""";

    [Theory]
    // Connectra adds members of its own and leaves empty values out.
    [InlineData("""{"id":7,"uuid":"u1","first_name":"Ada","departments":["engineering","sales"],"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}""")]
    [InlineData("""{"uuid":"u1","first_name":"Ada","departments":["engineering","sales"],"last_name":"","title":null,"company":{"uuid":"c"},"cursor":["u1"]}""")]
    public void What_connectra_holds_as_sent_matches(string stored) => Assert.True(DeliveryCheck.Matches(Sent, stored));

    [Theory]
    [InlineData("""{"uuid":"u1","first_name":"Eve","departments":["engineering","sales"]}""")]
    [InlineData("""{"uuid":"u1","first_name":"Ada","departments":["sales","engineering"]}""")]
    [InlineData("""{"uuid":"u1","first_name":"Ada","departments":["engineering"]}""")]
    [InlineData("""{"uuid":"u1","first_name":"Ada"}""")]
    // A field the write cleared, still there: the upsert was lost.
    [InlineData("""{"uuid":"u1","first_name":"Ada","departments":["engineering","sales"],"title":"Engineer"}""")]
    [InlineData("""{"uuid":"u1","first_name":"ada","departments":["engineering","sales"]}""")]
    [InlineData("""{}""")]
    public void Anything_else_does_not(string stored) => Assert.False(DeliveryCheck.Matches(Sent, stored));

    [Fact]
    public void Numbers_compare_by_value_and_a_tombstone_matches_itself()
    {
        Assert.True(DeliveryCheck.Matches("""{"uuid":"c","employees_count":120}""", """{"uuid":"c","employees_count":120.0}"""));
        Assert.False(DeliveryCheck.Matches("""{"uuid":"c","employees_count":120}""", """{"uuid":"c","employees_count":121}"""));
        Assert.True(DeliveryCheck.Matches("""{"uuid":"c","linkedin_url":"__deleted__"}""", """{"id":3,"uuid":"c","linkedin_url":"__deleted__"}"""));
        Assert.False(DeliveryCheck.Matches("""{"uuid":"c","linkedin_url":"__deleted__"}""", """{"uuid":"c","name":"Acme"}"""));
    }
}
