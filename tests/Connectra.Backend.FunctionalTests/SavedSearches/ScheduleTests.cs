using System.Net;
using System.Text.Json;
using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.Reading;
using Connectra.Backend.Application.SavedSearches;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Client.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.FunctionalTests.SavedSearches;

/// <summary>
/// Scheduled exports against PostgreSQL with a fake clock: missed firings run once, old ones are recorded as skipped,
/// skip_if_unchanged skips, and replicas racing for one firing make one export (in this process and across processes).
/// </summary>
[Collection(SavedSearchTestGroup.Name)]
public sealed class ScheduleTests(SavedSearchHost stack) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 30, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => new(stack.ResetAsync());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private HttpClient Alice() => Tokens.Authorize(stack.CreateClient(), "alice", "reader");

    /// <summary>A saved search of the Johns with one schedule, whose next occurrence is set to <paramref name="next"/>.</summary>
    private async Task<(string Search, string Schedule)> ScheduleAsync(HttpClient client, string cron, DateTimeOffset next, bool skipIfUnchanged = false)
    {
        var search = (await SavedSearchTests.CreateAsync(client, SavedSearchTests.Johns())).GetProperty("id").GetString()!;
        using var response = await client.PostAsJsonAsync($"/api/v3/saved-searches/{search}/schedules",
            new { cron, time_zone = "UTC", skip_if_unchanged = skipIfUnchanged, columns = new[] { "contact_uuid", "contact_email" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var schedule = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        // The route set it from the real clock; the test's clock lives elsewhere in time.
        await stack.ExecuteAsync($"UPDATE saved_search_schedules SET next_fire_at = '{next.UtcDateTime:O}' WHERE schedule_id = '{schedule}'", Ct);
        return (search, schedule);
    }

    /// <summary>One replica's turn of the scheduler at the fake clock's time: plan, then run every firing it can claim.</summary>
    private async Task FireAsync(TimeProvider clock, string owner = "test-replica")
    {
        await using var scope = stack.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var store = services.GetRequiredService<ISavedSearchStore>();
        var runner = new ScheduleRunner(
            store, services.GetRequiredService<SavedSearchService>(), services.GetRequiredService<EntityReader<ConnectraContact>>(),
            services.GetRequiredService<EntityReader<ConnectraCompany>>(), services.GetRequiredService<IOptions<SavedSearchOptions>>(), clock);
        await runner.PlanAsync(Ct);
        while (await store.ClaimFiringAsync(owner, TimeSpan.FromMinutes(1), Ct) is { } firing)
        {
            await runner.RunAsync(firing, owner, Ct);
        }
    }

    private static async Task<List<JsonElement>> RunsAsync(HttpClient client, string search, string schedule)
    {
        var runs = await client.GetFromJsonAsync<JsonElement>($"/api/v3/saved-searches/{search}/schedules/{schedule}/runs", Ct);
        return [.. runs.GetProperty("runs").EnumerateArray()];
    }

    private static async Task<List<JsonElement>> ExportsAsync(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<JsonElement>("/api/v3/exports", Ct)).GetProperty("exports").EnumerateArray()];

    [Fact]
    public async Task After_downtime_the_missed_firings_run_once_and_the_next_ones_follow()
    {
        using var alice = Alice();
        var (search, schedule) = await ScheduleAsync(alice, "0 * * * *", Start.AddMinutes(30));
        var clock = new SteppingClock(Start.AddHours(4).AddMinutes(40)); // 01:00 … 05:00 were missed

        await FireAsync(clock);
        await FireAsync(clock); // a second turn at the same time finds nothing more to do

        var run = Assert.Single(await RunsAsync(alice, search, schedule));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 5, 0, 0, TimeSpan.Zero), run.GetProperty("fire_at").GetDateTimeOffset());
        Assert.Equal("completed", run.GetProperty("status").GetString());
        var export = Assert.Single(await ExportsAsync(alice));
        Assert.Equal(run.GetProperty("export_id").GetString(), export.GetProperty("export_id").GetString());
        Assert.Equal("Johns", export.GetProperty("saved_search_name").GetString());
        Assert.Equal(export.GetProperty("total_records").GetInt64(), run.GetProperty("row_count").GetInt64());

        clock.Advance(TimeSpan.FromMinutes(25)); // 05:35: 06:00 is not due yet
        await FireAsync(clock);
        Assert.Single(await RunsAsync(alice, search, schedule));
        clock.Advance(TimeSpan.FromMinutes(30)); // 06:05
        await FireAsync(clock);
        Assert.Equal(2, (await RunsAsync(alice, search, schedule)).Count);
        Assert.Equal(2, (await ExportsAsync(alice)).Count);
    }

    [Fact]
    public async Task A_missed_firing_older_than_the_limit_is_recorded_as_skipped_without_an_export()
    {
        using var alice = Alice();
        var (search, schedule) = await ScheduleAsync(alice, "0 6 * * *", new DateTimeOffset(2026, 1, 1, 6, 0, 0, TimeSpan.Zero));
        await FireAsync(new SteppingClock(new DateTimeOffset(2026, 1, 3, 20, 0, 0, TimeSpan.Zero)));

        var run = Assert.Single(await RunsAsync(alice, search, schedule));
        Assert.Equal("skipped", run.GetProperty("status").GetString());
        Assert.Equal(new DateTimeOffset(2026, 1, 3, 6, 0, 0, TimeSpan.Zero), run.GetProperty("fire_at").GetDateTimeOffset());
        Assert.Contains("MaxLateness", run.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("export_id").ValueKind);
        Assert.Empty(await ExportsAsync(alice));
        // Its owner's webhooks hear of it: the event is in the one pipeline, addressed to alice alone.
        Assert.Equal(1, await stack.ScalarAsync(
            $"SELECT count(*) FROM change_events WHERE type = 'schedule.skipped' AND uuid = '{schedule}' AND owner_id = 'alice'", Ct));
    }

    [Fact]
    public async Task Skip_if_unchanged_skips_a_firing_when_count_and_newest_updated_at_are_as_last_time()
    {
        using var alice = Alice();
        var (search, schedule) = await ScheduleAsync(alice, "0 * * * *", Start.AddMinutes(30), skipIfUnchanged: true);
        var (_, always) = await ScheduleAsync(alice, "0 * * * *", Start.AddMinutes(30));
        var clock = new SteppingClock(Start.AddMinutes(35));

        await FireAsync(clock);
        clock.Advance(TimeSpan.FromHours(1));
        await FireAsync(clock);

        var runs = await RunsAsync(alice, search, schedule);
        Assert.Equal(["skipped", "completed"], runs.Select(r => r.GetProperty("status").GetString()));
        Assert.Contains("unchanged", runs[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(runs[1].GetProperty("row_count").GetInt64(), runs[0].GetProperty("row_count").GetInt64());
        // The schedule without the option exported both times: three exports in all.
        Assert.Equal(3, (await ExportsAsync(alice)).Count);
        Assert.NotNull(always);
    }

    [Fact]
    public async Task Skip_if_unchanged_exports_again_once_a_matching_record_changed()
    {
        using var alice = Alice();
        var (search, schedule) = await ScheduleAsync(alice, "0 * * * *", Start.AddMinutes(30), skipIfUnchanged: true);
        var clock = new SteppingClock(Start.AddMinutes(35));

        await FireAsync(clock);
        await StoreAgainAsync(await FirstMatchAsync(alice, search));
        clock.Advance(TimeSpan.FromHours(1));
        await FireAsync(clock);

        var runs = await RunsAsync(alice, search, schedule);
        Assert.Equal(["completed", "completed"], runs.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(2, (await ExportsAsync(alice)).Count);
    }

    private static async Task<string> FirstMatchAsync(HttpClient client, string search)
    {
        using var response = await client.PostAsJsonAsync($"/api/v3/saved-searches/{search}/run", new { limit = 1 }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return FindUuid(await response.Content.ReadFromJsonAsync<JsonElement>(Ct))
            ?? throw new InvalidOperationException("the saved search matched no contact");
    }

    private static string? FindUuid(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.TryGetProperty("uuid", out var uuid) && uuid.ValueKind == JsonValueKind.String
            ? uuid.GetString()
            : element.EnumerateObject().Select(p => FindUuid(p.Value)).FirstOrDefault(u => u is not null),
        JsonValueKind.Array => element.EnumerateArray().Select(FindUuid).FirstOrDefault(u => u is not null),
        _ => null,
    };

    /// <summary>Stores the record in Connectra again as it is: Connectra stamps updated_at on receipt, so the record changed.</summary>
    private async Task StoreAgainAsync(string uuid)
    {
        await using var scope = stack.Services.CreateAsyncScope();
        var delivery = scope.ServiceProvider.GetRequiredService<ConnectraDelivery<ConnectraContact>>();
        var held = await delivery.HeldAsync([uuid], Ct);
        await delivery.SendAsync([held[uuid]], Ct);
    }

    [Fact]
    public async Task Two_schedulers_racing_for_one_due_schedule_make_one_firing_and_one_export()
    {
        using var alice = Alice();
        var (search, schedule) = await ScheduleAsync(alice, "0 * * * *", Start.AddMinutes(30));
        var clock = new SteppingClock(Start.AddMinutes(31));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => FireAsync(clock, $"replica-{i}"), Ct)));

        Assert.Single(await RunsAsync(alice, search, schedule));
        Assert.Single(await ExportsAsync(alice));
    }

    [Fact]
    public async Task A_firing_taken_up_again_after_its_export_was_made_finds_that_export_instead_of_making_another()
    {
        using var alice = Alice();
        var (search, schedule) = await ScheduleAsync(alice, "0 * * * *", Start.AddMinutes(30));
        var clock = new SteppingClock(Start.AddMinutes(31));
        await FireAsync(clock);
        var exportId = Assert.Single(await ExportsAsync(alice)).GetProperty("export_id").GetString();

        // As if the worker died after the export and before recording it: the firing is open again, its lease expired.
        await stack.ExecuteAsync($"UPDATE schedule_firings SET status = 'processing', export_id = NULL, lease_owner = 'dead', lease_expires_at = now() - interval '1 minute' WHERE schedule_id = '{schedule}'", Ct);
        await FireAsync(clock, "survivor");

        var run = Assert.Single(await RunsAsync(alice, search, schedule));
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(exportId, run.GetProperty("export_id").GetString());
        Assert.Single(await ExportsAsync(alice));
    }

    [Fact]
    public async Task Two_replica_processes_firing_the_same_schedule_produce_one_export()
    {
        using var alice = Alice();
        var (search, schedule) = await ScheduleAsync(alice, "0 * * * *", DateTimeOffset.UtcNow.AddDays(1));
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Backend"] = stack.ConnectionString,
            ["Connectra:BaseUrl"] = stack.EmulatorUrl.ToString(),
            ["Connectra:ApiKey"] = SavedSearchHost.ConnectraApiKey,
            ["Exports:WorkerEnabled"] = "false",
            ["Exports:MaxActivePerUser"] = "100",
            ["Outbox:DispatcherEnabled"] = "false",
            ["SavedSearches:PollInterval"] = "00:00:00.050",
        };
        await using var one = await BackendProcess.StartAsync(settings, Ct);
        await using var two = await BackendProcess.StartAsync(settings, Ct);

        // Both are polling; the schedule falls due for both at once.
        await stack.ExecuteAsync($"UPDATE saved_search_schedules SET next_fire_at = date_trunc('hour', now()) WHERE schedule_id = '{schedule}'", Ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await stack.ScalarAsync($"SELECT count(*) FROM schedule_firings WHERE schedule_id = '{schedule}' AND status = 'completed'", Ct) == 0
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }

        await Task.Delay(TimeSpan.FromSeconds(1), Ct); // time for a second firing or export, were either to come
        var runs = await RunsAsync(alice, search, schedule);
        var run = Assert.Single(runs);
        Assert.True(run.GetProperty("status").GetString() == "completed", one.Output + two.Output);
        Assert.Equal(1, await stack.ScalarAsync($"SELECT count(*) FROM user_exports WHERE saved_search_id = '{search}'", Ct));
    }
}
