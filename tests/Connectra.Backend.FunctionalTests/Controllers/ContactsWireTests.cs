using System.Net;
using System.Text.Json;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.FunctionalTests.Infrastructure;

namespace Connectra.Backend.FunctionalTests.Controllers;

/// <summary>What the backend sends Connectra for contact routes, and how it maps the answer (WireMock as Connectra).</summary>
public sealed class ContactsWireTests(ApiFactory api) : ApiTestBase(api)
{
    private const string Uuid = "031fc21c-ca12-559a-b908-7b5569ca5068";
    private const string CompanyUuid = "05a07568-7d0c-5ad4-a0d8-08b29af09bc5";

    private const string Edwin = $$"""
        {"data":[{"id":1,"uuid":"{{Uuid}}","first_name":"Edwin","last_name":"Donnelly","company_id":"{{CompanyUuid}}",
          "email":"edwin.donnelly@pioneer.io","title":"Auditor","departments":["legal","operations"],"mobile_phone":"8993501746",
          "email_status":"unverified","seniority":"_","city":"paris","state":"occitanie","country":"france",
          "linkedin_url":"https://linkedin.com/in/edwin-donnelly-504892","facebook_url":"https://facebook.com/edwin.donnelly",
          "twitter_url":"https://twitter.com/edwindonnelly","website":"https://edwindonnelly.com","work_direct_phone":"8777951604",
          "home_phone":"4537576208","other_phone":"1563308204","stage":"contacted",
          "created_at":"2025-06-13T22:58:50.035719Z","updated_at":"2025-12-21T22:58:50.035719Z",
          "company":{"uuid":"{{CompanyUuid}}","name":"Pioneer","employees_count":34,"industries":["home goods","retail"],
            "keywords":["sustainable","eco"],"address":"1 rue de Rivoli","annual_revenue":1384515,"total_funding":610527,
            "technologies":["mysql","react"],"city":"ottawa","state":"nb","country":"canada","linkedin_url":"https://linkedin.com/company/pioneer",
            "company_name_for_emails":"Pioneer","phone_number":"4796663487","latest_funding":"Series A","latest_funding_amount":5000000,
            "last_raised_at":"2024-01-01"},
          "cursor":["{{Uuid}}"]}],"success":true}
        """;

