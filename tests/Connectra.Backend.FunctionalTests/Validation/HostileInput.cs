using System.Text;
using System.Text.Json;
using Connectra.Backend.Application;
using Connectra.Backend.Application.SalesNavigator;
using Connectra.Backend.UnitTests.SalesNavigator;

namespace Connectra.Backend.FunctionalTests.Validation;

/// <summary>
/// One malformed or hostile request and the status it must get; where the refusal must say more, the field its
/// <c>errors</c> must name (<see cref="Field"/>) or a phrase its <c>detail</c> must hold (<see cref="Says"/>).
/// </summary>
public sealed record HostileRequest(
    string Id, string Method, string Path, byte[]? Body, string? ContentType, int Status, IReadOnlyDictionary<string, string>? Headers = null,
    string? Field = null, string? Says = null)
{
    public HttpRequestMessage Message()
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Path);
        foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return request;
    }
}

/// <summary>
/// The hostile-input corpus: wrong JSON types at every key, deep nesting, huge arrays and strings, unknown keys,
/// extreme numbers, invalid uuids and cursors, injection strings where names belong, invalid UTF-8, wrong content
/// types and empty bodies, on every route that takes input: reads here, writes and exports in HostileInput.Writes.cs,
/// the rules every JSON body meets (media type, charset, keys) in HostileInput.Json.cs.
/// Each must be refused with a 4xx problem document.
/// </summary>
public static partial class HostileInput
{
    public const string Company = "c0000000-0000-4000-8000-000000000000";
    private const string Json = "application/json";
    private const string MissingCompany = "c0ffffff-0000-4000-8000-000000ffffff";

    private static readonly RequestLimits Limits = RequestLimits.Default;

    /// <summary>Strings that mean something to SQL, Lucene, Elasticsearch or a JSON parser, and nothing to us.</summary>
    public static readonly string[] Injections =
    [
        "' OR '1'='1", "1; DROP TABLE contacts; --", "title:* OR uuid:*", "+first_name:john -title:(a OR b)",
        """{"query":{"match_all":{}}}""", """{"script":{"source":"ctx._source"}}""", "../../etc/passwd", "%00", "${jndi:ldap://x}",
        "<script>alert(1)</script>",
    ];

    private static readonly string[] QueryRoutes =
        ["/api/v3/contacts/query", "/api/v3/contacts/count", "/api/v3/companies/query", "/api/v3/companies/count"];

    private static readonly string[] ValueRoutes =
        ["/api/v3/contacts/filters/data", "/api/v3/companies/filters/data", $"/api/v3/companies/company/{Company}/contacts/filters/data"];

    private static readonly string[] BodyRoutes =
        [.. QueryRoutes, .. ValueRoutes, "/api/v3/contacts/linkedin/search", "/api/v3/linkedin/"];

    public static IReadOnlyDictionary<string, HostileRequest> All { get; } = Build();

