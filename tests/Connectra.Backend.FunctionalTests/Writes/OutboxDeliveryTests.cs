using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Connectra.Backend.FunctionalTests.Writes;

/// <summary>
/// The outbox against a Connectra that is down, loses writes while answering success, or hangs mid-batch: every
/// committed write arrives once Connectra is back, each exactly once. Counted through the public read routes.
/// </summary>
[Collection(WriteTestGroup.Name)]
public sealed class OutboxDeliveryTests(WriteHost stack) : IAsyncLifetime
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        stack.Connectra.Plug();
        stack.Connectra.Proxy.ResetCalls();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        stack.Connectra.Plug();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Writes_made_while_connectra_is_down_all_arrive_after_it_returns()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        var tag = "outage" + Guid.NewGuid().ToString("N")[..10];
        stack.Connectra.Unplug();

        var (company, _) = await WriteHost.CreateAsync(writer, "companies", $$$"""{"name":"Down {{{tag}}}","metadata":{"city":"{{{tag}}}"}}""");
        for (var i = 0; i < 30; i++)
        {
            await WriteHost.CreateAsync(writer, "contacts", $$"""{"last_name":"{{tag}}","first_name":"N{{i}}","company_id":"{{company}}"}""");
        }

        var health = await reader.GetFromJsonAsync<JsonElement>("/health/outbox", Ct);
        Assert.True(health.GetProperty("pending").GetInt64() >= 31, health.ToString());
        Assert.True(health.GetProperty("dispatcher_enabled").GetBoolean());
        using (var down = await reader.PostAsJsonAsync("/api/v3/contacts/count", Filter("last_name", tag), Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        }

        // Let the dispatcher fail a few rounds before Connectra comes back.
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.True(await stack.ScalarAsync("SELECT max(attempts) FROM connectra_outbox WHERE delivered_at IS NULL", Ct) > 0);
        var failing = await reader.GetFromJsonAsync<JsonElement>("/health/outbox", Ct);
        Assert.True(failing.GetProperty("status").GetString() == "degraded" && failing.GetProperty("failing").GetInt64() > 0, failing.ToString());
        stack.Connectra.Plug();

        Assert.True(await CountIsAsync(reader, "contacts", "last_name", tag, 30), "not every write made during the outage arrived");
        Assert.True(await CountIsAsync(reader, "contacts", "company_city", tag, 30), "contacts arrived without their company's copy");
        Assert.True(await WriteHost.EventuallyAsync(async () =>
            (await reader.GetFromJsonAsync<JsonElement>("/health/outbox", Ct)).GetProperty("pending").GetInt64() == 0, Recovery, Ct));
        Assert.Equal("healthy", (await reader.GetFromJsonAsync<JsonElement>("/health/outbox", Ct)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Writes_connectra_acknowledges_but_loses_are_sent_again()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        var tag = "lost" + Guid.NewGuid().ToString("N")[..10];
        var lost = 0;
        var forward = FakeConnectra.Forward(stack.Connectra.EmulatorUrl);
        stack.Connectra.Proxy.Behaviour = context =>
            context.Request.Path.Value!.EndsWith("/batch-upsert", StringComparison.Ordinal) && Interlocked.Increment(ref lost) <= 2
                ? FakeConnectra.Body("""{"success":true}""")(context) // Connectra's own answer when its write failed
                : forward(context);

        for (var i = 0; i < 5; i++)
        {
            await WriteHost.CreateAsync(writer, "contacts", $$"""{"last_name":"{{tag}}","first_name":"L{{i}}"}""");
        }

        Assert.True(await CountIsAsync(reader, "contacts", "last_name", tag, 5), "a write Connectra lost was never sent again");
        Assert.True(Volatile.Read(ref lost) > 2, "Connectra never lost a write: the test proved nothing");
    }

    [Fact]
    public async Task A_dispatcher_that_dies_mid_batch_loses_nothing_and_duplicates_nothing()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        var tag = "crash" + Guid.NewGuid().ToString("N")[..10];
        var forward = FakeConnectra.Forward(stack.Connectra.EmulatorUrl);
        var midBatch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stack.Connectra.Proxy.Behaviour = async context =>
        {
            if (!context.Request.Path.Value!.EndsWith("/contacts/batch-upsert", StringComparison.Ordinal))
            {
                await forward(context);
                return;
            }

            // Connectra writes the batch, but its answer never comes: the dispatcher is mid-batch, holding its claim.
            await forward(new DiscardingContext(context).Context);
            midBatch.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };

        var uuids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            uuids.Add((await WriteHost.CreateAsync(writer, "contacts", $$"""{"last_name":"{{tag}}","first_name":"C{{i}}"}""")).Uuid);
        }

        await midBatch.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await stack.KillOtherSessionsAsync(Ct); // the claim's session dies with its locks, as in a crash
        stack.Connectra.Plug();

        Assert.True(await CountIsAsync(reader, "contacts", "last_name", tag, 20), "a write was lost or doubled across the crash");
        Assert.True(await WriteHost.EventuallyAsync(async () =>
            await stack.ScalarAsync($"SELECT count(*) FROM connectra_outbox WHERE delivered_at IS NULL AND uuid IN ({string.Join(',', uuids.Select(u => $"'{u}'"))})", Ct) == 0,
            Recovery, Ct));
        using var count = await reader.PostAsJsonAsync("/api/v3/contacts/count", Filter("last_name", tag), Ct);
        Assert.Equal(20, (await count.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task A_contact_written_right_after_its_company_carries_the_company()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        var tag = "order" + Guid.NewGuid().ToString("N")[..10];
        stack.Connectra.Unplug();
        var (company, _) = await WriteHost.CreateAsync(writer, "companies", $$$"""{"name":"First {{{tag}}}","metadata":{"city":"{{{tag}}}"}}""");
        var (contact, _) = await WriteHost.CreateAsync(writer, "contacts", $$"""{"last_name":"{{tag}}","company_id":"{{company}}"}""");
        stack.Connectra.Plug();

        Assert.True(await CountIsAsync(reader, "contacts", "company_city", tag, 1), "the contact reached Connectra before its company");
        var detail = await reader.GetFromJsonAsync<JsonElement>($"/api/v3/contacts/{contact}/", Ct);
        Assert.Equal($"First {tag}", detail.GetProperty("company").GetString());
    }

    private static object Filter(string field, string value) =>
        new { filters = new { and = new[] { new { field, @operator = "eq", value } } } };

    private static Task<bool> CountIsAsync(HttpClient reader, string entity, string field, string value, int expected) =>
        WriteHost.EventuallyAsync(async () =>
        {
            var (status, page) = await WriteHost.QueryAsync(reader, entity, field, value, Ct);
            return status == HttpStatusCode.OK && page.GetProperty("results").GetArrayLength() == expected;
        }, Recovery, Ct);
}
