using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Connectra.Backend.Application.Outbox;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.FunctionalTests.Writes;
using Connectra.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.Faults;

/// <summary>
/// Connectra away long enough for the outbox to back off and the circuit breaker to open, then back: every write
/// accepted meanwhile is searchable through the API within 10 s of Connectra answering again
/// (docs/outbox.md#recovery). The recovery lag is measured per write, from the moment Connectra answers. A record
/// Connectra refuses is no outage: it is neither retried by the client nor counted against the breaker.
/// </summary>
[Collection(FaultTestGroup.Name)]
public sealed class OutageRecoveryTests(FaultHost stack)
{
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(10);

    // Long enough to see how late the slowest write is when it misses the target, short enough for the suite.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(25);

    // Production's back-offs, probe interval and break duration. Only what decides how soon an outage reaches the
    // state a long one reaches shrinks: the breaker opens after 4 failed calls instead of 20, and the client retries
    // without waiting.
    private static readonly Dictionary<string, string> ProductionRecovery = new()
    {
        ["Outbox:MaxBackoff"] = "00:00:30",
        ["Outbox:MaxOutageBackoff"] = "00:00:05",
        ["Outbox:RecoveryProbeInterval"] = "00:00:02",
        ["Connectra:Resilience:CircuitBreaker:MinimumThroughput"] = "4",
        ["Connectra:Resilience:CircuitBreaker:BreakDuration"] = "00:00:15",
        // Only the outbox is under test; an export worker would compete for the CPU and the shared export folder.
        ["Exports:WorkerEnabled"] = "false",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_write_accepted_during_an_outage_is_searchable_within_ten_seconds_of_connectra_answering_again()
    {
        await using var replica = stack.StartWorkerReplica(ProductionRecovery);
        var breaker = replica.Services.GetRequiredService<ConnectraCircuitBreaker>();
        using var replicaHealth = replica.CreateClient();
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        var tag = "recovery" + Guid.NewGuid().ToString("N")[..10];
        const int contacts = 40;
        var written = new HashSet<string>(StringComparer.Ordinal);
        JsonElement duringOutage;

        stack.Connectra.Unplug();
        try
        {
            written.Add((await WriteHost.CreateAsync(writer, "companies", $$$"""{"name":"Recovery {{{tag}}}","metadata":{"city":"{{{tag}}}"}}""")).Uuid);
            var company = written.Single();
            for (var i = 0; i < contacts; i++)
            {
                written.Add((await WriteHost.CreateAsync(writer, "contacts", $$"""{"last_name":"{{tag}}","first_name":"R{{i}}","company_id":"{{company}}"}""")).Uuid);
            }

            Assert.True(await WriteHost.EventuallyAsync(() => Task.FromResult(breaker.State == "open"), TimeSpan.FromSeconds(10), Ct),
                $"the replica's breaker never opened (it is {breaker.State}): the outage did not reach the state under test");
            duringOutage = await replicaHealth.GetFromJsonAsync<JsonElement>("/health/outbox", Ct);

            // The outage goes on after the breaker opened, so the records back off further.
            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        }
        finally
        {
            stack.Connectra.Plug();
        }

        var sinceAnswering = Stopwatch.StartNew();
        var lag = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        while (lag.Count < written.Count && sinceAnswering.Elapsed < Patience)
        {
            foreach (var (entity, field) in new[] { ("contacts", "company_city"), ("companies", "city") })
            {
                var (status, page) = await WriteHost.QueryAsync(reader, entity, field, tag, Ct);
                if (status != HttpStatusCode.OK)
                {
                    continue;
                }

                foreach (var uuid in page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("uuid").GetString()!))
                {
                    lag.TryAdd(uuid, sinceAnswering.Elapsed);
                }
            }

            await Task.Delay(100, Ct);
        }

        var slowest = lag.Count == 0 ? Patience : lag.Values.Max();
        var median = lag.Count == 0 ? Patience : lag.Values.Order().ElementAt(lag.Count / 2);
        var report = $"{lag.Count(w => written.Contains(w.Key))} of {written.Count} writes searchable within {Patience.TotalSeconds:0} s of Connectra " +
            $"answering again; median {median.TotalSeconds:0.0} s, slowest {slowest.TotalSeconds:0.0} s";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(written.IsSubsetOf(lag.Keys) && slowest <= Target, report);

        Assert.True(duringOutage.GetProperty("status").GetString() == "degraded", $"/health/outbox during the outage: {duringOutage}");
        Assert.True(await WriteHost.EventuallyAsync(async () =>
            (await replicaHealth.GetFromJsonAsync<JsonElement>("/health/outbox", Ct)).GetProperty("status").GetString() == "healthy", Target, Ct),
            "/health/outbox stayed degraded after every write arrived");
    }