    private static Dictionary<string, HostileRequest> Build()
    {
        var cases = new List<HostileRequest>();
        void Post(string id, string path, string body, int status = 400, string? contentType = Json, string? field = null) =>
            cases.Add(new HostileRequest(id, "POST", path, Encoding.UTF8.GetBytes(body), contentType, status, Field: field));
        void Raw(string id, string path, byte[] body, int status = 400, string? contentType = Json, string? field = null) =>
            cases.Add(new HostileRequest(id, "POST", path, body, contentType, status, Field: field));
        void Get(string id, string path, int status = 400) => cases.Add(new HostileRequest(id, "GET", path, null, null, status));

        // Every JSON route: bodies that are not the object it expects.
        foreach (var route in BodyRoutes)
        {
            Post($"{route} empty body", route, "");
            Post($"{route} null", route, "null");
            Post($"{route} array", route, "[]");
            Post($"{route} string", route, "\"query\"");
            Post($"{route} number", route, "42");
            Post($"{route} truncated", route, """{"filters":""");
            Post($"{route} not json", route, "filters=first_name");
            Post($"{route} unknown key", route, """{"nope":1}""");
            Post($"{route} deep arrays", route, """{"nope":""" + new string('[', 200) + new string(']', 200) + "}");
            Post($"{route} deep objects", route, string.Concat(Enumerable.Repeat("""{"a":""", 100)) + "1" + new string('}', 100));
            Raw($"{route} invalid utf-8", route, [.. "{\"x\":\""u8.ToArray(), 0xFF, 0xFE, .. "\"}"u8.ToArray()]);
            Post($"{route} text/plain", route, "{}", 415, "text/plain");
            Post($"{route} xml", route, "<query/>", 415, "application/xml");
            Post($"{route} form", route, "a=b", 415, "application/x-www-form-urlencoded");
            Post($"{route} no content type", route, "{}", 415, null);
            Post($"{route} body over the limit", route, "{\"x\":\"" + new string('x', (int)Limits.MaxBodyBytes) + "\"}", 413);
        }

        // The client VQL dialect, on query and count alike: count checks the whole body as the query route does.
        foreach (var route in QueryRoutes)
        {
            var field = route.Contains("contacts", StringComparison.Ordinal) ? "first_name" : "name";
            string Filter(string condition) => "{\"filters\":{\"and\":[" + condition + "]}}";
            string Condition(string f, string op, string value) => $$"""{"field":"{{f}}","operator":"{{op}}","value":{{value}}}""";

            foreach (var (key, values) in new (string Key, string[] Values)[]
            {
                ("filters", ["\"x\"", "[]", "1", "true", """{"and":"x"}""", """{"and":[1]}""", """{"or":{}}""", """{"and":[{}]}"""]),
                ("select_columns", ["\"uuid\"", "5", "[5]", "[null]", "[\"nope\"]", "{}"]),
                ("company_config", ["\"x\"", "[]", """{"populate":"yes"}""", """{"x":1}"""]),
                ("contact_config", ["5", """{"populate":1}"""]),
                ("limit", ["\"10\"", "0", "101", "-1", "1.5", "1e309", "99999999999999999999"]),
                ("offset", ["-1", "\"0\"", "1e10", "2.5"]),
                ("sort_by", ["5", "\"nope\"", "\"-\"", "\"uuid:sideways\"", "\"created_at\"", "\"uuid,uuid\"", JsonSerializer.Serialize(new string('u', 2000))]),
                ("sort_direction", ["\"up\"", "5"]),
                ("cursor", ["5", "\"garbage\"", "\"a.b\"", "\"eyJrIjoiYSJ9.AAAA\"", JsonSerializer.Serialize(new string('c', 5000))]),
            })
            {
                foreach (var value in values)
                {
                    Post($"{route} {key}={Shorten(value)}", route, $"{{\"{key}\":{value}}}");
                }
            }

            Post($"{route} offset past the window", route, """{"offset":2147483640,"limit":10}""");
            Post($"{route} offset and cursor", route, """{"offset":10,"cursor":"x"}""");
            Post($"{route} too many columns", route, "{\"select_columns\":[" + string.Join(",", Enumerable.Repeat("\"uuid\"", Limits.MaxColumns + 1)) + "]}");
            Post($"{route} nested too deep", route, "{\"filters\":" + string.Concat(Enumerable.Repeat("{\"and\":[", Limits.MaxGroupDepth + 1)) + Condition(field, "eq", "\"x\"") + new string(']', Limits.MaxGroupDepth + 1).Replace("]", "]}", StringComparison.Ordinal) + "}");
            Post($"{route} too many conditions", route, Filter(string.Join(",", Enumerable.Range(0, Limits.MaxConditions + 1).Select(i => Condition("uuid", "ne", $"\"u{i}\"")))));
            Post($"{route} in list too long", route, Filter(Condition("uuid", "in", "[" + string.Join(",", Enumerable.Range(0, Limits.MaxListValues + 1).Select(i => $"\"u{i}\"")) + "]")));
            Post($"{route} text in list too long", route, Filter(Condition(field, "in", "[" + string.Join(",", Enumerable.Range(0, Limits.MaxTextAlternatives + 1).Select(i => $"\"n{i}\"")) + "]")));
            Post($"{route} text too long", route, Filter(Condition(field, "contains", JsonSerializer.Serialize(new string('a', Limits.MaxTextLength + 1)))));
            Post($"{route} too many words", route, Filter(Condition(field, "contains", JsonSerializer.Serialize(string.Join(' ', Enumerable.Repeat("word", Limits.MaxWords + 1))))));
            Post($"{route} word too long", route, Filter(Condition(field, "contains", JsonSerializer.Serialize(new string('w', Limits.MaxWordLength + 1)))));
            Post($"{route} lone surrogate", route, Filter(Condition(field, "eq", "\"\\ud800\"")));
            Raw($"{route} invalid utf-8 value", route, [.. Encoding.UTF8.GetBytes(Filter(Condition(field, "eq", "\"a")))[..^4], 0xC3, 0x28, .. "\"}]}}"u8.ToArray()]);
            Post($"{route} unknown operator", route, Filter(Condition(field, "like", "\"x\"")));
            Post($"{route} value of the wrong type", route, Filter(Condition(field, "eq", "{\"$ne\":1}")));
            Post($"{route} empty in list", route, Filter(Condition("uuid", "in", "[]")));
            Post($"{route} or across fields", route, "{\"filters\":{\"or\":[" + Condition(field, "eq", "\"a\"") + "," + Condition("uuid", "eq", "\"b\"") + "]}}");
            Post($"{route} and plus or keys in one node", route, "{\"filters\":{\"and\":[{\"field\":\"uuid\",\"operator\":\"eq\",\"value\":\"a\",\"or\":[]}]}}");
            Post($"{route} a key twice", route, "{\"filters\":{\"and\":[{\"field\":\"uuid\",\"field\":\"uuid\",\"operator\":\"eq\",\"value\":\"a\"}]}}", field: "filters.and[0].field");
            Post($"{route} a key twice escaped in a condition", route, "{\"filters\":{\"and\":[{\"field\":\"uuid\",\"operator\":\"eq\",\"value\":\"a\",\"\\u0066ield\":\"uuid\"}]}}", field: "filters.and[0].field");
            Post($"{route} a key twice in a condition's value", route, Filter(Condition(field, "eq", "{\"a\":1,\"a\":2}")), field: "filters.and[0].value.a");
            Post($"{route} a group key twice in another case", route, "{\"filters\":{\"and\":[],\"AND\":[]}}", field: "filters.AND");
            Post($"{route} a company_config key twice", route, "{\"company_config\":{\"populate\":true,\"populate\":false}}", field: "company_config.populate");
            Raw($"{route} a key of invalid utf-8 in a condition", route, [.. "{\"filters\":{\"and\":[{\""u8, 0xFF, .. "\":1}]}}"u8], field: "filters.and[0].\uFFFD");
            Post($"{route} forty thousand unknown keys", route, "{\"filters\":{" + string.Join(",", Enumerable.Range(0, 40_000).Select(i => $"\"k{i}\":1")) + "}}");
            foreach (var injection in Injections)
            {
                Post($"{route} field {Shorten(injection)}", route, Filter(Condition(JsonText(injection), "eq", "\"x\"")));
                Post($"{route} sort_by {Shorten(injection)}", route, $"{{\"sort_by\":{JsonSerializer.Serialize(injection)}}}");
            }
        }

        foreach (var route in ValueRoutes)
        {
            foreach (var body in new[]
            {
                "{}", """{"filter_key":""}""", """{"filter_key":5}""", """{"filter_key":"seniority","page":0}""",
                """{"filter_key":"seniority","page":-1}""", """{"filter_key":"seniority","page":"1"}""", """{"filter_key":"seniority","page":100001}""",
                """{"filter_key":"seniority","limit":0}""", """{"filter_key":"seniority","limit":101}""", """{"filter_key":"seniority","limit":"25"}""",
                """{"filter_key":"seniority","search_text":5}""", "{\"filter_key\":\"seniority\",\"search_text\":" + JsonSerializer.Serialize(new string('s', 257)) + "}",
                """{"filter_key":"seniority","service":"companies"}""", """{"filter_key":"seniority","service":5}""",
                "{\"filter_key\":" + JsonSerializer.Serialize(new string('k', 129)) + "}", """{"filter_key":"nope"}""", """{"filter_key":"../../x"}""",
                """{"filter_key":"created_at"}""",
            })
            {
                Post($"{route} {Shorten(body)}", route, body);
            }

            foreach (var injection in Injections)
            {
                Post($"{route} filter_key {Shorten(injection)}", route, $"{{\"filter_key\":{JsonSerializer.Serialize(injection)}}}");
            }
        }

        const string LinkedIn = "/api/v3/contacts/linkedin/search";
        foreach (var body in new[]
        {
            "{}", """{"urls":[]}""", """{"urls":[null]}""", """{"urls":[5]}""", """{"urls":"x"}""", """{"urls":[""]}""", """{"urls":["   "]}""",
            """{"urls":["x"],"return_format":"ids"}""", "{\"urls\":[" + JsonSerializer.Serialize(new string('u', 3000)) + "]}",
            "{\"urls\":[" + string.Join(",", Enumerable.Range(0, Limits.MaxListValues + 1).Select(i => $"\"https://linkedin.com/in/{i}\"")) + "]}",
        })
        {
            Post($"{LinkedIn} {Shorten(body)}", LinkedIn, body);
        }

        const string Url = "/api/v3/linkedin/";
        foreach (var body in new[] { "{}", """{"url":null}""", """{"url":""}""", """{"url":"   "}""", """{"url":12345}""", """{"url":[]}""", "{\"url\":" + JsonSerializer.Serialize(new string('u', 3000)) + "}" })
        {
            Post($"{Url} {Shorten(body)}", Url, body);
        }

        // The Sales Navigator scrape: a document route with a body limit of its own and HTML that must stay cheap to parse.
        const string Scrape = "/api/v3/sales-navigator/scrape";
        foreach (var body in new[]
        {
            "{}", """{"html":""}""", """{"html":"  \n "}""", """{"html":null}""", """{"html":5}""", """{"html":["<p>"]}""", """{"html":"<p>x</p>","save":1}""",
            """{"html":"<p>x</p>","nope":1}""", """{"html":"no markup"}""", """{"html":"<p>\u0000</p>"}""", """{"html":"<p>\udc00</p>"}""",
            "{\"html\":\"" + string.Concat(Enumerable.Repeat("<div>", 5000)) + "\"}",
            "{\"html\":\"" + string.Concat(Enumerable.Repeat("<i><b>", 2000)) + "\"}",
            "{\"html\":\"" + string.Concat(Enumerable.Repeat("<div data-x-search-result='LEAD'>", 101)) + "\"}",
        })
        {
            Post($"{Scrape} {Shorten(body)}", Scrape, body);
        }

        foreach (var injection in Injections)
        {
            Post($"{Scrape} html {Shorten(injection)}", Scrape, $"{{\"html\":{JsonSerializer.Serialize(injection.Replace("<", "", StringComparison.Ordinal))}}}");
        }

        // Markup the tree builder would multiply: refused by the guard before the parser runs (the rest of the family,
        // which may be parsed, is held to its time and memory budget in ScrapeBudgetTests).
        foreach (var hostile in HostileMarkup.Family.Where(h => h.Refusal is not null))
        {
            cases.Add(new HostileRequest($"{Scrape} {hostile.Id}", "POST", Scrape, JsonSerializer.SerializeToUtf8Bytes(new { html = hostile.Html }), Json, 400,
                Field: "html", Says: hostile.Refusal));
        }

        Post($"{Scrape} text/plain", Scrape, "{}", 415, "text/plain");
        Post($"{Scrape} body over its limit", Scrape, "{\"html\":\"" + new string('x', (int)Limits.MaxLargeBodyBytes) + "\"}", 413);

        // Path parameters: not uuids, or uuids that name nothing.
        foreach (var id in new[] { "not-a-uuid", "%7Bcontact_uuid%7D", "1%27%20OR%20%271%27%3D%271", "..%2F..%2Fetc%2Fpasswd", new string('9', 300), "00000000-0000-0000-0000-00000000000g" })
        {
            Get($"contact {Shorten(id)}", $"/api/v3/contacts/{id}/");
            Get($"company {Shorten(id)}", $"/api/v3/companies/{id}/");
            Get($"company contacts {Shorten(id)}", $"/api/v3/companies/company/{id}/contacts/");
            Get($"company contacts count {Shorten(id)}", $"/api/v3/companies/company/{id}/contacts/count/");
            Get($"company contact filters {Shorten(id)}", $"/api/v3/companies/company/{id}/contacts/filters");
        }

        Get("unknown contact", "/api/v3/contacts/a0ffffff-0000-4000-8000-000000ffffff/", 404);
        Get("unknown company", $"/api/v3/companies/{MissingCompany}/", 404);
        Get("unknown company's contacts", $"/api/v3/companies/company/{MissingCompany}/contacts/", 404);
        Get("unknown company's count", $"/api/v3/companies/company/{MissingCompany}/contacts/count/", 404);
        Get("unknown company's filters", $"/api/v3/companies/company/{MissingCompany}/contacts/filters", 404);
        Post("unknown company's values", $"/api/v3/companies/company/{MissingCompany}/contacts/filters/data", """{"filter_key":"seniority"}""", 404);

        // The company-scoped query string.
        foreach (var query in new[]
        {
            "limit=abc", "limit=0", "limit=101", "limit=1.5", "limit=5&limit=6", "offset=-1", "offset=99999999999", "offset=2147483640&limit=10",
            "page=0", "page=x", "page_size=-1", "page=2147483647&page_size=100", "created_at_after=yesterday", "created_at_before=2025-13-01",
            "updated_at_after=2025-01-01", "ordering=nope", "ordering=title", "ordering=-", "cursor=garbage", "cursor=a.b",
            "exclude_titles=%5B%22a%22", "exclude_departments=%5B1%5D", "status=active", "search=x", "contact_location=paris",
            "website=x", "stage=lead", "first_name=***", "title=eng*", "seniority=a&seniority=b",
            "title=" + new string('t', Limits.MaxTextLength + 1),
        })
        {
            Get($"company contacts ?{Shorten(query)}", $"/api/v3/companies/company/{Company}/contacts/?{query}");
            Get($"company contacts count ?{Shorten(query)}", $"/api/v3/companies/company/{Company}/contacts/count/?{query}");
        }

        // The change feed's query string.
        foreach (var query in new[]
        {
            "after=-1", "after=x", "after=1.5", "after=%2B1", "after=99999999999999999999", "after=" + new string('9', 300),
            "limit=0", "limit=-1", "limit=x", "limit=100000", "limit=1e3",
            "types=nope", "types=contact.created,nope", "types=,", "types=" + string.Join(',', Enumerable.Repeat("contact.created", 40)),
            "types=" + new string('t', 600), "types=export.completed",
        })
        {
            Get($"changes ?{Shorten(query)}", $"/api/v3/changes?{query}");
        }

        Get("URL over the limit", $"/api/v3/companies/company/{Company}/contacts/?title={new string('t', Limits.MaxUrlLength)}", 414);
        AddWriteCases(cases);
        AddImportCases(cases);
        AddExportCases(cases);
        AddSavedSearchCases(cases);
        AddWebhookCases(cases);
        AddJsonBodyCases(cases);
        return cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    private static string JsonText(string text) => JsonSerializer.Serialize(text)[1..^1];

    private static string Shorten(string text) => text.Length <= 48 ? text : $"{text[..24]}…{text[^16..]}({text.Length})";
}
