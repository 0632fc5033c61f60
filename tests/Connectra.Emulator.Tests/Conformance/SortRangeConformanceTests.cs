using System.Globalization;

namespace Connectra.Emulator.Tests.Conformance;

/// <summary>
/// A <c>range_query</c> on the field a page is sorted by, with and without a cursor, as the export's walk sends it
/// (docs/emulator.md#sorted-pages): the walk applies such a range by where it starts and stops, so every bound,
/// cursor position and combination must still give exactly Elasticsearch's range-then-search_after answer. Each row
/// runs against both plans (<see cref="SortRangeData"/>), and each sorted row must have reached the plan under test.
/// Rows: name, route, body, status, expected ("[3,4]" contacts in this order, "[K1]" companies, or an error prefix)
/// and whether the sorted-page planner runs (first sort key an ascending keyword).
/// </summary>
public sealed class SortRangeConformanceTests(SortRangeData data) : IClassFixture<SortRangeData>
{
    private const string UuidAsc = """[{"order_by":"uuid","order_direction":"asc"}]""";
    private const string UuidDesc = """[{"order_by":"uuid","order_direction":"desc"}]""";
    private const string SeniorityAsc = """[{"order_by":"seniority","order_direction":"asc"},{"order_by":"uuid","order_direction":"asc"}]""";
    private const string SeniorityDesc = """[{"order_by":"seniority","order_direction":"desc"},{"order_by":"uuid","order_direction":"asc"}]""";
    private const string NotDeleted = """ "keyword_match":{"must_not":{"email_status":"__deleted__"}} """;