    [Theory]
    [InlineData(400, """{"error":"Key: 'Contact.Uuid' Error:Field validation for 'Uuid' failed on the 'required' tag","success":false}""")]
    [InlineData(500, """{"error":"elasticsearch: [400 Bad Request] parsing_exception: unknown field [uuid]","success":false}""")]
    public async Task A_record_connectra_refuses_is_tried_once_per_back_off_and_never_counts_against_the_breaker(int status, string body)
    {
        // A breaker that opens after two failed calls: counted refusals would open it within the first tries.
        await using var replica = stack.StartWorkerReplica(new Dictionary<string, string>
        {
            ["Connectra:Resilience:CircuitBreaker:MinimumThroughput"] = "2",
            ["Exports:WorkerEnabled"] = "false",
        });
        var breaker = replica.Services.GetRequiredService<ConnectraCircuitBreaker>();
        var recovery = replica.Services.GetRequiredService<ConnectraRecovery>();
        using var replicaHealth = replica.CreateClient();
        using var writer = stack.Writer();
        var forward = FakeConnectra.Forward(stack.Connectra.EmulatorUrl);
        var refuse = FakeConnectra.Status(status, body);
        var upserts = 0;
        stack.Connectra.Proxy.Behaviour = context =>
        {
            if (!context.Request.Path.Value!.EndsWith("/batch-upsert", StringComparison.Ordinal))
            {
                return forward(context);
            }

            Interlocked.Increment(ref upserts);
            return refuse(context);
        };

        string uuid;
        try
        {
            uuid = (await WriteHost.CreateAsync(writer, "contacts", $$"""{"last_name":"refused{{Guid.NewGuid():N}}"}""")).Uuid;
            var attempts = $"SELECT attempts FROM connectra_outbox WHERE uuid = '{uuid}' AND delivered_at IS NULL";
            Assert.True(await WriteHost.EventuallyAsync(async () => await stack.ScalarAsync(attempts, Ct) >= 3, TimeSpan.FromSeconds(15), Ct),
                "the refused record was not tried three times");

            // A try is one call; it is counted once its claim commits, so at most one call is ahead of the count.
            var before = await stack.ScalarAsync(attempts, Ct);
            var calls = Volatile.Read(ref upserts);
            var after = await stack.ScalarAsync(attempts, Ct);
            Assert.InRange(calls, before, after + 1);
            Assert.Equal("closed", breaker.State);
            Assert.False(recovery.Probing, "a refusal set the replica watching for Connectra's return");
            Assert.Equal(0, await stack.ScalarAsync($"SELECT count(*) FROM connectra_outbox WHERE uuid = '{uuid}' AND waiting_for_connectra", Ct));

            var health = await replicaHealth.GetFromJsonAsync<JsonElement>("/health/outbox", Ct);
            Assert.True(health.GetProperty("status").GetString() == "degraded" && health.GetProperty("failing").GetInt64() >= 1, health.ToString());
            Assert.Contains($"HTTP {status}", health.GetProperty("last_error").GetString() ?? "", StringComparison.Ordinal);
        }
        finally
        {
            stack.Connectra.Plug();
        }

        // Refused is not dropped: once Connectra takes it, it arrives.
        Assert.True(await WriteHost.EventuallyAsync(async () =>
            await stack.ScalarAsync($"SELECT count(*) FROM connectra_outbox WHERE uuid = '{uuid}' AND delivered_at IS NULL", Ct) == 0,
            TimeSpan.FromSeconds(15), Ct), "the record was never delivered once Connectra took it");
    }
}
