using System.Text.Json;

namespace Connectra.Emulator.Tests;

/// <summary>
/// search_after paging over more rows than offset paging can reach (10 pages × 100), and enough of them that
/// ascending keyword sorts take the term-walk shortcut, which must give exactly the full sort's pages.
/// </summary>
public sealed class CursorPagingTests(CursorPagingData fixture) : IClassFixture<CursorPagingData>
{
    private const int Rows = CursorPagingData.Rows;

    private EmulatorHost Host => fixture.Host;

    [Theory]
    [InlineData("seniority", "asc", "{}")]
    [InlineData("seniority", "desc", "{}")]
    [InlineData("uuid", "asc", """{"keyword_match":{"must_not":{"seniority":"intern"}}}""")]
    [InlineData("uuid", "desc", "{}")]
    public async Task Cursor_paging_visits_every_row_once_in_order_and_matches_count(string field, string direction, string where)
    {
        var ct = TestContext.Current.CancellationToken;
        var orderBy = $$"""[{"order_by":"{{field}}","order_direction":"{{direction}}"},{"order_by":"uuid","order_direction":"asc"}],"where":{{where}}""";
        var walksBefore = Host.Server.TermWalks;
        var requests = 0;
        var seen = new List<(string Key, string Uuid)>();
        string? cursor = null;
        while (true)
        {
            var body = cursor is null
                ? $$"""{"order_by":{{orderBy}},"limit":100,"select_columns":["uuid"]}"""
                : $$"""{"order_by":{{orderBy}},"limit":100,"select_columns":["uuid"],"cursor":{{cursor}}}""";
            var (status, json) = await Host.PostJsonAsync("/contacts/", body, ct);
            requests++;
            Assert.Equal(200, status);
            var page = json.GetProperty("data").EnumerateArray().ToList();
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(item => (item.GetProperty("cursor")[0].GetString()!, item.GetProperty("uuid").GetString()!)));
            cursor = page[^1].GetProperty("cursor").GetRawText();
        }

        var walks = Host.Server.TermWalks - walksBefore;
        var (_, count) = await Host.PostJsonAsync("/contacts/count", "{}", ct);
        Assert.Equal(Rows, seen.Count);
        Assert.Equal(count.GetProperty("count").GetInt64(), seen.Count);
        Assert.Equal(Rows, seen.Select(s => s.Uuid).Distinct().Count());
        Assert.All(seen, s => Assert.Equal(field == "uuid" ? s.Uuid : fixture.Seniority[s.Uuid], s.Key));
        var expected = direction == "asc"
            ? seen.OrderBy(s => s.Key, StringComparer.Ordinal).ThenBy(s => s.Uuid, StringComparer.Ordinal)
            : seen.OrderByDescending(s => s.Key, StringComparer.Ordinal).ThenBy(s => s.Uuid, StringComparer.Ordinal);
        Assert.Equal(expected.ToList(), seen);
        // Every ascending page must have come from the walk, or this test would no longer cover it; descending
        // sorts never walk.
        Assert.Equal(direction == "asc" ? requests : 0, walks);
    }

    [Fact]
    public async Task Offset_paging_reaches_the_thousandth_row_and_agrees_with_the_cursor()
    {
        var ct = TestContext.Current.CancellationToken;
        const string Order = "\"order_by\":[{\"order_by\":\"seniority\",\"order_direction\":\"asc\"},{\"order_by\":\"uuid\",\"order_direction\":\"asc\"}]";
        var walksBefore = Host.Server.TermWalks;
        var pages = new List<string>();
        for (var page = 1; page <= 10; page++)
        {
            pages.AddRange(await Host.UuidsAsync("/contacts/", $$"""{{{Order}},"page":{{page}},"limit":100}""", ct));
        }

        var byCursor = new List<string>();
        string? cursor = null;
        while (byCursor.Count < 1000)
        {
            var (_, json) = await Host.PostJsonAsync("/contacts/",
                cursor is null ? $$"""{{{Order}},"limit":100}""" : $$"""{{{Order}},"limit":100,"cursor":{{cursor}}}""", ct);
            var data = json.GetProperty("data").EnumerateArray().ToList();
            byCursor.AddRange(data.Select(d => d.GetProperty("uuid").GetString()!));
            cursor = data[^1].GetProperty("cursor").GetRawText();
        }

        var walks = Host.Server.TermWalks - walksBefore;
        var beyond = await Host.PostJsonAsync("/contacts/", $$"""{{{Order}},"page":11,"limit":100}""", ct);
        Assert.Equal(1000, pages.Distinct().Count());
        Assert.Equal(byCursor, pages);
        Assert.Equal(20, walks); // both ways of paging went through the walk
        Assert.Equal(400, beyond.Status);
    }

    [Fact]
    public async Task A_walk_computes_its_filter_once_per_segment_and_reuses_it_on_every_page()
    {
        var ct = TestContext.Current.CancellationToken;
        // A marker no other test uses, so the first page cannot find its match sets cached already.
        var where = "{\"keyword_match\":{\"must_not\":{\"email_status\":\"marker-" + Guid.NewGuid().ToString("N") +
            "\"}},\"range_query\":{\"must\":{\"uuid\":{\"gte\":\"4\",\"lt\":\"c\"}}}}";
        var missesBefore = Host.Server.FilterCacheMisses;
        var missesAfterPage = new List<long>();
        var uuids = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 5; page++)
        {
            var body = $$"""{"where":{{where}},"order_by":[{"order_by":"uuid","order_direction":"asc"}],"limit":100,"select_columns":["uuid"]{{(cursor is null ? "" : ",\"cursor\":" + cursor)}}}""";
            var (_, json) = await Host.PostJsonAsync("/contacts/", body, ct);
            var data = json.GetProperty("data").EnumerateArray().ToList();
            uuids.AddRange(data.Select(d => d.GetProperty("uuid").GetString()!));
            cursor = data[^1].GetProperty("cursor").GetRawText();
            missesAfterPage.Add(Host.Server.FilterCacheMisses - missesBefore);
        }

        // The fixture's data lies in several segments; each is computed on the first page and never again.
        Assert.True(missesAfterPage[0] >= 2, $"{missesAfterPage[0]} segments computed");
        Assert.All(missesAfterPage, misses => Assert.Equal(missesAfterPage[0], misses));
        Assert.Equal(500, uuids.Distinct().Count());
        Assert.All(uuids, uuid => Assert.InRange(string.CompareOrdinal(uuid, "4"), 0, int.MaxValue));
        Assert.All(uuids, uuid => Assert.True(string.CompareOrdinal(uuid, "c") < 0));
        Assert.Equal(uuids.Order(StringComparer.Ordinal), uuids);
    }

    [Fact]
    public async Task Without_order_by_items_carry_no_cursor()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, json) = await Host.PostJsonAsync("/contacts/", """{"limit":3}""", ct);

        Assert.All(json.GetProperty("data").EnumerateArray(), item => Assert.False(item.TryGetProperty("cursor", out _)));
        Assert.Equal(JsonValueKind.Array, json.GetProperty("data").ValueKind);
    }
}
