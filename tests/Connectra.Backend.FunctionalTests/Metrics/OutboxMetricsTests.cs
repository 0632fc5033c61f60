using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.Writes;

namespace Connectra.Backend.FunctionalTests.Metrics;

/// <summary>The outbox counters, read from the write host's own meters while Connectra is down and after it returns.</summary>
[Collection(WriteTestGroup.Name)]
public sealed class OutboxMetricsTests(WriteHost stack) : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        stack.Connectra.Plug();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        stack.Connectra.Plug();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Failed_tries_are_counted_while_connectra_is_down_and_the_delivery_once_it_returns()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        // Writes of earlier tests may still be on their way; counting starts once they are delivered.
        Assert.True(await OutboxIsEmptyAsync(reader));
        using var meters = new HostMeters(stack.Services);
        stack.Connectra.Unplug();

        using (var created = await writer.PostAsync("/api/v3/companies/", WriteHost.Body("""{"name":"Metered Ltd"}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.True(await WriteHost.EventuallyAsync(
            () => Task.FromResult(meters.Sum("outbox.records.failed", ("entity", "company")) >= 2), Within, Ct));
        Assert.Equal(0, meters.Sum("outbox.records.delivered"));

        stack.Connectra.Plug();
        Assert.True(await OutboxIsEmptyAsync(reader));
        Assert.Equal(1, meters.Sum("outbox.records.delivered", ("entity", "company")));
        Assert.Equal(0, meters.Sum("outbox.records.delivered", ("entity", "contact")));
    }

    private static Task<bool> OutboxIsEmptyAsync(HttpClient reader) =>
        WriteHost.EventuallyAsync(async () =>
            (await reader.GetFromJsonAsync<JsonElement>("/health/outbox", Ct)).GetProperty("pending").GetInt64() == 0, Within, Ct);
}
