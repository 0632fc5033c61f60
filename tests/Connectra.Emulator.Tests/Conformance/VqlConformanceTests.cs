using System.Globalization;

namespace Connectra.Emulator.Tests.Conformance;

/// <summary>
/// The VQL semantics of docs/connectra.md#vql (compilation to field kinds and clauses) as a table: each row is a raw JSON request, the route it goes to and what Connectra
/// answers — the matching rows ("1,3" any order, "[2,4]" in this order, "K1" companies) or, for an error status,
/// the start of the error text. "{today}" stands for the current UTC date (documents are indexed today).
/// </summary>
public sealed class VqlConformanceTests(ConformanceData data) : IClassFixture<ConformanceData>
{
    private const string All = "1,2,3,4,5,6,7,8";

    public static TheoryData<string, string, string, int, string> Rows => new()
    {
        // exact: a case-insensitive phrase; slop counts position moves, a swap costs 2 (docs/connectra.md#exact).
        { "exact is a phrase, not equality", "/contacts/", Title("exact", "software engineer"), 200, "1" },
        { "exact ignores case", "/contacts/", Title("exact", "SOFTWARE ENGINEER"), 200, "1" },
        { "exact with slop 1 does not reach a swapped phrase", "/contacts/", Title("exact", "software engineer", """ "slop":1"""), 200, "1" },
        { "exact with slop 2 reaches a swapped phrase", "/contacts/", Title("exact", "software engineer", """ "slop":2"""), 200, "1,4" },
        { "exact single word matches that token only", "/contacts/", Title("exact", "engineer"), 200, "1,2,4" },
        { "exact on a keyword field is whole-value and case-sensitive", "/contacts/", Text("seniority", "exact", "senior"), 200, "1" },
        { "exact on a keyword field finds the capitalised value only when asked", "/contacts/", Text("seniority", "exact", "Senior"), 200, "7" },
        { "an empty text matches nothing", "/contacts/", Title("exact", ""), 200, "" },
        { "an all-punctuation text matches nothing", "/contacts/", Title("shuffle", "!!! ---"), 200, "" },
        { "negative slop is refused by the search engine", "/contacts/", Title("exact", "software engineer", """ "slop":-1"""), 500, "" },

        // shuffle: bag of words, and/or, fuzziness AUTO.
        { "shuffle and needs every word in any order", "/contacts/", Title("shuffle", "engineer senior"), 200, "1" },
        { "shuffle or needs any word", "/contacts/", Title("shuffle", "engineer senior", """ "operator":"or" """), 200, "1,2,4" },
        { "shuffle operator is case-insensitive", "/contacts/", Title("shuffle", "engineer senior", """ "operator":"OR" """), 200, "1,2,4" },
        { "fuzzy enginer matches engineer and engine", "/contacts/", Title("shuffle", "enginer", """ "fuzzy":true"""), 200, "1,2,4,5,8" },
        { "without fuzzy enginer matches only itself", "/contacts/", Title("shuffle", "enginer"), 200, "8" },
        { "fuzzy counts a transposition as one edit", "/contacts/", Text("first_name", "shuffle", "jhon", """ "fuzzy":true"""), 200, "1,2" },
        { "fuzzy allows no edit on two letters", "/contacts/", Text("first_name", "shuffle", "jo", """ "fuzzy":true"""), 200, "" },
        { "fuzzy on a keyword field compares the whole value", "/contacts/", Text("seniority", "shuffle", "senoir", """ "fuzzy":true"""), 200, "1,7" },
        { "accents are not folded", "/contacts/", Text("first_name", "shuffle", "jose"), 200, "" },
        { "accented words match themselves", "/contacts/", Text("first_name", "shuffle", "JOSÉ"), 200, "5" },
        { "shuffle on a long field is refused", "/contacts/", Text("company_employees_count", "shuffle", "120"), 500, "" },
        { "exact on a long field is numeric equality", "/contacts/", Text("company_employees_count", "exact", "120"), 200, "1,6" },
        { "text on an unknown field matches nothing", "/contacts/", Text("nickname", "shuffle", "john"), 200, "" },
        { "text on a database-only column matches nothing", "/contacts/", Text("stage", "exact", "new"), 200, "" },
        { "an unknown search type is dropped", "/contacts/", Title("fuzzy", "nothing like this"), 200, All },
        { "search types are case-sensitive", "/contacts/", Title("Exact", "nothing like this"), 200, All },

        // substring: shared 5–10-character grams; words under 5 characters are ignored.
        { "substring tech matches nothing", "/contacts/", Text("company_name", "substring", "tech"), 200, "" },
        { "substring technolog matches Technology Partners", "/contacts/", Text("company_name", "substring", "technolog"), 200, "1,6" },
        { "substring engineer also matches engine and engineering", "/contacts/", Title("substring", "engineer"), 200, "1,2,3,4,5,8" },
        { "substring ignores short words even with and", "/contacts/", Title("substring", "tech consultant"), 200, "7" },
        { "substring on a keyword field matches nothing", "/contacts/", Text("email", "substring", "smith"), 200, "" },
        { "substring must_not with only short words excludes nothing", "/contacts/",
            """{"where":{"text_matches":{"must_not":[{"text_value":"tech","filter_key":"title","search_type":"substring"}]}}}""", 200, All },

        // grouping: OR on one field, AND across fields, every must_not on its own.
        { "conditions on one field are alternatives", "/contacts/",
            """{"where":{"text_matches":{"must":[{"text_value":"john","filter_key":"first_name","search_type":"shuffle"},{"text_value":"jane","filter_key":"first_name","search_type":"shuffle"}]}}}""", 200, "1,3" },
        { "conditions on different fields must all hold", "/contacts/",
            """{"where":{"text_matches":{"must":[{"text_value":"jane","filter_key":"first_name","search_type":"shuffle"},{"text_value":"vp","filter_key":"title","search_type":"shuffle"}]}}}""", 200, "3" },
        { "conditions on different fields exclude when one fails", "/contacts/",
            """{"where":{"text_matches":{"must":[{"text_value":"john","filter_key":"first_name","search_type":"shuffle"},{"text_value":"vp","filter_key":"title","search_type":"shuffle"}]}}}""", 200, "" },
        { "text must_not excludes matches", "/contacts/",
            """{"where":{"text_matches":{"must_not":[{"text_value":"engineer","filter_key":"title","search_type":"shuffle"}]}}}""", 200, "3,5,6,7,8" },

        // keyword_match: term / terms, case-sensitive, missing fields never excluded.
        { "keyword term", "/contacts/", Keyword("must", """ "country":"usa" """), 200, "1,2,4,6,7" },
        { "keyword term is case-sensitive", "/contacts/", Keyword("must", """ "departments":"engineering" """), 200, "1,2,3,4" },
        { "keyword terms matches any element", "/contacts/", Keyword("must", """ "departments":["sales","support"] """), 200, "6,8" },
        { "keyword keys are combined with and", "/contacts/", Keyword("must", """ "country":"usa","seniority":"mid" """), 200, "2,4" },
        { "keyword must_not excludes", "/contacts/", Keyword("must_not", """ "email_status":"invalid" """), 200, "1,3,4,5,6,7,8" },
        { "keyword must_not does not exclude a missing array", "/contacts/", Keyword("must_not", """ "departments":"engineering" """), 200, "5,6,7,8" },
        { "an empty string is a real keyword value", "/contacts/", Keyword("must", """ "email":"" """), 200, "2,4,5,7,8" },
        { "keyword on a text field compares one raw token", "/contacts/", Keyword("must", """ "first_name":"john" """), 200, "1" },
        { "keyword on a text field is not analysed", "/contacts/", Keyword("must", """ "first_name":"John" """), 200, "" },
        { "keyword number on a long field", "/contacts/", Keyword("must", """ "company_employees_count":120 """), 200, "1,6" },
        { "keyword numeric string on a long field", "/contacts/", Keyword("must", """ "company_employees_count":"120" """), 200, "1,6" },
        { "keyword fraction on a long field is refused", "/contacts/", Keyword("must", """ "company_employees_count":120.5 """), 500, "" },
        { "keyword on an unknown field matches nothing", "/contacts/", Keyword("must", """ "nickname":"x" """), 200, "" },
        { "keyword must_not on an unknown field excludes nothing", "/contacts/", Keyword("must_not", """ "nickname":"x" """), 200, All },
        { "an empty terms array is refused", "/contacts/", Keyword("must", """ "country":[] """), 500, "" },
        { "uuids select rows", "/contacts/", Keyword("must", $""" "uuid":["{ConformanceData.ContactUuid(3)}","{ConformanceData.ContactUuid(5)}"] """), 200, "3,5" },
        { "company_id selects a company's contacts", "/contacts/", Keyword("must", $""" "company_id":"{ConformanceData.CompanyUuid(2)}" """), 200, "3,8" },

        // range_query: numbers, keywords, dates; must_not dropped.
        { "range on a long copy of the company", "/contacts/", Range(""" "company_employees_count":{"gte":50,"lte":1000} """), 200, "1,6" },
        { "range counts a missing company as 0", "/contacts/", Range(""" "company_employees_count":{"lt":50} """), 200, "3,5,7,8" },
        { "range fractions round inwards", "/contacts/", Range(""" "company_employees_count":{"gt":39.5,"lt":40.5} """), 200, "3,8" },
        { "range numeric strings are numbers", "/contacts/", Range(""" "company_employees_count":{"gte":"5000"} """), 200, "2,4" },
        { "range of a non-number on a long field is refused", "/contacts/", Range(""" "company_employees_count":{"gte":"many"} """), 500, "" },
        { "range on a keyword is lexicographic", "/contacts/", Range(""" "country":{"lt":"h"} """), 200, "3" },
        { "range on an unknown field matches nothing", "/contacts/", Range(""" "nickname":{"gte":"a"} """), 200, "" },
        { "range must_not is dropped", "/contacts/", """{"where":{"range_query":{"must_not":{"company_employees_count":{"gte":0}}}}}""", 200, All },
        { "range with an unknown option is refused", "/contacts/", Range(""" "company_employees_count":{"gte":1,"above":2} """), 500, "" },
        { "date math now-1h includes today's documents", "/contacts/", Range(""" "created_at":{"gte":"now-1h"} """), 200, All },
        { "date math excludes before now-1h", "/contacts/", Range(""" "created_at":{"lt":"now-1h"} """), 200, "" },
        { "a date-only lte covers the whole day", "/contacts/", Range(""" "created_at":{"lte":"{today}"} """), 200, All },
        { "a date-only gt skips the whole day", "/contacts/", Range(""" "created_at":{"gt":"{today}"} """), 200, "" },
        { "a date-only gte starts the day", "/contacts/", Range(""" "created_at":{"gte":"{today}"} """), 200, All },
        { "a date-only lt ends before the day", "/contacts/", Range(""" "created_at":{"lt":"{today}"} """), 200, "" },
        { "date rounding with /d", "/contacts/", Range(""" "created_at":{"gte":"now/d","lte":"now/d"} """), 200, All },
        { "dates accept epoch millis", "/contacts/", Range(""" "created_at":{"gte":946684800000} """), 200, All },
        { "a bad date is refused", "/contacts/", Range(""" "created_at":{"gte":"yesterday"} """), 500, "" },
        { "a keyword date equals its whole day", "/contacts/", Keyword("must", """ "created_at":"{today}" """), 200, All },

        // order, page, limit, cursor (docs/connectra.md#ordering, docs/connectra.md#paging).
        { "sort on a keyword, ties broken by uuid", "/contacts/", """{"order_by":[{"order_by":"email","order_direction":"asc"},{"order_by":"uuid","order_direction":"asc"}],"limit":4}""", 200, "[2,4,5,7]" },
        { "sort descending only for the exact word desc", "/contacts/", """{"order_by":[{"order_by":"uuid","order_direction":"DESC"}],"limit":2}""", 200, "[1,2]" },
        { "arrays sort ascending on their smallest element, missing last", "/contacts/", """{"order_by":[{"order_by":"departments","order_direction":"asc"},{"order_by":"uuid","order_direction":"asc"}]}""", 200, "[7,1,2,3,4,6,8,5]" },
        { "arrays sort descending on their largest element, missing last", "/contacts/", """{"order_by":[{"order_by":"departments","order_direction":"desc"},{"order_by":"uuid","order_direction":"asc"}]}""", 200, "[8,6,2,3,1,4,7,5]" },
        { "entries without a field are dropped", "/contacts/", """{"order_by":[{"order_by":"","order_direction":"desc"},{"order_by":"uuid","order_direction":"desc"}],"limit":1}""", 200, "[8]" },
        { "page counts from one with the given limit", "/contacts/", """{"order_by":[{"order_by":"uuid","order_direction":"asc"}],"page":2,"limit":3}""", 200, "[4,5,6]" },
        { "page without limit stays on the first page", "/contacts/", """{"order_by":[{"order_by":"uuid","order_direction":"asc"}],"page":2}""", 200, "[1,2,3,4,5,6,7,8]" },
        { "a limit of zero means 25", "/contacts/", """{"order_by":[{"order_by":"uuid","order_direction":"asc"}],"limit":0}""", 200, "[1,2,3,4,5,6,7,8]" },
        { "a cursor continues after its values", "/contacts/", $$$$"""{"order_by":[{"order_by":"uuid","order_direction":"asc"}],"limit":2,"cursor":["{{{{ConformanceData.ContactUuid(6)}}}}"]}""", 200, "[7,8]" },
        { "a cursor with page 1 is harmless", "/contacts/", $$$$"""{"order_by":[{"order_by":"uuid","order_direction":"asc"}],"limit":2,"page":1,"cursor":["{{{{ConformanceData.ContactUuid(6)}}}}"]}""", 200, "[7,8]" },
        { "a cursor with page 2 is refused", "/contacts/", $$$$"""{"order_by":[{"order_by":"uuid","order_direction":"asc"}],"limit":2,"page":2,"cursor":["{{{{ConformanceData.ContactUuid(6)}}}}"]}""", 500, "" },
        { "a cursor must have one value per sort key", "/contacts/", """{"order_by":[{"order_by":"uuid","order_direction":"asc"}],"cursor":["a","b"]}""", 500, "" },
        { "a negative limit with page 2 is refused", "/contacts/", """{"page":2,"limit":-5}""", 500, "" },
        { "sorting on a text field is refused", "/contacts/", """{"order_by":[{"order_by":"title","order_direction":"asc"}]}""", 500, "" },
        { "sorting on a long field fails once there are hits", "/contacts/", """{"order_by":[{"order_by":"company_employees_count","order_direction":"desc"}]}""", 500, "json: cannot unmarshal number" },
        { "sorting on a long field with no hits answers empty", "/contacts/", """{"where":{"keyword_match":{"must":{"country":"mars"}}},"order_by":[{"order_by":"company_employees_count","order_direction":"desc"}]}""", 200, "" },
        { "sorting on created_at fails once there are hits", "/contacts/", """{"order_by":[{"order_by":"created_at","order_direction":"asc"}]}""", 500, "json: cannot unmarshal number" },
        { "sorting on an unknown field is refused", "/contacts/", """{"order_by":[{"order_by":"stage","order_direction":"asc"}]}""", 500, "" },

        // validation (docs/connectra.md#top-level-keys, docs/connectra.md#errors).
        { "limit above 100 is refused", "/contacts/", """{"limit":101}""", 400, "ERR_PAGE_SIZE_EXCEEDED" },
        { "page above 10 is refused", "/contacts/", """{"page":11}""", 400, "ERR_PAGE_OUT_OF_RANGE" },
        { "limit is checked before page", "/contacts/", """{"page":11,"limit":500}""", 400, "ERR_PAGE_SIZE_EXCEEDED" },
        { "count validates limit too", "/contacts/count", """{"limit":500}""", 400, "ERR_PAGE_SIZE_EXCEEDED" },
        { "a string limit is a Go type error", "/contacts/", """{"limit":"ten"}""", 400, "json: cannot unmarshal string into Go struct field VQLQuery.limit of type int" },
        { "an empty body is EOF", "/contacts/", "", 400, "EOF" },
        { "keys match case-insensitively", "/contacts/", """{"LIMIT":1,"Order_By":[{"ORDER_BY":"uuid","order_direction":"asc"}]}""", 200, "[1]" },
        { "unknown keys are dropped", "/contacts/", """{"filters":{"and":[{"field":"first_name","operator":"eq","value":"john"}]},"offset":5}""", 200, All },
        { "search_after is not read by the current build", "/contacts/", """{"order_by":[{"order_by":"uuid","order_direction":"asc"}],"limit":1,"search_after":["x"]}""", 200, "[1]" },

        // companies: their own index and columns.
        { "company substring search", "/companies/", """{"where":{"text_matches":{"must":[{"text_value":"technolog","filter_key":"name","search_type":"substring"}]}}}""", 200, "K1" },
        { "company industries keep their case", "/companies/", """{"where":{"keyword_match":{"must":{"industries":"Software"}}}}""", 200, "K3" },
        { "company industries lower-case", "/companies/", """{"where":{"keyword_match":{"must":{"industries":"software"}}}}""", 200, "K1" },
        { "company range includes zero employees", "/companies/", """{"where":{"range_query":{"must":{"employees_count":{"lte":100}}}}}""", 200, "K2,K4" },
        { "company normalized_domain is text", "/companies/", """{"where":{"text_matches":{"must":[{"text_value":"techpartners.com","filter_key":"normalized_domain","search_type":"exact"}]}}}""", 200, "K1" },
        { "company sort on a long field is refused", "/companies/", """{"order_by":[{"order_by":"employees_count","order_direction":"desc"}]}""", 500, "json: cannot unmarshal number" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_request_gets_the_answer_Connectra_gives(string name, string route, string body, int status, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (actualStatus, json) = await data.Host.PostJsonAsync(route, body.Replace("{today}", today, StringComparison.Ordinal), ct);

        Assert.True(status == actualStatus, $"{name}: expected {status}, got {actualStatus}: {json}");
        if (status != 200)
        {
            Assert.False(json.GetProperty("success").GetBoolean());
            Assert.StartsWith(expected, json.GetProperty("error").GetString(), StringComparison.Ordinal);
            return;
        }

        var uuids = json.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("uuid").GetString()!).ToList();
        var ordered = expected.StartsWith('[');
        var wanted = expected.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(token => token.StartsWith('K')
                ? ConformanceData.CompanyUuid(int.Parse(token[1..], CultureInfo.InvariantCulture))
                : ConformanceData.ContactUuid(int.Parse(token, CultureInfo.InvariantCulture)))
            .ToList();
        if (ordered)
        {
            Assert.Equal(wanted, uuids);
        }
        else
        {
            Assert.Equal(wanted.Order(StringComparer.Ordinal), uuids.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Count_answers_the_number_of_matches_and_ignores_paging()
    {
        var ct = TestContext.Current.CancellationToken;
        var (status, json) = await data.Host.PostJsonAsync(
            "/contacts/count", """{"where":{"keyword_match":{"must":{"country":"usa"}}},"limit":1,"page":3,"order_by":[{"order_by":"title"}]}""", ct);

        Assert.Equal(200, status);
        Assert.Equal(5, json.GetProperty("count").GetInt64());
        Assert.True(json.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Select_columns_without_uuid_give_empty_data()
    {
        var ct = TestContext.Current.CancellationToken;
        var (status, json) = await data.Host.PostJsonAsync("/contacts/", """{"select_columns":["first_name"]}""", ct);

        Assert.Equal(200, status);
        Assert.Equal(0, json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Select_columns_return_only_those_columns_plus_company_id()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, json) = await data.Host.PostJsonAsync("/contacts/", $$$$"""
            {"where":{"keyword_match":{"must":{"uuid":"{{{{ConformanceData.ContactUuid(1)}}}}"}}},"select_columns":["uuid","first_name"]}
            """, ct);

        var item = json.GetProperty("data")[0];
        Assert.Equal(["uuid", "first_name", "company_id"], item.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("john", item.GetProperty("first_name").GetString());
    }

    [Fact]
    public async Task An_unknown_select_column_is_a_database_error()
    {
        var ct = TestContext.Current.CancellationToken;
        var (status, json) = await data.Host.PostJsonAsync("/contacts/", """{"select_columns":["uuid","nickname"]}""", ct);

        Assert.Equal(500, status);
        Assert.StartsWith("ERR_DATA_FETCH_FAILED", json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Company_config_attaches_the_company_with_its_selected_columns()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, json) = await data.Host.PostJsonAsync("/contacts/", $$$$"""
            {"where":{"keyword_match":{"must":{"uuid":["{{{{ConformanceData.ContactUuid(1)}}}}","{{{{ConformanceData.ContactUuid(5)}}}}"]}}},
             "order_by":[{"order_by":"uuid","order_direction":"asc"}],
             "company_config":{"populate":true,"select_columns":["uuid","name","employees_count"]}}
            """, ct);

        var items = json.GetProperty("data");
        var company = items[0].GetProperty("company");
        Assert.Equal(["uuid", "name", "employees_count"], company.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("Technology Partners", company.GetProperty("name").GetString());
        Assert.False(items[1].TryGetProperty("company", out _), "a contact without a company gets no company key");
        Assert.Equal([ConformanceData.ContactUuid(1)], items[0].GetProperty("cursor").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Company_config_without_uuid_never_attaches_a_company()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, json) = await data.Host.PostJsonAsync("/contacts/", $$$$"""
            {"where":{"keyword_match":{"must":{"uuid":"{{{{ConformanceData.ContactUuid(1)}}}}"}}},"company_config":{"populate":true,"select_columns":["name"]}}
            """, ct);

        Assert.False(json.GetProperty("data")[0].TryGetProperty("company", out _));
    }

    [Fact]
    public async Task Items_carry_no_cursor_without_order_by_and_omit_empty_fields()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, json) = await data.Host.PostJsonAsync("/contacts/", $$$$"""
            {"where":{"keyword_match":{"must":{"uuid":"{{{{ConformanceData.ContactUuid(5)}}}}"} } } }
            """, ct);

        var item = json.GetProperty("data")[0];
        Assert.False(item.TryGetProperty("cursor", out _));
        Assert.False(item.TryGetProperty("email", out _));
        Assert.False(item.TryGetProperty("departments", out _));
        Assert.False(item.TryGetProperty("company_id", out _));
        Assert.Equal("José", item.GetProperty("first_name").GetString());
    }

    private static string Title(string searchType, string text, string extra = "") => Text("title", searchType, text, extra);

    private static string Text(string field, string searchType, string text, string extra = "") =>
        "{\"where\":{\"text_matches\":{\"must\":[{\"text_value\":\"" + text + "\",\"filter_key\":\"" + field +
        "\",\"search_type\":\"" + searchType + "\"" + (extra.Length > 0 ? "," + extra : "") + "}]}}}";

    private static string Keyword(string clause, string body) =>
        "{\"where\":{\"keyword_match\":{\"" + clause + "\":{" + body + "}}}}";

    private static string Range(string body) => "{\"where\":{\"range_query\":{\"must\":{" + body + "}}}}";
}
