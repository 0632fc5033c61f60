using System.Text;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.Infrastructure;

namespace Connectra.Backend.FunctionalTests.Validation;

/// <summary>
/// The rules every JSON body meets (docs/api.md#json-bodies), on every route that takes one: each row of
/// <see cref="RouteTable"/> with a body gets every case below, and HostileInputTests holds that set to the app's own
/// endpoints, so a new JSON route is covered once it has its row.
/// </summary>
public static partial class HostileInput
{
    // Properties, not fields: HostileInput.All is built while the other parts' fields are initialised.

    /// <summary>The cases every JSON route must have; HostileInputTests checks them against the app's endpoints.</summary>
    public static IReadOnlyList<string> JsonCaseClasses =>
    [
        "charset=utf-16 odd length", "charset=utf-16 body", "charset=iso-8859-1", "charset=", "charset=utf-8; charset=utf-16", "text/json",
        "application/vnd.api+json", "key of invalid utf-8", "key of an escaped lone surrogate", "key given twice", "key given twice escaped",
        "nested key given twice", "value of invalid utf-8",
    ];

    /// <summary>Declared charsets other than UTF-8, each with the phrase the 415 must hold.</summary>
    public static IReadOnlyList<(string Parameter, string Says)> RefusedCharsets =>
    [
        ("charset=utf-16", "'utf-16'"), ("charset=UTF-16LE", "'UTF-16LE'"), ("charset=utf-16be", "'utf-16be'"),
        ("charset=utf-32", "'utf-32'"), ("charset=iso-8859-1", "'iso-8859-1'"), ("charset=latin1", "'latin1'"),
        ("charset=us-ascii", "'us-ascii'"), ("charset=windows-1252", "'windows-1252'"), ("charset=utf8", "'utf8'"),
        ("charset=x-no-such-charset", "'x-no-such-charset'"), ("charset=\"utf-16\"", "'utf-16'"), ("charset=", "''"), ("charset=\"\"", "''"),
        ("charset=utf-8; charset=utf-16", "more than one charset"), ("charset=utf-8; charset=utf-8", "more than one charset"),
        ("charset", "''"),
    ];

    /// <summary>Media types no route takes, however close to JSON they are.</summary>
    private static string[] RefusedMediaTypes =>
    [
        "text/json", "application/problem+json", "application/vnd.api+json", "application/json-patch+json", "application/x-ndjson",
        "application/jsonp", "application/*", "*/*", "multipart/form-data; boundary=x", "application/json-seq",
    ];

    private static void AddJsonBodyCases(List<HostileRequest> cases)
    {
        foreach (var route in RouteTable.All.Where(r => r.Body is not null).DistinctBy(r => r.Key))
        {
            var path = route.Path("");
            var utf8 = Encoding.UTF8.GetBytes(route.Body!);
            void Add(string id, byte[] body, int status, string contentType = "application/json", string? field = null, string? says = null) =>
                cases.Add(new HostileRequest(JsonRouteCase(route, id), route.Method, path, body, contentType, status, Field: field, Says: says));
            void Json(string id, string member, string field) => Add(id, With(route.Body!, member), 400, field: field);

            // Charsets: refused with 415, never transcoded. UTF-16 of odd length once made every JSON route answer 500.
            var utf16 = Encoding.Unicode.GetBytes(route.Body!);
            Add("charset=utf-16 body", utf16, 415, "application/json; charset=utf-16", says: "'utf-16'");
            Add("charset=utf-16 odd length", [.. utf16, 0x7B], 415, "application/json; charset=utf-16", says: "'utf-16'");
            Add("charset=utf-32 body", Encoding.UTF32.GetBytes(route.Body!), 415, "application/json; charset=utf-32", says: "'utf-32'");
            foreach (var (parameter, says) in RefusedCharsets)
            {
                Add(parameter, utf8, 415, $"application/json; {parameter}", says: says);
            }

            // Media types: exactly those the route declares; merge patch is PATCH's alone.
            foreach (var mediaType in route.Method == "PATCH" ? RefusedMediaTypes : [.. RefusedMediaTypes, "application/merge-patch+json"])
            {
                Add(mediaType, utf8, 415, mediaType, says: mediaType.Split(';')[0]);
            }

            // Keys: each Unicode text, each once in its object (after unescaping, ignoring case as binding does).
            Add("key of invalid utf-8", With(route.Body!, [.. "\""u8, 0xFF, .. "\":1"u8]), 400, field: "\uFFFD");
            Add("nested key of invalid utf-8", With(route.Body!, [.. "\"zz\":{\"a\":{\""u8, 0xC3, 0x28, .. "\":1}}"u8]), 400, field: "zz.a.\uFFFD(");
            Add("key of an overlong nul", With(route.Body!, [.. "\""u8, 0xC0, 0x80, .. "\":1"u8]), 400, field: "\uFFFD\uFFFD");
            Add("key of an encoded surrogate", With(route.Body!, [.. "\""u8, 0xED, 0xA0, 0x80, .. "\":1"u8]), 400, field: "\uFFFD\uFFFD\uFFFD");
            Json("key of an escaped lone surrogate", "\"\\ud800\":1", "\\ud800");
            Json("key given twice", "\"zz\":1,\"zz\":2", "zz");
            Json("key given twice escaped", "\"zz\":1,\"\\u007a\\u007A\":2", "zz");
            Json("key given twice in another case", "\"zz\":1,\"ZZ\":2", "ZZ");
            Json("nested key given twice", "\"zz\":{\"a\":{\"b\":1,\"b\":2}}", "zz.a.b");
            Json("key given twice in an array", "\"zz\":[{\"a\":1},{\"a\":1,\"a\":2}]", "zz[1].a");
            Json("value of an escaped lone surrogate", "\"zz\":\"\\udc00\"", "zz");
            Add("value of invalid utf-8", With(route.Body!, [.. "\"zz\":[\"a\",\""u8, 0xF8, 0x88, 0x80, 0x80, 0x80, .. "\"]"u8]), 400, field: "zz[1]");
            if (FirstMember(route.Body!) is { } first)
            {
                // The route's own first key again, last: the duplicate a client sends by accident.
                Add("its first key given twice", Encoding.UTF8.GetBytes(route.Body![..^1] + "," + first + "}"), 400,
                    field: JsonDocument.Parse("{" + first + "}").RootElement.EnumerateObject().First().Name);
            }
        }
    }

    /// <summary>The corpus id of a JSON-body case on a route: the route's key, then the case.</summary>
    public static string JsonRouteCase(RouteRule route, string id) => $"json {route.Key} {id}".TrimEnd();

    /// <summary>The body with <paramref name="member"/> as its first member.</summary>
    private static byte[] With(string body, string member) => With(body, Encoding.UTF8.GetBytes(member));

    private static byte[] With(string body, byte[] member)
    {
        var rest = body.Trim()[1..].TrimStart();
        return [.. "{"u8, .. member, .. rest.StartsWith('}') ? ""u8 : ","u8, .. Encoding.UTF8.GetBytes(rest)];
    }

    /// <summary>The first <c>"key":value</c> of a JSON object, as written; null for <c>{}</c>.</summary>
    private static string? FirstMember(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.EnumerateObject().Select(p => $"{JsonSerializer.Serialize(p.Name)}:{p.Value.GetRawText()}").FirstOrDefault();
    }
}