    public static TheoryData<string, string, string, int, string, bool> Rows => new()
    {
        // Bounds as VQL states them: gte/gt/lte/lt, or from/to with include_lower/include_upper (default inclusive).
        { "both bounds, no cursor", "/contacts/", Page(Uuid(B("gte", 3), B("lt", 8))), 200, "[3,4,5,6,7]", true },
        { "both bounds without tombstones", "/contacts/", Page(Uuid(B("gte", 3), B("lt", 8)), NotDeleted), 200, "[3,4,5,6]", true },
        { "an exclusive lower bound", "/contacts/", Page(Uuid(B("gt", 3), B("lt", 8)), NotDeleted), 200, "[4,5,6]", true },
        { "an inclusive upper bound", "/contacts/", Page(Uuid(B("gte", 6), B("lte", 8))), 200, "[6,7,8]", true },
        { "an exclusive upper bound", "/contacts/", Page(Uuid(B("gte", 6), B("lt", 8))), 200, "[6,7]", true },
        { "from and to exclude with include flags off", "/contacts/",
            Page(Uuid(B("from", 3), B("to", 6), "\"include_lower\":false", "\"include_upper\":false")), 200, "[4,5]", true },
        { "from and to include by default", "/contacts/", Page(Uuid(B("from", 3), B("to", 6))), 200, "[3,4,5,6]", true },
        { "only a lower bound", "/contacts/", Page(Uuid(B("gte", 10))), 200, "[10,11,12]", true },
        { "only an upper bound", "/contacts/", Page(Uuid(B("lt", 3))), 200, "[1,2]", true },
        { "a lower bound between two uuids", "/contacts/", Page(Uuid($"\"gte\":\"{U(5)}5\""), NotDeleted, limit: 3), 200, "[6,8,9]", true },
        { "an upper bound between two uuids", "/contacts/", Page(Uuid($"\"lt\":\"{U(5)}5\""), NotDeleted), 200, "[1,2,3,4,5]", true },
        { "a single uuid", "/contacts/", Page(Uuid(B("gte", 5), B("lte", 5))), 200, "[5]", true },
        { "numbers are compared as their text", "/contacts/", Page(Uuid("\"gte\":0", "\"lt\":1"), NotDeleted), 200, "[1,2,3,4,5,6,8,9,10,11,12]", true },

        // Empty ranges.
        { "a lower bound above the upper", "/contacts/", Page(Uuid(B("gte", 6), B("lt", 3))), 200, "[]", true },
        { "equal exclusive bounds", "/contacts/", Page(Uuid(B("gt", 5), B("lt", 5))), 200, "[]", true },
        { "equal bounds, one exclusive", "/contacts/", Page(Uuid(B("gte", 5), B("lt", 5))), 200, "[]", true },
        { "a range above every uuid", "/contacts/", Page(Uuid("\"gt\":\"1\"")), 200, "[]", true },

        // The cursor inside, below, on and beyond the bounds.
        { "a cursor inside the range", "/contacts/", Page(Uuid(B("gte", 3), B("lt", 8)), NotDeleted, cursor: [U(4)]), 200, "[5,6]", true },
        { "a cursor below the range", "/contacts/", Page(Uuid(B("gte", 3), B("lt", 8)), NotDeleted, cursor: [U(1)]), 200, "[3,4,5,6]", true },
        { "a cursor on an inclusive lower bound", "/contacts/", Page(Uuid(B("gte", 3), B("lt", 8)), cursor: [U(3)]), 200, "[4,5,6,7]", true },
        { "a cursor on an exclusive lower bound", "/contacts/", Page(Uuid(B("gt", 3), B("lt", 8)), cursor: [U(3)]), 200, "[4,5,6,7]", true },
        { "a cursor between two uuids", "/contacts/", Page(Uuid(B("gte", 3)), NotDeleted, cursor: [U(5) + "5"], limit: 2), 200, "[6,8]", true },
        { "a cursor on a tombstone", "/contacts/", Page(Uuid(B("gte", 3)), NotDeleted, cursor: [U(7)], limit: 2), 200, "[8,9]", true },
        { "a cursor just below an inclusive upper bound", "/contacts/", Page(Uuid(B("lte", 8)), cursor: [U(7)]), 200, "[8]", true },
        { "a cursor on an inclusive upper bound", "/contacts/", Page(Uuid(B("lte", 8)), cursor: [U(8)]), 200, "[]", true },
        { "a cursor on an exclusive upper bound", "/contacts/", Page(Uuid(B("lt", 8)), cursor: [U(8)]), 200, "[]", true },
        { "a cursor beyond the upper bound", "/contacts/", Page(Uuid(B("gte", 3), B("lt", 8)), cursor: [U(9)]), 200, "[]", true },
        { "a cursor beyond every uuid", "/contacts/", Page(Uuid(B("gte", 3)), cursor: ["z"]), 200, "[]", true },
        { "an empty cursor value is below every uuid", "/contacts/", Page(Uuid(B("lt", 3)), cursor: [""]), 200, "[1,2]", true },
        { "limit and cursor", "/contacts/", Page(Uuid(B("gte", 2), B("lte", 11)), NotDeleted, cursor: [U(3)], limit: 2), 200, "[4,5]", true },
        { "the second page by offset", "/contacts/", Page(Uuid(B("gte", 3)), NotDeleted, limit: 2, page: 2), 200, "[5,6]", true },
        { "the last page by offset runs short", "/contacts/", Page(Uuid(B("gte", 3), B("lt", 8)), NotDeleted, limit: 3, page: 2), 200, "[6]", true },

        // Combined with the query's other conditions.
        { "with keyword must and a terms must_not", "/contacts/",
            Page(Uuid(B("gte", 2), B("lte", 10)), """ "keyword_match":{"must":{"country":"usa"},"must_not":{"email_status":["invalid","__deleted__"]}} """),
            200, "[2,5,8,10]", true },
        { "with a text condition", "/contacts/",
            Page(Uuid(B("gte", 2), B("lt", 9)), NotDeleted, """ "text_matches":{"must":[{"text_value":"engineer","filter_key":"title","search_type":"shuffle"}]} """),
            200, "[2,4,5,6,8]", true },
        { "with a text must_not", "/contacts/",
            Page(Uuid(B("gte", 2), B("lt", 9)), NotDeleted, """ "text_matches":{"must_not":[{"text_value":"engineer","filter_key":"title","search_type":"shuffle"}]} """),
            200, "[3]", true },
        { "with a range on another field", "/contacts/",
            Page("\"range_query\":{\"must\":{\"created_at\":{\"gte\":\"now-1h\"},\"uuid\":{" + B("gte", 3) + "," + B("lt", 8) + "}}}", NotDeleted),
            200, "[3,4,5,6]", true },
        { "with a range on another field that excludes all", "/contacts/",
            Page("\"range_query\":{\"must\":{\"created_at\":{\"lt\":\"now-1h\"},\"uuid\":{" + B("gte", 3) + "}}}"), 200, "[]", true },
        { "with a term on the sort field", "/contacts/",
            Page(Uuid(B("gte", 4)), $$$""" "keyword_match":{"must":{"uuid":["{{{U(3)}}}","{{{U(5)}}}","{{{U(9)}}}"]}} """), 200, "[5,9]", true },
        { "with a must_not on the sort field", "/contacts/",
            Page(Uuid(B("gte", 3), B("lte", 6)), $$$""" "keyword_match":{"must_not":{"uuid":"{{{U(4)}}}"}} """), 200, "[3,5,6]", true },
        { "with a condition nothing matches", "/contacts/", Page(Uuid(B("gte", 3)), """ "keyword_match":{"must":{"country":"mars"}} """), 200, "[]", true },

        // Ties: a range on a sort field that repeats values, the cursor deciding within them by the next key.
        { "a range on a repeated field", "/contacts/", Page(Field("seniority", "\"gte\":\"junior\"", "\"lt\":\"senior\""), order: SeniorityAsc), 200, "[4,8,2,3,5,9,12]", true },
        { "a cursor inside a tie", "/contacts/", Page(Field("seniority", "\"gte\":\"junior\"", "\"lt\":\"senior\""), order: SeniorityAsc, cursor: ["mid", U(3)]), 200, "[5,9,12]", true },
        { "a cursor at the end of a tie", "/contacts/", Page(Field("seniority", "\"gte\":\"junior\"", "\"lt\":\"senior\""), order: SeniorityAsc, cursor: ["junior", U(8)]), 200, "[2,3,5,9,12]", true },
        { "a cursor at the end of the last tie", "/contacts/", Page(Field("seniority", "\"gte\":\"junior\"", "\"lt\":\"senior\""), order: SeniorityAsc, cursor: ["mid", U(12)]), 200, "[]", true },
        { "a tie on an exclusive lower bound is outside", "/contacts/", Page(Field("seniority", "\"gt\":\"mid\""), order: SeniorityAsc, cursor: ["mid", U(3)]), 200, "[1,6,10]", true },
        { "an empty lower bound includes empty values", "/contacts/", Page(Field("seniority", "\"gte\":\"\""), order: SeniorityAsc, limit: 4), 200, "[7,11,4,8]", true },
        { "an exclusive empty lower bound excludes them", "/contacts/", Page(Field("seniority", "\"gt\":\"\""), order: SeniorityAsc, limit: 2), 200, "[4,8]", true },
        { "a cursor on empty values with tombstones excluded", "/contacts/", Page(Field("seniority", "\"lte\":\"mid\""), NotDeleted, order: SeniorityAsc, cursor: ["", U(7)]), 200, "[11,4,8,2,3,5,9,12]", true },
        { "a uuid range under a seniority sort", "/contacts/", Page(Uuid(B("gte", 3), B("lt", 8)), NotDeleted, order: SeniorityAsc), 200, "[4,3,5,6]", true },
        { "a uuid range and a cursor under a seniority sort", "/contacts/", Page(Uuid(B("gte", 3), B("lt", 8)), NotDeleted, order: SeniorityAsc, cursor: ["mid", U(3)]), 200, "[5,6]", true },

        // Descending sorts take the plain search; the answers must agree all the same.
        { "descending with both bounds", "/contacts/", Page(Uuid(B("gte", 3), B("lt", 8)), NotDeleted, order: UuidDesc), 200, "[6,5,4,3]", false },
        { "descending with a cursor inside", "/contacts/", Page(Uuid(B("gte", 3), B("lt", 8)), NotDeleted, order: UuidDesc, cursor: [U(6)]), 200, "[5,4,3]", false },
        { "descending with a cursor below the range", "/contacts/", Page(Uuid(B("gte", 3), B("lt", 8)), order: UuidDesc, cursor: [U(2)]), 200, "[]", false },
        { "descending with a cursor above the range", "/contacts/", Page(Uuid(B("gte", 3), B("lt", 8)), NotDeleted, order: UuidDesc, cursor: [U(10)]), 200, "[6,5,4,3]", false },
        { "descending ties", "/contacts/", Page(Field("seniority", "\"gte\":\"junior\"", "\"lt\":\"senior\""), order: SeniorityDesc, cursor: ["mid", U(5)]), 200, "[9,12,4,8]", false },

        // Companies walk their own index; errors in the range come first, as Elasticsearch parses before it searches.
        { "companies with a range and a cursor", "/companies/", Page(Uuid($"\"gte\":\"{K(1)}\""), cursor: [K(1)]), 200, "[K2,K3]", true },
        { "an unknown range option is refused", "/contacts/", Page(Uuid(B("gte", 3), "\"above\":1")), 500, "elasticsearch: [400 Bad Request] parsing_exception", false },
        { "a null range is refused", "/contacts/", Page("\"range_query\":{\"must\":{\"uuid\":null}}"), 500, "elasticsearch: [400 Bad Request] parsing_exception", false },
        { "a null bound is open", "/contacts/", Page(Uuid("\"gte\":null", B("lt", 3))), 200, "[1,2]", true },
        { "a cursor of the wrong length is refused", "/contacts/", Page(Uuid(B("gte", 3)), cursor: [U(3), U(4)]), 500, "elasticsearch: [400 Bad Request] illegal_argument_exception", false },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_plan_gives_the_answer_of_a_range_then_search_after(string name, string route, string body, int status, string expected, bool planned)
    {
        foreach (var (plan, host) in new[] { ("term walk", data.Walking), ("sort value scan", data.Scanning) })
        {
            var ct = TestContext.Current.CancellationToken;
            var (walks, scans) = (host.Server.TermWalks, host.Server.SortValueScans);

            var (actualStatus, json) = await host.PostJsonAsync(route, body, ct);

            Assert.True(status == actualStatus, $"{name} ({plan}): expected {status}, got {actualStatus}: {json}");
            if (status != 200)
            {
                Assert.StartsWith(expected, json.GetProperty("error").GetString(), StringComparison.Ordinal);
                continue;
            }

            var uuids = json.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("uuid").GetString()!).ToList();
            var wanted = expected.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(token => token.StartsWith('K') ? K(Number(token[1..])) : U(Number(token)))
                .ToList();
            Assert.True(wanted.SequenceEqual(uuids), $"{name} ({plan}): expected {string.Join(",", wanted)}, got {string.Join(",", uuids)}");
            var reached = host == data.Walking ? host.Server.TermWalks - walks : host.Server.SortValueScans - scans;
            Assert.True((planned ? 1 : 0) == reached, $"{name} ({plan}): the plan ran {reached} times");
        }
    }

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static string U(int number) => ConformanceData.ContactUuid(number);

    private static string K(int number) => ConformanceData.CompanyUuid(number);

    private static string B(string option, int contact) => $"\"{option}\":\"{U(contact)}\"";

    private static string Uuid(params string[] bounds) => Field("uuid", bounds);

    private static string Field(string field, params string[] bounds) =>
        "\"range_query\":{\"must\":{\"" + field + "\":{" + string.Join(',', bounds) + "}}}";

    private static string Page(
        string range, string? where = null, string? more = null, string order = UuidAsc, string[]? cursor = null, int limit = 25, int page = 0)
    {
        var clauses = string.Join(',', new[] { range, where, more }.Where(c => c is not null));
        var body = "{\"where\":{" + clauses + "},\"order_by\":" + order + ",\"limit\":" + limit.ToString(CultureInfo.InvariantCulture);
        if (cursor is not null)
        {
            body += ",\"cursor\":[" + string.Join(',', cursor.Select(c => "\"" + c + "\"")) + "]";
        }

        return body + (page > 0 ? ",\"page\":" + page.ToString(CultureInfo.InvariantCulture) : "") + "}";
    }
}