    [Fact]
    public async Task First_name_eq_john_becomes_an_exact_phrase_filter_with_a_uuid_order_and_company_attached()
    {
        Api.Connectra.AnswerPost("/contacts/", """{"data":[],"success":true}""");
        using var client = AuthorizedClient();

        using var response = await client.PostAsJsonAsync("/api/v3/contacts/query",
            new { filters = new { and = new[] { new { field = "first_name", @operator = "eq", value = "John" } } }, limit = 10, offset = 0 }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ConnectraStub.AssertJson("""
            {"where":{"text_matches":{"must":[{"text_value":"John","filter_key":"first_name","search_type":"exact","slop":0}]},
                      "keyword_match":{"must_not":{"email_status":"__deleted__"}}},
             "order_by":[{"order_by":"uuid","order_direction":"asc"}],"page":1,"limit":10,"company_config":{"populate":true}}
            """, Assert.Single(Api.Connectra.Sent("/contacts/")));
    }

    [Fact]
    public async Task The_benchmark_query_is_sent_as_the_vql_bench_backend_direct_lua_posts()
    {
        Api.Connectra.AnswerPost("/contacts/", """{"data":[],"success":true}""");
        using var client = AuthorizedClient();

        await client.PostAsync("/api/v3/contacts/query", new StringContent("""
            {"filters":{"and":[{"field":"title","operator":"contains","value":"engineer"},
             {"field":"seniority","operator":"eq","value":"senior"}]},"limit":25}
            """, System.Text.Encoding.UTF8, "application/json"), Ct);

        ConnectraStub.AssertJson("""
            {"where":{"text_matches":{"must":[{"text_value":"engineer","filter_key":"title","search_type":"shuffle","operator":"and","fuzzy":false}]},
             "keyword_match":{"must":{"seniority":"senior"},"must_not":{"email_status":"__deleted__"}}},
             "order_by":[{"order_by":"uuid","order_direction":"asc"}],"page":1,"limit":25,"company_config":{"populate":true}}
            """, Assert.Single(Api.Connectra.Sent("/contacts/")));
    }

    [Fact]
    public async Task A_contact_is_mapped_to_all_42_fields_from_its_real_sources()
    {
        Api.Connectra.AnswerPost("/contacts/", Edwin);
        using var client = AuthorizedClient();

        var page = await (await client.PostAsJsonAsync("/api/v3/contacts/query", new { limit = 1 }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var item = Assert.Single(page.GetProperty("results").EnumerateArray().ToList());
        Assert.Equal(42, item.EnumerateObject().Count());
        ConnectraStub.AssertJson($$"""
            {"uuid":"{{Uuid}}","first_name":"Edwin","last_name":"Donnelly","title":"Auditor","company":"Pioneer",
             "company_name_for_emails":"Pioneer","email":"edwin.donnelly@pioneer.io","email_status":"unverified",
             "primary_email_catch_all_status":null,"seniority":null,"departments":"legal, operations",
             "work_direct_phone":"8777951604","home_phone":"4537576208","mobile_phone":"8993501746","corporate_phone":"4796663487",
             "other_phone":"1563308204","stage":"contacted","employees":34,"industry":"home goods, retail","keywords":"sustainable, eco",
             "person_linkedin_url":"https://linkedin.com/in/edwin-donnelly-504892","website":"https://edwindonnelly.com",
             "company_linkedin_url":"https://linkedin.com/company/pioneer","facebook_url":"https://facebook.com/edwin.donnelly",
             "twitter_url":"https://twitter.com/edwindonnelly","city":"paris","state":"occitanie","country":"france",
             "company_address":"1 rue de Rivoli","company_city":"ottawa","company_state":"nb","company_country":"canada",
             "company_phone":"4796663487","technologies":"mysql, react","annual_revenue":1384515,"total_funding":610527,
             "latest_funding":"Series A","latest_funding_amount":5000000,"last_raised_at":"2024-01-01",
             "meta_data":{"latest_funding_amount":"5000000"},
             "created_at":"2025-06-13T22:58:50.035719Z","updated_at":"2025-12-21T22:58:50.035719Z"}
            """, System.Text.Json.Nodes.JsonNode.Parse(item.GetRawText())!);
        var meta = page.GetProperty("meta");
        Assert.Equal("limit-offset", meta.GetProperty("strategy").GetString());
        Assert.False(meta.GetProperty("filters_applied").GetBoolean());
        Assert.Equal(JsonValueKind.String, page.GetProperty("next").ValueKind); // a full page: there may be more
        Assert.Equal(JsonValueKind.Null, page.GetProperty("previous").ValueKind);
    }

    [Fact]
    public async Task The_next_token_continues_with_connectras_cursor_instead_of_an_offset()
    {
        Api.Connectra.AnswerPost("/contacts/", Edwin);
        using var client = AuthorizedClient();
        var first = await (await client.PostAsJsonAsync("/api/v3/contacts/query", new { limit = 1 }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        using var second = await client.PostAsJsonAsync("/api/v3/contacts/query", new { limit = 1, cursor = first.GetProperty("next").GetString() }, Ct);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var sent = Api.Connectra.Sent("/contacts/")[1];
        ConnectraStub.AssertJson("""
            {"where":{"keyword_match":{"must_not":{"email_status":"__deleted__"}}},
             "order_by":[{"order_by":"uuid","order_direction":"asc"}],"cursor":["UUID"],"limit":1,"company_config":{"populate":true}}
            """.Replace("UUID", Uuid, StringComparison.Ordinal), sent);
    }

    [Fact]
    public async Task Selected_columns_always_carry_uuid_and_company_id_and_unselected_fields_are_null()
    {
        Api.Connectra.AnswerPost("/contacts/", $$"""{"data":[{"uuid":"{{Uuid}}","first_name":"Edwin","company_id":"{{CompanyUuid}}","cursor":["{{Uuid}}"]}],"success":true}""");
        using var client = AuthorizedClient();

        var page = await (await client.PostAsJsonAsync("/api/v3/contacts/query", new { select_columns = new[] { "first_name" } }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var sent = Assert.Single(Api.Connectra.Sent("/contacts/"));
        Assert.Equal(["uuid", "company_id", "first_name"], sent["select_columns"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Null(sent["company_config"]);
        var item = page.GetProperty("results")[0];
        Assert.Equal("Edwin", item.GetProperty("first_name").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("email").ValueKind);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("company").ValueKind);
    }

    [Fact]
    public async Task Count_sends_only_the_where()
    {
        Api.Connectra.AnswerPost("/contacts/count", """{"count":1842,"success":true}""");
        using var client = AuthorizedClient();

        var body = await (await client.PostAsJsonAsync("/api/v3/contacts/count",
            new { filters = new { and = new object[] { new { field = "country", @operator = "eq", value = "usa" }, new { field = "departments", @operator = "in", value = new[] { "engineering" } } } }, limit = 5, sort_by = "email" }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(1842, body.GetProperty("count").GetInt64());
        ConnectraStub.AssertJson("""{"where":{"keyword_match":{"must":{"country":"usa","departments":"engineering"},"must_not":{"email_status":"__deleted__"}}}}""",
            Assert.Single(Api.Connectra.Sent("/contacts/count")));
    }

    [Theory]
    [InlineData("""{"filters":{"or":[{"field":"title","operator":"contains","value":"engineer"},{"field":"city","operator":"eq","value":"paris"}]}}""", "filters.or")]
    [InlineData("""{"filters":{"and":[{"field":"shoe_size","operator":"eq","value":"42"}]}}""", "filters.and[0].field")]
    [InlineData("""{"limit":500}""", "limit")]
    [InlineData("""{"offset":-1}""", "offset")]
    [InlineData("""{"sort_by":"title"}""", "sort_by")]
    [InlineData("""{"colour":"red"}""", "")]
    [InlineData("""{"limit":"ten"}""", "limit")]
    public async Task A_query_connectra_cannot_run_is_a_400_naming_the_field(string body, string field)
    {
        using var client = AuthorizedClient();

        using var response = await client.PostAsync("/api/v3/contacts/query", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains(errors, e => e.StartsWith(field, StringComparison.Ordinal));
        Assert.Empty(Api.Connectra.LogEntries);
    }

    [Fact]
    public async Task Detail_asks_connectra_for_that_uuid_with_its_company_and_fills_company_and_metadata()
    {
        Api.Connectra.AnswerPost("/contacts/", Edwin);
        using var client = AuthorizedClient();

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v3/contacts/{Uuid.ToUpperInvariant()}/", Ct);

        ConnectraStub.AssertJson("""
            {"where":{"keyword_match":{"must":{"uuid":"UUID"},"must_not":{"email_status":"__deleted__"}}},"limit":1,"company_config":{"populate":true}}
            """.Replace("UUID", Uuid, StringComparison.Ordinal), Assert.Single(Api.Connectra.Sent("/contacts/")));
        Assert.Equal(Uuid, detail.GetProperty("uuid").GetString());
        Assert.Equal("Pioneer", detail.GetProperty("company_detail").GetProperty("name").GetString());
        Assert.Equal("home goods, retail", detail.GetProperty("company_detail").GetProperty("industry").GetString());
        Assert.Equal("contacted", detail.GetProperty("metadata").GetProperty("stage").GetString());
        Assert.Equal(44, detail.EnumerateObject().Count());
    }

    [Fact]
    public async Task Detail_is_404_when_connectra_returns_another_contact()
    {
        Api.Connectra.AnswerPost("/contacts/", Edwin);
        using var client = AuthorizedClient();

        using var response = await client.GetAsync("/api/v3/contacts/2a55a0ae-14ee-5461-9cdd-7005803c74e3/", Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal("Contact not found", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{contact_uuid}")]
    [InlineData("not-a-uuid")]
    public async Task Detail_of_a_malformed_uuid_is_400_without_asking_connectra(string id)
    {
        using var client = AuthorizedClient();

        using var response = await client.GetAsync($"/api/v3/contacts/{Uri.EscapeDataString(id)}/", Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.True(problem.GetProperty("errors").TryGetProperty("contact_uuid", out _));
        Assert.Empty(Api.Connectra.LogEntries);
    }

    [Fact]
    public async Task Filter_values_are_read_for_the_routes_entity_and_de_duplicated()
    {
        Api.Connectra.AnswerFilters("contact", "seniority");
        Api.Connectra.AnswerPost("/common/contact/filters/data",
            """{"data":[{"value":"director","display_value":"Director"},{"value":"director","display_value":"Director"},{"value":"vp","display_value":"VP"}],"success":true}""");
        using var client = AuthorizedClient();

        var page = await (await client.PostAsJsonAsync("/api/v3/contacts/filters/data",
            new { filter_key = "seniority", search_text = "d", page = 2, limit = 3 }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        ConnectraStub.AssertJson("""{"filter_key":"seniority","search_text":"d","page":2,"limit":3}""",
            Assert.Single(Api.Connectra.Sent("/common/contact/filters/data")));
        Assert.Equal(["director", "vp"], page.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("value").GetString()));
        Assert.Equal("Director", page.GetProperty("data")[0].GetProperty("display_value").GetString());
        Assert.Equal(3, page.GetProperty("next_page").GetInt32());
    }

    [Fact]
    public async Task Filter_values_for_another_service_than_the_route_are_refused()
    {
        using var client = AuthorizedClient();

        using var response = await client.PostAsJsonAsync("/api/v3/contacts/filters/data", new { service = "company", filter_key = "industries" }, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.True(problem.GetProperty("errors").TryGetProperty("service", out _));
    }

    [Fact]
    public async Task Filter_values_without_a_filter_key_are_refused_naming_it()
    {
        using var client = AuthorizedClient();

        using var response = await client.PostAsJsonAsync("/api/v3/contacts/filters/data", new { }, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.True(problem.GetProperty("errors").TryGetProperty("filter_key", out _), problem.GetRawText());
    }

    [Fact]
    public async Task LinkedIn_url_search_asks_for_exact_urls_and_returns_the_uuids()
    {
        Api.Connectra.AnswerPost("/contacts/", $$"""{"data":[{"uuid":"{{Uuid}}","linkedin_url":"https://linkedin.com/in/edwin","cursor":["{{Uuid}}"]}],"success":true}""");
        using var client = AuthorizedClient();

        var body = await (await client.PostAsJsonAsync("/api/v3/contacts/linkedin/search",
            new { urls = new[] { " https://linkedin.com/in/edwin ", "https://linkedin.com/in/nobody" } }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal([Uuid], body.GetProperty("contact_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, body.GetProperty("count").GetInt32());
        ConnectraStub.AssertJson("""
            {"where":{"keyword_match":{"must":{"linkedin_url":["https://linkedin.com/in/edwin","https://linkedin.com/in/nobody"]},"must_not":{"email_status":"__deleted__"}}},
             "order_by":[{"order_by":"uuid","order_direction":"asc"}],"limit":100,"select_columns":["uuid","linkedin_url"]}
            """, Assert.Single(Api.Connectra.Sent("/contacts/")));
    }

    [Theory]
    [InlineData("POST", "/api/v3/contacts/query", "/contacts/")]
    [InlineData("POST", "/api/v3/contacts/count", "/contacts/count")]
    [InlineData("POST", "/api/v3/contacts/filters/data", "/common/contact/filters/data")]
    [InlineData("GET", "/api/v3/contacts/031fc21c-ca12-559a-b908-7b5569ca5068/", "/contacts/")]
    [InlineData("POST", "/api/v3/contacts/linkedin/search", "/contacts/")]
    public async Task Every_contact_route_answers_503_when_connectra_fails(string method, string route, string connectraPath)
    {
        Api.Connectra.AnswerFilters("contact", "seniority");
        Api.Connectra.Answer("POST", connectraPath, 500, """{"error":"elastic down","success":false}""");
        using var client = AuthorizedClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), route);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(route.EndsWith("data", StringComparison.Ordinal) ? new { filter_key = "seniority" }
                : route.EndsWith("search", StringComparison.Ordinal) ? new { urls = new[] { "u" } } : (object)new { });
        }

        using var response = await client.SendAsync(request, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, ProblemTypes.ConnectraUnavailable);
        Assert.Equal("Contact service temporarily unavailable", problem.GetProperty("detail").GetString());
    }
}
