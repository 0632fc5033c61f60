using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connectra.Backend.FunctionalTests.EndToEnd;

internal static class Paging
{
    /// <summary>POSTs <paramref name="body"/>, then follows <c>next</c> (sent back as <c>cursor</c>) to the end.</summary>
    public static async Task<List<JsonElement>> WalkAsync(HttpClient client, string route, JsonObject body, CancellationToken ct)
    {
        var rows = new List<JsonElement>();
        for (var pages = 0; pages < 500; pages++)
        {
            using var response = await client.PostAsJsonAsync(route, body, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            rows.AddRange(page.GetProperty("results").EnumerateArray());
            if (page.GetProperty("next").GetString() is not { } next)
            {
                return rows;
            }

            body = (JsonObject)body.DeepClone();
            body["cursor"] = next;
            body.Remove("offset");
        }

        throw new InvalidOperationException("paging did not end");
    }

    /// <summary>GETs a query-string route, then follows <c>next</c> as the <c>cursor</c> parameter.</summary>
    public static async Task<List<JsonElement>> WalkGetAsync(HttpClient client, string route, CancellationToken ct)
    {
        var rows = new List<JsonElement>();
        var url = route;
        for (var pages = 0; pages < 500; pages++)
        {
            var page = await client.GetFromJsonAsync<JsonElement>(url, ct);
            rows.AddRange(page.GetProperty("results").EnumerateArray());
            if (page.GetProperty("next").GetString() is not { } next)
            {
                return rows;
            }

            url = $"{route}{(route.Contains('?', StringComparison.Ordinal) ? '&' : '?')}cursor={Uri.EscapeDataString(next)}";
        }

        throw new InvalidOperationException("paging did not end");
    }

    /// <summary>
    /// The filter returns exactly <paramref name="expected"/> (uuid order) when paged to the end, the count route
    /// agrees, and the filter both keeps and excludes something, so it proves it filters.
    /// </summary>
    public static async Task AssertFiltersExactlyAsync(
        HttpClient client, string entity, JsonObject body, IReadOnlyList<string> expected, int total, CancellationToken ct)
    {
        var rows = await WalkAsync(client, $"/api/v3/{entity}/query", body, ct);
        var count = await (await client.PostAsJsonAsync($"/api/v3/{entity}/count", body, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.NotEmpty(expected);
        Assert.True(expected.Count < total, "the filter must exclude something to prove it filters");
        Assert.Equal(expected.Order(StringComparer.Ordinal), Uuids(rows));
        Assert.Equal(expected.Count, count.GetProperty("count").GetInt64());
    }

    public static JsonObject Filter(string field, string op, JsonNode? value, int limit = 100) => new()
    {
        ["filters"] = new JsonObject { ["and"] = new JsonArray(new JsonObject { ["field"] = field, ["operator"] = op, ["value"] = value }) },
        ["limit"] = limit,
    };

    public static List<string> Uuids(IEnumerable<JsonElement> rows) => [.. rows.Select(r => r.GetProperty("uuid").GetString()!)];
}
