using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.Application.Changes;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.FunctionalTests.Writes;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.Changes;

/// <summary>The change feed over the real API: what each write records, paging, filtering, refusals and the retention.</summary>
[Collection(WriteTestGroup.Name)]
public sealed class ChangeFeedTests(WriteHost stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_create_an_update_and_a_delete_each_record_one_event_naming_only_the_record()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        var start = await HeadAsync(reader);
        var tag = "t" + Guid.NewGuid().ToString("N")[..12];
        var (uuid, _) = await WriteHost.CreateAsync(writer, "contacts", $$$"""{"last_name":"{{{tag}}}","email":"ada@example.com","metadata":{"city":"lyon"}}""");
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v3/contacts/{uuid}/")
        {
            Content = WriteHost.Body("""{"title":"Director","metadata":{"city":"paris"}}""", "application/merge-patch+json"),
        })
        using (var patched = await writer.SendAsync(patch, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        using (var deleted = await writer.DeleteAsync($"/api/v3/contacts/{uuid}/", Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var (events, _, _) = await PageAsync(reader, $"after={start}&limit=1000");
        var mine = events.Where(e => e.GetProperty("uuid").GetString() == uuid).ToList();

        Assert.Equal(["contact.created", "contact.updated", "contact.deleted"], mine.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal([1L, 2L, 3L], mine.Select(e => e.GetProperty("version").GetInt64()));
        Assert.Equal(["metadata.city", "title"], mine[1].GetProperty("changed_fields").EnumerateArray().Select(f => f.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Null, mine[0].GetProperty("changed_fields").ValueKind);
        var sequences = mine.Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Order(), sequences);
        // Readers fetch the record: nothing it holds is in the event.
        var text = string.Join("\n", mine.Select(e => e.GetRawText()));
        Assert.DoesNotContain("ada@example.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain(tag, text, StringComparison.Ordinal);
        Assert.DoesNotContain("paris", text, StringComparison.Ordinal);
        Assert.Equal(
            ["changed_fields", "event_id", "occurred_at", "sequence", "type", "uuid", "version"],
            mine[0].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Pages_follow_the_cursor_without_repeating_or_skipping_and_types_filter()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        var start = await HeadAsync(reader);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await WriteHost.CreateAsync(writer, "companies", $$$"""{"name":"feed {{{i}}} {{{Guid.NewGuid():N}}}"}""")).Uuid);
        }

        var seen = new List<string>();
        var cursor = start;
        bool more;
        do
        {
            (var events, cursor, more) = await PageAsync(reader, $"after={cursor}&limit=2&types=company.created");
            Assert.True(events.Count <= 2);
            Assert.All(events, e => Assert.Equal("company.created", e.GetProperty("type").GetString()));
            seen.AddRange(events.Select(e => e.GetProperty("uuid").GetString()!));
        }
        while (more);

        Assert.Equal(created, seen.Where(created.Contains));
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        var (none, next, _) = await PageAsync(reader, $"after={cursor}");
        Assert.Empty(none);
        Assert.Equal(cursor, next);
    }

    [Theory]
    [InlineData("after=-1", "after")]
    [InlineData("after=abc", "after")]
    [InlineData("after=99999999999999999999", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("types=contact.exploded", "types")]
    [InlineData("types=export.completed", "types")]
    public async Task Bad_parameters_are_a_problem_naming_the_parameter(string query, string field)
    {
        using var reader = stack.Reader();

        using var response = await reader.GetAsync($"/api/v3/changes?{query}", Ct);

        var body = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.GetRawText());
    }

    [Fact]
    public async Task A_cursor_the_retention_has_passed_is_gone_with_how_to_resync_and_a_current_one_still_reads()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        await WriteHost.CreateAsync(writer, "companies", $$$"""{"name":"retention {{{Guid.NewGuid():N}}}"}""");
        var old = await HeadAsync(reader);
        await WriteHost.CreateAsync(writer, "companies", $$$"""{"name":"retention {{{Guid.NewGuid():N}}}"}""");
        await WriteHost.CreateAsync(writer, "companies", $$$"""{"name":"retention {{{Guid.NewGuid():N}}}"}""");
        var head = await HeadAsync(reader);

        await using (var scope = stack.Services.CreateAsyncScope())
        {
            // Everything so far is past a retention that ends a minute from now.
            var purged = await scope.ServiceProvider.GetRequiredService<IChangeFeedStore>().PurgeAsync(DateTimeOffset.UtcNow.AddMinutes(1), Ct);
            Assert.True(purged >= 2);
        }

        using var gone = await reader.GetAsync($"/api/v3/changes?after={old}", Ct);
        var problem = await Problems.AssertProblemAsync(gone, HttpStatusCode.Gone, ProblemTypes.Gone);
        Assert.Contains("Resync", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(head, problem.GetProperty("resync_after").GetString());

        // Caught up to the purge: nothing was missed, so it reads on.
        var (events, next, _) = await PageAsync(reader, $"after={head}");
        Assert.Empty(events);
        Assert.Equal(head, next);
    }

    /// <summary>The cursor after every event so far.</summary>
    private static async Task<string> HeadAsync(HttpClient reader)
    {
        var cursor = "";
        bool more;
        do
        {
            (_, cursor, more) = await PageAsync(reader, $"after={cursor}&limit=1000");
        }
        while (more);

        return cursor;
    }

    private static async Task<(List<JsonElement> Events, string Next, bool More)> PageAsync(HttpClient reader, string query)
    {
        using var response = await reader.GetAsync($"/api/v3/changes?{query}", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        return ([.. body.GetProperty("data").EnumerateArray()], body.GetProperty("next").GetString()!, body.GetProperty("has_more").GetBoolean());
    }
}
