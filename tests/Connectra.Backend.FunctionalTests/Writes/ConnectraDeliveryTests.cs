using Connectra.Backend.Application.Outbox;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Client.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.Writes;

/// <summary>The outbox's own calls to Connectra, apart from the read path: what is sent, and what a read-back sees.</summary>
public sealed class ConnectraDeliveryTests(ApiFactory api) : ApiTestBase(api)
{
    private const string A = "0b0f9d6e-0000-4000-8000-00000000000a";
    private const string B = "0b0f9d6e-0000-4000-8000-00000000000b";
    private const string Missing = "0b0f9d6e-0000-4000-8000-00000000000c";

    [Fact]
    public async Task A_read_back_sees_tombstones_and_takes_a_uuid_held_twice_for_no_match()
    {
        Api.Connectra.AnswerPost("/contacts/", $$"""
            {"data":[{"uuid":"{{A}}","email_status":"__deleted__"},{"uuid":"{{B}}","title":"one"},{"uuid":"{{B}}","title":"two"}],"success":true}
            """);
        await using var scope = Api.Services.CreateAsyncScope();
        var delivery = scope.ServiceProvider.GetRequiredService<ConnectraDelivery<ConnectraContact>>();

        var held = await delivery.HeldAsync([A, B, Missing], Ct);

        Assert.Equal([A, B], held.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("__deleted__", held[A], StringComparison.Ordinal);
        Assert.Equal("{}", held[B]);
        // The read path leaves deleted records out of every query; a read-back must not, or a tombstone never matches.
        Assert.DoesNotContain("__deleted__", Api.Connectra.Sent("/contacts/").Single().ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_send_posts_the_outbox_payloads_to_the_batch_upsert_and_takes_at_most_a_hundred()
    {
        Api.Connectra.AnswerPost("/contacts/batch-upsert", """{"success":true}""");
        await using var scope = Api.Services.CreateAsyncScope();
        var delivery = scope.ServiceProvider.GetRequiredService<ConnectraDelivery<ConnectraContact>>();

        await delivery.SendAsync([$$"""{"uuid":"{{A}}","title":"CTO"}""", $$"""{"uuid":"{{B}}"}"""], Ct);

        ConnectraStub.AssertJson($$"""[{"uuid":"{{A}}","title":"CTO"},{"uuid":"{{B}}"}]""", Api.Connectra.Sent("/contacts/batch-upsert").Single());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            delivery.SendAsync([.. Enumerable.Repeat($$"""{"uuid":"{{A}}"}""", ConnectraDelivery<ConnectraContact>.MaxBatch + 1)], Ct));
        Assert.Single(Api.Connectra.Sent("/contacts/batch-upsert"));
    }
}
