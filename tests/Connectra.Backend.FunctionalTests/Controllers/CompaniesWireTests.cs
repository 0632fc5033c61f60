using System.Net;
using System.Text.Json;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.FunctionalTests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connectra.Backend.FunctionalTests.Controllers;

/// <summary>Company routes, company-scoped contact routes and the LinkedIn search, with WireMock as Connectra.</summary>
public sealed class CompaniesWireTests(ApiFactory api) : ApiTestBase(api)
{
    private const string CompanyUuid = "05a07568-7d0c-5ad4-a0d8-08b29af09bc5";
    private const string Tornado = $$"""
        {"data":[{"id":88,"uuid":"{{CompanyUuid}}","name":"Tornado Aurora","employees_count":34,"annual_revenue":1384515,
          "total_funding":610527,"industries":["home goods"],"keywords":["sustainable","eco"],"technologies":["mysql"],
          "city":"ottawa","state":"nb","country":"canada","website":"https://www.tornadoaurora.co",
          "linkedin_url":"https://linkedin.com/company/tornadoaurora-668412","phone_number":"4796663487",
          "created_at":"2025-12-31T10:00:00.123456Z","updated_at":"2025-12-31T10:00:00.123456Z","cursor":["{{CompanyUuid}}"]}],"success":true}
        """;

    private static string CompanyExists => Tornado;

