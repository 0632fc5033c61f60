using System.Text;
using Connectra.Backend.FunctionalTests.Infrastructure;

namespace Connectra.Backend.FunctionalTests.Validation;

/// <summary>Saved searches and schedules: every string, list and page bounded, every key typed.</summary>
public static partial class HostileInput
{
    private static void AddSavedSearchCases(List<HostileRequest> cases)
    {
        const string Root = "/api/v3/saved-searches";
        var one = $"{Root}/{RouteRule.SavedSearch}";
        void Send(string id, string method, string path, string? body, int status = 400, string? field = null) =>
            cases.Add(new HostileRequest($"saved {id}", method, path, body is null ? null : Encoding.UTF8.GetBytes(body),
                body is null ? null : "application/json", status, Field: field));

        foreach (var (method, path) in new[] { ("POST", Root), ("PUT", one) })
        {
            Send($"{method} no name", method, path, """{"entity":"contacts","query":{}}""", field: "name");
            Send($"{method} empty name", method, path, """{"name":"","entity":"contacts","query":{}}""", field: "name");
            Send($"{method} name too long", method, path, "{\"name\":\"" + new string('n', 201) + "\",\"entity\":\"contacts\",\"query\":{}}", field: "name");
            Send($"{method} description too long", method, path, "{\"name\":\"n\",\"description\":\"" + new string('d', 2001) + "\",\"entity\":\"contacts\",\"query\":{}}", field: "description");
            Send($"{method} entity unknown", method, path, """{"name":"n","entity":"people","query":{}}""");
            Send($"{method} entity number", method, path, """{"name":"n","entity":1,"query":{}}""");
            Send($"{method} no entity", method, path, """{"name":"n","query":{}}""", field: "entity");
            Send($"{method} no query", method, path, """{"name":"n","entity":"contacts"}""", field: "query");
            Send($"{method} query a string", method, path, """{"name":"n","entity":"contacts","query":"first_name=x"}""");
            Send($"{method} query unknown key", method, path, """{"name":"n","entity":"contacts","query":{"nope":1}}""");
            Send($"{method} query limit too big", method, path, """{"name":"n","entity":"contacts","query":{"limit":101}}""");
            Send($"{method} visibility public", method, path, """{"name":"n","entity":"contacts","query":{},"visibility":"public"}""");
            Send($"{method} unknown key", method, path, """{"name":"n","entity":"contacts","query":{},"owner_id":"someone"}""");
        }

        Send("POST query with a cursor", "POST", Root, """{"name":"n","entity":"contacts","query":{"cursor":"abc"}}""", field: "query.cursor");
        Send("POST query with an offset", "POST", Root, """{"name":"n","entity":"contacts","query":{"offset":10}}""", field: "query.offset");
        Send("POST query field unknown", "POST", Root, """{"name":"n","entity":"companies","query":{"filters":{"and":[{"field":"nope","operator":"eq","value":"x"}]}}}""");
        foreach (var injection in Injections)
        {
            Send($"POST query field {injection}", "POST", Root,
                "{\"name\":\"n\",\"entity\":\"contacts\",\"query\":{\"filters\":{\"and\":[{\"field\":" + System.Text.Json.JsonSerializer.Serialize(injection) + ",\"operator\":\"eq\",\"value\":\"x\"}]}}}");
        }

        foreach (var query in new[] { "page=0", "page_size=0", "page_size=101", "page=100001", $"name={new string('n', 201)}", $"owner_id={new string('o', 257)}", "entity=people" })
        {
            Send($"GET list {query[..Math.Min(query.Length, 20)]}", "GET", $"{Root}?{query}", null);
        }

        Send("GET runs page=0", "GET", $"{one}/schedules/{RouteRule.Schedule}/runs?page=0", null);
        Send("GET runs page_size=101", "GET", $"{one}/schedules/{RouteRule.Schedule}/runs?page_size=101", null);
        Send("GET one not a uuid", "GET", $"{Root}/{new string('x', 300)}", null, 404);

        Send("run limit 0", "POST", $"{one}/run", """{"limit":0}""");
        Send("run limit 101", "POST", $"{one}/run", """{"limit":101}""");
        Send("run limit text", "POST", $"{one}/run", """{"limit":"10"}""");
        Send("run cursor too long", "POST", $"{one}/run", $$"""{"cursor":"{{new string('c', 5000)}}"}""");
        Send("run unknown key", "POST", $"{one}/run", """{"filters":{}}""");
        Send("export columns not a list", "POST", $"{one}/export", """{"columns":"contact_uuid"}""");
        Send("export unknown key", "POST", $"{one}/export", """{"query":{}}""");

        foreach (var (method, path) in new[] { ("POST", $"{one}/schedules"), ("PUT", $"{one}/schedules/{RouteRule.Schedule}") })
        {
            Send($"{method} schedule no cron", method, path, """{"time_zone":"UTC"}""", field: "cron");
            Send($"{method} schedule cron a number", method, path, """{"cron":5}""");
            Send($"{method} schedule enabled text", method, path, """{"cron":"0 9 * * *","enabled":"yes"}""");
            Send($"{method} schedule columns not a list", method, path, """{"cron":"0 9 * * *","columns":"x"}""");
            Send($"{method} schedule unknown key", method, path, """{"cron":"0 9 * * *","every":"hour"}""");
        }
    }
}
