using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connectra.Backend.FunctionalTests.EndToEnd;
using Connectra.Backend.FunctionalTests.Infrastructure;

namespace Connectra.Backend.FunctionalTests.SavedSearches;

/// <summary>Saved searches over HTTP: scoping, ETags, and run/count/export answering as the query routes do.</summary>
[Collection(SavedSearchTestGroup.Name)]
public sealed class SavedSearchTests(SavedSearchHost stack) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => new(stack.ResetAsync());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private HttpClient As(string user, string role = "reader") => Tokens.Authorize(stack.CreateClient(), user, role);

    internal static JsonObject Johns(int limit = 5) => Paging.Filter("first_name", "eq", "John", limit);

    internal static async Task<JsonElement> CreateAsync(HttpClient client, JsonNode query, string visibility = "private", string entity = "contacts", string name = "Johns")
    {
        using var response = await client.PostAsJsonAsync("/api/v3/saved-searches",
            new JsonObject { ["name"] = name, ["entity"] = entity, ["query"] = query.DeepClone(), ["visibility"] = visibility }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Id(JsonElement search) => search.GetProperty("id").GetString()!;

    [Fact]
    public async Task A_private_search_is_its_owner_s_and_the_admin_s_only()
    {
        using var alice = As("alice");
        using var bob = As("bob");
        using var admin = As("root", "admin");
        var search = await CreateAsync(alice, Johns());

        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/v3/saved-searches/{Id(search)}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/v3/saved-searches/{Id(search)}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsJsonAsync($"/api/v3/saved-searches/{Id(search)}/run", new { }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync($"/api/v3/saved-searches/{Id(search)}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v3/saved-searches/{Id(search)}", Ct)).StatusCode);

        var bobs = await bob.GetFromJsonAsync<JsonElement>("/api/v3/saved-searches", Ct);
        Assert.Equal(0, bobs.GetProperty("total").GetInt32());
        var admins = await admin.GetFromJsonAsync<JsonElement>("/api/v3/saved-searches?owner_id=alice", Ct);
        Assert.Equal(1, admins.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_shared_search_is_read_and_run_by_everyone_but_changed_only_by_its_owner_or_an_admin()
    {
        using var alice = As("alice");
        using var bob = As("bob");
        using var admin = As("root", "admin");
        var search = await CreateAsync(alice, Johns(), "shared");
        var body = new JsonObject { ["name"] = "Renamed", ["entity"] = "contacts", ["query"] = Johns(), ["visibility"] = "shared" };

        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync($"/api/v3/saved-searches/{Id(search)}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bob.PostAsJsonAsync($"/api/v3/saved-searches/{Id(search)}/count", new { }, Ct)).StatusCode);
        using var bobPut = await bob.PutAsJsonAsync($"/api/v3/saved-searches/{Id(search)}", body, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, bobPut.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.DeleteAsync($"/api/v3/saved-searches/{Id(search)}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsJsonAsync($"/api/v3/saved-searches/{Id(search)}/schedules", new { cron = "0 9 * * *" }, Ct)).StatusCode);
        using var adminPut = await admin.PutAsJsonAsync($"/api/v3/saved-searches/{Id(search)}", body, Ct);
        Assert.Equal(HttpStatusCode.OK, adminPut.StatusCode);

        var listed = await bob.GetFromJsonAsync<JsonElement>("/api/v3/saved-searches?name=renam&entity=contacts", Ct);
        Assert.Equal("Renamed", Assert.Single(listed.GetProperty("saved_searches").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(0, (await bob.GetFromJsonAsync<JsonElement>("/api/v3/saved-searches?entity=companies", Ct)).GetProperty("total").GetInt32());
        Assert.Equal(0, (await bob.GetFromJsonAsync<JsonElement>("/api/v3/saved-searches?name=%25", Ct)).GetProperty("total").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/v3/saved-searches/{Id(search)}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/v3/saved-searches/{Id(search)}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_stale_If_Match_is_a_412_and_the_current_one_moves_the_version_on()
    {
        using var alice = As("alice");
        var search = await CreateAsync(alice, Johns());
        var uri = $"/api/v3/saved-searches/{Id(search)}";
        var body = new JsonObject { ["name"] = "Second", ["entity"] = "contacts", ["query"] = Johns() };

        using var first = new HttpRequestMessage(HttpMethod.Put, uri) { Content = JsonContent.Create(body) };
        first.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        using var replaced = await alice.SendAsync(first, Ct);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("\"2\"", replaced.Headers.ETag?.Tag);

        using var stale = new HttpRequestMessage(HttpMethod.Put, uri) { Content = JsonContent.Create(body) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        using var refused = await alice.SendAsync(stale, Ct);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        using var staleDelete = new HttpRequestMessage(HttpMethod.Delete, uri);
        staleDelete.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await alice.SendAsync(staleDelete, Ct)).StatusCode);

        var now = await alice.GetAsync(uri, Ct);
        Assert.Equal("\"2\"", now.Headers.ETag?.Tag);
        Assert.Equal("Second", (await now.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("contacts", "first_name", "contains", "John")]
    [InlineData("companies", "country", "ne", "usa")]
    public async Task Run_and_count_answer_exactly_what_the_query_routes_answer(string entity, string field, string op, string value)
    {
        using var alice = As("alice");
        var query = Paging.Filter(field, op, value, limit: 3);
        var search = await CreateAsync(alice, query, entity: entity);

        var direct = await (await alice.PostAsJsonAsync($"/api/v3/{entity}/query", query, Ct)).Content.ReadAsStringAsync(Ct);
        var run = await (await alice.PostAsJsonAsync($"/api/v3/saved-searches/{Id(search)}/run", new { }, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Equal(direct, run);

        // The next page by the run's own cursor equals the query route's next page.
        var next = JsonDocument.Parse(direct).RootElement.GetProperty("next").GetString();
        Assert.NotNull(next);
        var directNext = query.DeepClone().AsObject();
        directNext["cursor"] = next;
        Assert.Equal(
            await (await alice.PostAsJsonAsync($"/api/v3/{entity}/query", directNext, Ct)).Content.ReadAsStringAsync(Ct),
            await (await alice.PostAsJsonAsync($"/api/v3/saved-searches/{Id(search)}/run", new { cursor = next }, Ct)).Content.ReadAsStringAsync(Ct));

        Assert.Equal(
            await (await alice.PostAsJsonAsync($"/api/v3/{entity}/count", query, Ct)).Content.ReadAsStringAsync(Ct),
            await (await alice.PostAsJsonAsync($"/api/v3/saved-searches/{Id(search)}/count", new { }, Ct)).Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Export_makes_the_export_the_export_route_makes_and_names_the_search_in_the_list()
    {
        using var alice = As("alice");
        using var bob = As("bob");
        var search = await CreateAsync(alice, Johns(), "shared");
        var count = (await (await alice.PostAsJsonAsync("/api/v3/contacts/count", Johns(), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("count").GetInt64();

        using var response = await bob.PostAsJsonAsync($"/api/v3/saved-searches/{Id(search)}/export", new { columns = new[] { "contact_uuid", "contact_first_name" } }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(count, created.GetProperty("total_records").GetInt64());

        // The caller owns the export; the list names the search it came from.
        var list = await bob.GetFromJsonAsync<JsonElement>("/api/v3/exports", Ct);
        var listed = Assert.Single(list.GetProperty("exports").EnumerateArray());
        Assert.Equal(created.GetProperty("export_id").GetString(), listed.GetProperty("export_id").GetString());
        Assert.Equal("Johns", listed.GetProperty("saved_search_name").GetString());
        Assert.Equal(Id(search), listed.GetProperty("saved_search_id").GetString());
        Assert.Equal(0, (await alice.GetFromJsonAsync<JsonElement>("/api/v3/exports", Ct)).GetProperty("total").GetInt32());

        using var badColumn = await bob.PostAsJsonAsync($"/api/v3/saved-searches/{Id(search)}/export", new { columns = new[] { "nope" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badColumn.StatusCode);
        Assert.Contains("columns", await badColumn.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_is_checked_as_the_query_route_checks_it_and_the_400_names_query_fields()
    {
        using var alice = As("alice");
        foreach (var (query, field) in new (JsonNode Query, string Field)[]
        {
            (Paging.Filter("no_such_field", "eq", "x"), "query.filters"),
            (new JsonObject { ["limit"] = 1000 }, "query.limit"),
            (new JsonObject { ["cursor"] = "abc" }, "query.cursor"),
            (new JsonObject { ["sort_by"] = "nope" }, "query.sort_by"),
        })
        {
            using var response = await alice.PostAsJsonAsync("/api/v3/saved-searches",
                new JsonObject { ["name"] = "x", ["entity"] = "contacts", ["query"] = query }, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
            var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
            Assert.Contains(errors.EnumerateObject(), e => e.Name.StartsWith(field, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task A_saved_query_using_a_retired_field_answers_409_naming_it_and_never_runs_narrower()
    {
        using var alice = As("alice");
        var search = await CreateAsync(alice, Paging.Filter(SavedSearchHost.RetiredField, "eq", "director"));
        Assert.Equal(1, search.GetProperty("query_format_version").GetInt32());

        foreach (var action in new[] { "run", "count", "export" })
        {
            using var response = await alice.PostAsJsonAsync($"/api/v3/saved-searches/{Id(search)}/{action}", new { }, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{action}: {text}");
            Assert.Contains(SavedSearchHost.RetiredField, text, StringComparison.Ordinal);
            Assert.Contains("query.filters.and[0].field", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Schedules_refuse_a_cron_firing_more_often_than_hourly_and_a_zone_that_is_not_IANA()
    {
        using var alice = As("alice");
        var search = await CreateAsync(alice, Johns());
        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { cron = "*/5 * * * *" }, "schedule.cron"),
            (new { cron = "0 9 * * *", time_zone = "Mars/Olympus" }, "schedule.time_zone"),
            (new { cron = new string('1', 500) }, "schedule.cron"),
            (new { cron = "0 9 * * *", columns = new[] { "nope" } }, "columns"),
        })
        {
            using var response = await alice.PostAsJsonAsync($"/api/v3/saved-searches/{Id(search)}/schedules", body, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
            Assert.Contains(field, text, StringComparison.Ordinal);
        }

        using var ok = await alice.PostAsJsonAsync($"/api/v3/saved-searches/{Id(search)}/schedules", new { cron = "0 9 * * 1", time_zone = "Europe/Berlin" }, Ct);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var schedule = await ok.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var next = schedule.GetProperty("next_fire_at").GetDateTimeOffset();
        Assert.Equal(DayOfWeek.Monday, next.DayOfWeek);
        Assert.True(next.UtcDateTime.Hour is 7 or 8); // 09:00 Berlin, CEST or CET
    }
}
