using System.Text.Json;
using Connectra.Backend.FunctionalTests.Infrastructure;

namespace Connectra.Backend.FunctionalTests.Webhooks;

/// <summary>The API only: deliveries are left to replicas the test starts and kills as separate processes.</summary>
public sealed class QuietWebhookHost : WebhookHost
{
    protected override bool Delivers => false;

    /// <summary>A replica that delivers webhooks and nothing else, over this host's database and key ring.</summary>
    public IReadOnlyDictionary<string, string> ReplicaSettings() => new Dictionary<string, string>
    {
        ["ConnectionStrings:Backend"] = ConnectionString,
        ["Connectra:BaseUrl"] = Connectra.Url!,
        ["Connectra:ApiKey"] = ConnectraApiKey,
        ["Outbox:DispatcherEnabled"] = "false",
        ["Exports:WorkerEnabled"] = "false",
        ["Imports:WorkerEnabled"] = "false",
        ["SavedSearches:SchedulerEnabled"] = "false",
        ["ChangeFeed:PurgeEnabled"] = "false",
        ["Webhooks:KeyRingPath"] = KeyRing,
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:AllowLoopbackForTesting"] = "true",
        ["Webhooks:PollInterval"] = "00:00:00.050",
        ["Webhooks:RetryBaseDelay"] = "00:00:00.100",
        ["Webhooks:RetryMaxDelay"] = "00:00:00.500",
        ["Webhooks:Timeout"] = "00:00:00.900",
        ["Webhooks:LeaseDuration"] = "00:00:02",
        ["Webhooks:MaxEventsPerRequest"] = "10",
    };
}

/// <summary>
/// A replica SIGKILLed while a request to the receiver is in flight, then another started: every event still
/// arrives, the interrupted request is sent again under the same webhook-id, and nothing is left processing.
/// </summary>
public sealed class WebhookKillTests(QuietWebhookHost host) : IClassFixture<QuietWebhookHost>
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_replica_killed_mid_batch_loses_nothing_once_another_delivers()
    {
        using var writer = host.Writer();
        var midBatch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hang = true;
        var interrupted = "";
        var path = host.Receiver.Listen(async (n, context) =>
        {
            if (n == 1 && hang)
            {
                // The second request is received but never answered: the replica dies waiting for it.
                interrupted = context.Request.Headers["webhook-id"].ToString();
                midBatch.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return 499;
            }

            return 200;
        });
        await WebhookHost.SubscribeAsync(writer, new Uri(host.Receiver.Url, path).ToString(), "company.created");
        var created = await WebhookHost.CreateCompaniesAsync(writer, 30);

        await using (var doomed = await BackendProcess.StartAsync(host.ReplicaSettings(), Ct))
        {
            await midBatch.Task.WaitAsync(Recovery, Ct);
            await doomed.KillAsync();
        }

        hang = false;
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM webhook_deliveries WHERE status = 'processing'", Ct));

        await using var restarted = await BackendProcess.StartAsync(host.ReplicaSettings(), Ct);
        Assert.True(await WebhookHost.EventuallyAsync(() => created.All(new HashSet<string>(Uuids(host.Receiver.Accepted(path))).Contains), Recovery),
            $"delivered {Uuids(host.Receiver.Accepted(path)).Distinct().Count()} of {created.Count}\n{restarted.Output}");
        Assert.True(await WebhookHost.EventuallyAsync(async () =>
            await host.ScalarAsync("SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered'", Ct) == 0, Recovery));
        var requests = host.Receiver.At(path);
        Assert.Contains(requests, r => r.Id == interrupted && r.Answered == 200);
        // Deduplicated by webhook-id, each event arrived exactly once, in order.
        var events = requests.Where(r => r.Answered == 200).GroupBy(r => r.Id).Select(g => g.First()).SelectMany(r => r.Events).ToList();
        Assert.Equal(created, Uuids(events));
    }

    private static List<string> Uuids(IEnumerable<JsonElement> events) => [.. events.Select(e => e.GetProperty("uuid").GetString()!)];
}