    [Fact]
    public async Task Company_search_translates_ranges_and_maps_the_list_item()
    {
        Api.Connectra.AnswerPost("/companies/", Tornado);
        using var client = AuthorizedClient();

        var page = await (await client.PostAsJsonAsync("/api/v3/companies/query", new
        {
            filters = new { and = new object[] { new { field = "employees", @operator = "gte", value = 10 }, new { field = "employees_count", @operator = "lt", value = 500 } } },
            sort_by = "-country",
            limit = 5,
        }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        ConnectraStub.AssertJson("""
            {"where":{"range_query":{"must":{"employees_count":{"gte":10,"lt":500}}},"keyword_match":{"must_not":{"linkedin_url":"__deleted__"}}},
             "order_by":[{"order_by":"country","order_direction":"desc"},{"order_by":"uuid","order_direction":"asc"}],"page":1,"limit":5}
            """, Assert.Single(Api.Connectra.Sent("/companies/")));
        var item = page.GetProperty("results")[0];
        Assert.Equal("Tornado Aurora", item.GetProperty("name").GetString());
        Assert.Equal("home goods", item.GetProperty("industry").GetString());
        Assert.Equal(["sustainable", "eco"], item.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal("https://linkedin.com/company/tornadoaurora-668412", item.GetProperty("metadata").GetProperty("linkedin_url").GetString());
        Assert.Equal("-country,uuid", page.GetProperty("meta").GetProperty("ordering").GetString());
        Assert.True(page.GetProperty("meta").GetProperty("filters_applied").GetBoolean());
    }

    [Fact]
    public async Task Company_detail_carries_its_timestamps()
    {
        Api.Connectra.AnswerPost("/companies/", Tornado);
        using var client = AuthorizedClient();

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v3/companies/{CompanyUuid}/", Ct);

        Assert.Equal("2025-12-31T10:00:00.123456Z", detail.GetProperty("created_at").GetString());
        ConnectraStub.AssertJson("""{"where":{"keyword_match":{"must":{"uuid":"UUID"},"must_not":{"linkedin_url":"__deleted__"}}},"limit":1}""".Replace("UUID", CompanyUuid, StringComparison.Ordinal),
            Assert.Single(Api.Connectra.Sent("/companies/")));
    }

    [Fact]
    public async Task Company_detail_of_an_unknown_uuid_is_404()
    {
        Api.Connectra.AnswerPost("/companies/", """{"data":[],"success":true}""");
        using var client = AuthorizedClient();

        using var response = await client.GetAsync("/api/v3/companies/30b2402d-6859-565f-8647-bdd3a4eb8f8a/", Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal("Company not found", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Company_contacts_are_scoped_to_the_company_and_filtered_by_query_parameters()
    {
        Api.Connectra.AnswerPost("/companies/", CompanyExists);
        Api.Connectra.AnswerPost("/contacts/", """{"data":[],"success":true}""");
        using var client = AuthorizedClient();

        using var response = await client.GetAsync(
            $"/api/v3/companies/company/{CompanyUuid}/contacts/?seniority=director&exclude_departments=sales,legal&limit=10&offset=20", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(Api.Connectra.Sent("/contacts/"));
        Assert.Equal(CompanyUuid, sent["where"]!["keyword_match"]!["must"]!["company_id"]!.GetValue<string>());
        Assert.Equal("director", sent["where"]!["keyword_match"]!["must"]!["seniority"]!.GetValue<string>());
        Assert.Equal(["sales", "legal"], sent["where"]!["keyword_match"]!["must_not"]!["departments"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(3, sent["page"]!.GetValue<int>());
        Assert.Equal(10, sent["limit"]!.GetValue<int>());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("meta").ValueKind);
    }

    [Fact]
    public async Task Company_contacts_count_of_an_unknown_company_is_404_not_the_whole_index()
    {
        Api.Connectra.AnswerPost("/companies/", """{"data":[],"success":true}""");
        Api.Connectra.AnswerPost("/contacts/count", """{"count":40155012,"success":true}""");
        using var client = AuthorizedClient();

        using var response = await client.GetAsync($"/api/v3/companies/company/{CompanyUuid}/contacts/count/", Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Empty(Api.Connectra.Sent("/contacts/count"));
    }

    [Theory]
    [InlineData("GET", "/contacts/")]
    [InlineData("GET", "/contacts/count/")]
    [InlineData("GET", "/contacts/filters")]
    [InlineData("POST", "/contacts/filters/data")]
    public async Task An_outage_during_the_company_check_is_503_not_404(string method, string suffix)
    {
        Api.Connectra.Answer("POST", "/companies/", 503, "");
        using var client = AuthorizedClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/v3/companies/company/{CompanyUuid}{suffix}");
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { filter_key = "title" });
        }

        using var response = await client.SendAsync(request, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, ProblemTypes.ConnectraUnavailable);
    }

    [Fact]
    public async Task Company_contact_filter_values_come_from_every_contact_of_the_company()
    {
        Api.Connectra.AnswerPost("/companies/", CompanyExists);
        var page1 = string.Join(',', Enumerable.Range(0, 100).Select(i =>
            $$"""{"uuid":"a{{i:000}}","company_id":"{{CompanyUuid}}","title":"{{(i % 3 == 0 ? "Engineer" : i % 3 == 1 ? "engineer" : "Director")}}","cursor":["a{{i:000}}"]}"""));
        Api.Connectra.Given(Request.Create().WithPath("/contacts/").UsingPost().WithBody(b => b != null && !b.Contains("\"cursor\"", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"data":[{{page1}}],"success":true}"""));
        Api.Connectra.Given(Request.Create().WithPath("/contacts/").UsingPost().WithBody(b => b != null && b.Contains("\"cursor\"", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"data":[{"uuid":"b000","company_id":"{{CompanyUuid}}","title":"Analyst","cursor":["b000"]}],"success":true}"""));
        using var client = AuthorizedClient();

        var page = await (await client.PostAsJsonAsync($"/api/v3/companies/company/{CompanyUuid}/contacts/filters/data",
            new { filter_key = "title" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(["Analyst", "Director", "Engineer"], page.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("value").GetString()));
        Assert.Equal(2, Api.Connectra.Sent("/contacts/").Count);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_page").ValueKind);
    }

    [Fact]
    public async Task LinkedIn_search_returns_contacts_with_their_company_and_companies_with_their_contacts()
    {
        const string url = "https://linkedin.com/company/tornadoaurora-668412";
        Api.Connectra.AnswerPost("/companies/", Tornado);
        Api.Connectra.AnswerPost("/contacts/", $$"""{"data":[{"uuid":"c1","first_name":"ada","company_id":"{{CompanyUuid}}","departments":["engineering"],"city":"ottawa","country":"canada","cursor":["c1"]}],"success":true}""");
        using var client = AuthorizedClient();

        var body = await (await client.PostAsJsonAsync("/api/v3/linkedin/", new { url = $"  {url} " }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var company = body.GetProperty("companies")[0];
        Assert.Equal(CompanyUuid, company.GetProperty("company").GetProperty("uuid").GetString());
        Assert.Equal("c1", company.GetProperty("contacts")[0].GetProperty("uuid").GetString());
        Assert.Equal(["engineering"], company.GetProperty("contacts")[0].GetProperty("departments").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("ottawa canada", company.GetProperty("contacts")[0].GetProperty("text_search").GetString());
        Assert.Equal(1, body.GetProperty("total_companies").GetInt32());
        Assert.All(Api.Connectra.Sent("/companies/"), q => Assert.Equal(url, q["where"]!["keyword_match"]!["must"]!["linkedin_url"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"url":""}""", "url")]
    [InlineData("""{"url":"   "}""", "url")]
    [InlineData("""{"url":12345}""", "url")]
    [InlineData("""{}""", "url")]
    public async Task LinkedIn_search_without_a_url_is_400(string body, string field)
    {
        using var client = AuthorizedClient();

        using var response = await client.PostAsync("/api/v3/linkedin/", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task LinkedIn_search_is_503_with_its_own_message_when_connectra_fails()
    {
        Api.Connectra.Answer("POST", "/contacts/", 500, "");
        Api.Connectra.Answer("POST", "/companies/", 500, "");
        using var client = AuthorizedClient();

        using var response = await client.PostAsJsonAsync("/api/v3/linkedin/", new { url = "https://linkedin.com/in/x" }, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, ProblemTypes.ConnectraUnavailable);
        Assert.Equal("LinkedIn search service temporarily unavailable", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("POST", "/api/v3/companies/query")]
    [InlineData("POST", "/api/v3/companies/count")]
    [InlineData("GET", "/api/v3/companies/filters")]
    [InlineData("GET", "/api/v3/companies/05a07568-7d0c-5ad4-a0d8-08b29af09bc5/")]
    public async Task Every_company_route_answers_503_when_connectra_fails(string method, string route)
    {
        Api.Connectra.Answer("POST", "/companies/", 502, "");
        Api.Connectra.Answer("POST", "/companies/count", 502, "");
        Api.Connectra.Answer("GET", "/common/company/filters", 502, "");
        using var client = AuthorizedClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), route);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { });
        }

        using var response = await client.SendAsync(request, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, ProblemTypes.ConnectraUnavailable);
        Assert.Equal("Company service temporarily unavailable", problem.GetProperty("detail").GetString());
    }
}
