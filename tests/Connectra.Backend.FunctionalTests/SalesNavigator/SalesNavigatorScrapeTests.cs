using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Connectra.Backend.Application;
using Connectra.Backend.Application.SalesNavigator;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.FunctionalTests.Writes;

namespace Connectra.Backend.FunctionalTests.SalesNavigator;

/// <summary>
/// The scrape route over the write stack (API, outbox dispatcher, emulator): saved leads are read back only through
/// the public read routes. Each test makes the page's keys and company names its own, as records are never cleared.
/// </summary>
[Collection(WriteTestGroup.Name)]
public sealed class SalesNavigatorScrapeTests(WriteHost stack)
{
    private const string Route = "/api/v3/sales-navigator/scrape";
    private static readonly TimeSpan Visible = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A page of its own: unique lead ids, company ids and company names.</summary>
    private static (string Html, string Run) Page()
    {
        var run = Guid.NewGuid().ToString("N")[..10];
        return (Load("results-page.html", run), run);
    }

    private static string Load(string name, string run = "") =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SalesNavigator", "Fixtures", name)).Replace("%RUN%", run, StringComparison.Ordinal);

    private static string LeadUrl(string run, int lead) =>
        $"https://www.linkedin.com/sales/lead/ACwAAA{run}{1000 + lead},NAME_SEARCH,{lead switch { 1 => "q7Xc", 2 => "w2Er", _ => "e4Rt" }}";

    private static string CompanyUrl(string run) => $"https://www.linkedin.com/sales/company/{run}2001";

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ScrapeAsync(HttpClient client, string html, bool save)
    {
        using var response = await client.PostAsJsonAsync(Route, new { html, save }, Ct);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    private static JsonElement Summary(JsonElement body) => body.GetProperty("save_summary");

    private static int Count(JsonElement body, string name) => Summary(body).GetProperty(name).GetInt32();

    [Fact]
    public async Task Saved_leads_become_contacts_and_a_company_that_the_read_routes_serve()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        var (html, run) = Page();

        var (status, body) = await ScrapeAsync(writer, html, save: true);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, body.GetProperty("profiles").GetArrayLength());
        Assert.Equal((4, 3, 0, 1, 0), (Count(body, "total_profiles"), Count(body, "contacts_created"), Count(body, "contacts_updated"),
            Count(body, "companies_created"), Count(body, "companies_updated")));
        // The fourth lead links no profile, so it has no key: reported, not saved.
        var error = Assert.Single(Summary(body).GetProperty("errors").EnumerateArray()).GetString();
        Assert.StartsWith("profiles[3]", error, StringComparison.Ordinal);

        var adaUuid = UuidV5.Text(UuidV5.UrlNamespace, LeadUrl(run, 1));
        var companyUuid = UuidV5.Text(UuidV5.UrlNamespace, $"Northwind Analytics{run}" + CompanyUrl(run));
        var contacts = body.GetProperty("saved_contacts").EnumerateArray().ToList();
        Assert.Equal([adaUuid, UuidV5.Text(UuidV5.UrlNamespace, LeadUrl(run, 2)), UuidV5.Text(UuidV5.UrlNamespace, LeadUrl(run, 3))],
            contacts.Select(c => c.GetProperty("uuid").GetString()));
        var ada = contacts[0];
        Assert.Equal(("Ada", "Lovelace", "director", companyUuid), (ada.GetProperty("first_name").GetString(), ada.GetProperty("last_name").GetString(),
            ada.GetProperty("seniority").GetString(), ada.GetProperty("company_id").GetString()));
        Assert.Equal(["engineering"], ada.GetProperty("departments").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("Lyon Auvergne-Rhône-Alpes France", ada.GetProperty("text_search").GetString());
        var adaMetadata = body.GetProperty("saved_contacts_metadata")[0];
        Assert.Equal((LeadUrl(run, 1), LeadUrl(run, 1), "Lyon", "Auvergne-Rhône-Alpes", "France"), (adaMetadata.GetProperty("linkedin_url").GetString(),
            adaMetadata.GetProperty("linkedin_sales_url").GetString(), adaMetadata.GetProperty("city").GetString(),
            adaMetadata.GetProperty("state").GetString(), adaMetadata.GetProperty("country").GetString()));
        var company = Assert.Single(body.GetProperty("saved_companies").EnumerateArray());
        Assert.Equal(companyUuid, company.GetProperty("uuid").GetString());
        Assert.Equal(["aws", "hubspot", "kubernetes", "postgresql", "python", "rust", "salesforce"],
            company.GetProperty("technologies").EnumerateArray().Select(t => t.GetString()).Order(StringComparer.Ordinal));
        var companyMetadata = Assert.Single(body.GetProperty("saved_companies_metadata").EnumerateArray());
        Assert.Equal((CompanyUrl(run), $"Northwind Analytics{run}"),
            (companyMetadata.GetProperty("linkedin_url").GetString(), companyMetadata.GetProperty("company_name_for_emails").GetString()));

        JsonElement detail = default;
        Assert.True(await WriteHost.EventuallyAsync(async () =>
        {
            using var response = await reader.GetAsync($"/api/v3/contacts/{adaUuid}/", Ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            detail = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            return detail.GetProperty("company").ValueKind == JsonValueKind.String;
        }, Visible, Ct), "the saved contact never reached the read routes with its company");
        Assert.Equal("Director of Engineering", detail.GetProperty("title").GetString());
        Assert.Equal("director", detail.GetProperty("seniority").GetString());
        Assert.Equal("Lyon", detail.GetProperty("city").GetString());
        Assert.Equal(LeadUrl(run, 1), detail.GetProperty("person_linkedin_url").GetString());
        Assert.Equal($"Northwind Analytics{run}", detail.GetProperty("company").GetString());

        Assert.True(await WriteHost.EventuallyAsync(async () =>
        {
            var (queried, page) = await WriteHost.QueryAsync(reader, "contacts", "company_id", companyUuid, Ct);
            return queried == HttpStatusCode.OK && page.GetProperty("results").GetArrayLength() == 2;
        }, Visible, Ct), "the company's two saved contacts were never both found by /contacts/query");
    }

    [Fact]
    public async Task Saving_the_same_page_again_updates_what_the_first_save_created()
    {
        using var writer = stack.Writer();
        var (html, run) = Page();
        var (_, first) = await ScrapeAsync(writer, html, save: true);

        var (status, second) = await ScrapeAsync(writer, html, save: true);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((3, 0, 1, 0), (Count(first, "contacts_created"), Count(first, "contacts_updated"), Count(first, "companies_created"), Count(first, "companies_updated")));
        Assert.Equal((0, 3, 0, 1), (Count(second, "contacts_created"), Count(second, "contacts_updated"), Count(second, "companies_created"), Count(second, "companies_updated")));
        Assert.Equal(first.GetProperty("saved_contacts").EnumerateArray().Select(c => c.GetProperty("created_at").GetDateTimeOffset()),
            second.GetProperty("saved_contacts").EnumerateArray().Select(c => c.GetProperty("created_at").GetDateTimeOffset()));
        var uuid = UuidV5.Text(UuidV5.UrlNamespace, LeadUrl(run, 1));
        Assert.Equal(2, await stack.ScalarAsync($"SELECT version FROM contacts WHERE uuid = '{uuid}'", Ct));
        Assert.Equal(2, await stack.ScalarAsync($"SELECT count(*) FROM connectra_outbox WHERE entity = 'contact' AND uuid = '{uuid}'", Ct));
    }

    [Fact]
    public async Task Without_save_the_page_is_only_parsed_and_nothing_is_written()
    {
        using var reader = stack.Reader();
        var (html, run) = Page();

        var (status, body) = await ScrapeAsync(reader, html, save: false);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, body.GetProperty("profiles").GetArrayLength());
        Assert.Equal(LeadUrl(run, 1), body.GetProperty("profiles")[0].GetProperty("profile_url").GetString());
        foreach (var list in new[] { "saved_contacts", "saved_contacts_metadata", "saved_companies", "saved_companies_metadata" })
        {
            Assert.Equal(0, body.GetProperty(list).GetArrayLength());
        }

        Assert.Equal("""{"total_profiles":4,"contacts_created":0,"contacts_updated":0,"companies_created":0,"companies_updated":0,"errors":[]}""",
            Summary(body).GetRawText());
        Assert.Equal(0, await stack.ScalarAsync($"SELECT count(*) FROM contacts_metadata WHERE linkedin_url LIKE '%{run}%'", Ct));
        Assert.Equal(0, await stack.ScalarAsync($"SELECT count(*) FROM companies WHERE name LIKE '%{run}%'", Ct));
    }

    [Fact]
    public async Task The_response_has_exactly_the_documented_members()
    {
        using var reader = stack.Reader();

        var (_, body) = await ScrapeAsync(reader, Page().Html, save: false);

        Assert.Equal(["extraction_metadata", "page_metadata", "profiles", "saved_contacts", "saved_contacts_metadata", "saved_companies",
            "saved_companies_metadata", "save_summary"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["search_context", "pagination", "user_info", "application_info"], body.GetProperty("page_metadata").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["name", "title", "company", "location", "profile_url", "image_url", "connection_degree", "about", "time_in_role",
            "time_in_company", "lead_id", "lead_urn", "search_type", "search_id", "company_id", "company_url", "is_premium_member",
            "is_reachable", "last_active", "is_viewed", "mutual_connections_count", "mutual_connections", "is_recently_hired",
            "recently_hired_company_logo", "recent_posts_count", "shared_groups_details", "shared_groups", "data_quality_score",
            "missing_fields"], body.GetProperty("profiles")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("2.0", body.GetProperty("extraction_metadata").GetProperty("version").GetString());
        Assert.Equal("api_request", body.GetProperty("extraction_metadata").GetProperty("source_file").GetString());
    }

    [Fact]
    public async Task A_reader_may_scrape_but_not_save()
    {
        using var reader = stack.Reader();
        var (html, run) = Page();

        using var response = await reader.PostAsJsonAsync(Route, new { html, save = true }, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, Api.ErrorHandling.ProblemTypes.Forbidden);
        Assert.Contains("writer or admin", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await stack.ScalarAsync($"SELECT count(*) FROM contacts_metadata WHERE linkedin_url LIKE '%{run}%'", Ct));
    }

    [Fact]
    public async Task An_admin_may_save()
    {
        using var admin = Tokens.Authorize(stack.CreateClient(), "admin-user", "admin");

        var (status, body) = await ScrapeAsync(admin, Page().Html, save: true);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, Count(body, "contacts_created"));
    }

    [Fact]
    public async Task An_existing_company_with_the_page_company_url_is_updated_and_keeps_its_uuid()
    {
        using var writer = stack.Writer();
        var (html, run) = Page();
        var existing = await CreateCompanyAsync(writer, $$$"""{"name":"Renamed Since{{{run}}}","employees_count":250,"technologies":["go"],"metadata":{"linkedin_url":"{{{CompanyUrl(run)}}}"}}""");

        var (_, body) = await ScrapeAsync(writer, html, save: true);

        Assert.Equal((0, 1), (Count(body, "companies_created"), Count(body, "companies_updated")));
        var company = Assert.Single(body.GetProperty("saved_companies").EnumerateArray());
        Assert.Equal(existing, company.GetProperty("uuid").GetString());
        Assert.Equal($"Northwind Analytics{run}", company.GetProperty("name").GetString()); // the page's name wins
        Assert.Equal(250, company.GetProperty("employees_count").GetInt64()); // what the page does not show is kept
        Assert.Contains("go", company.GetProperty("technologies").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("python", company.GetProperty("technologies").EnumerateArray().Select(t => t.GetString()));
        Assert.All(body.GetProperty("saved_contacts").EnumerateArray().Take(2), c => Assert.Equal(existing, c.GetProperty("company_id").GetString()));
    }

    [Fact]
    public async Task An_existing_company_with_the_same_name_in_another_case_is_matched_when_it_is_the_only_one()
    {
        using var writer = stack.Writer();
        var (html, run) = Page();
        var existing = await CreateCompanyAsync(writer, $$"""{"name":"NORTHWIND ANALYTICS{{run.ToUpperInvariant()}}"}""");

        var (_, body) = await ScrapeAsync(writer, html, save: true);

        Assert.Equal((0, 1), (Count(body, "companies_created"), Count(body, "companies_updated")));
        Assert.Equal(existing, Assert.Single(body.GetProperty("saved_companies").EnumerateArray()).GetProperty("uuid").GetString());
    }

    [Fact]
    public async Task Two_companies_with_the_name_are_no_match_and_the_page_company_gets_its_own_uuid()
    {
        using var writer = stack.Writer();
        var (html, run) = Page();
        await CreateCompanyAsync(writer, $$"""{"name":"Northwind Analytics{{run}}"}""");
        await CreateCompanyAsync(writer, $$"""{"name":"northwind analytics{{run}}"}""");

        var (_, body) = await ScrapeAsync(writer, html, save: true);

        Assert.Equal(1, Count(body, "companies_created"));
        Assert.Equal(UuidV5.Text(UuidV5.UrlNamespace, $"Northwind Analytics{run}" + CompanyUrl(run)),
            Assert.Single(body.GetProperty("saved_companies").EnumerateArray()).GetProperty("uuid").GetString());
    }

    [Fact]
    public async Task A_saved_lead_merges_into_an_existing_contact_keeping_what_the_page_does_not_show()
    {
        using var writer = stack.Writer();
        var (html, run) = Page();
        var uuid = UuidV5.Text(UuidV5.UrlNamespace, LeadUrl(run, 1));
        using (var created = await writer.PostAsync("/api/v3/contacts/", WriteHost.Body(
            $$$"""{"uuid":"{{{uuid}}}","first_name":"Augusta","email":"ada{{{run}}}@example.com","title":"Analyst","metadata":{"home_phone":"+33 1 23 45 67 89"}}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var (_, body) = await ScrapeAsync(writer, html, save: true);

        Assert.Equal((2, 1), (Count(body, "contacts_created"), Count(body, "contacts_updated")));
        var ada = body.GetProperty("saved_contacts")[0];
        Assert.Equal(("Ada", "Director of Engineering", $"ada{run}@example.com"),
            (ada.GetProperty("first_name").GetString(), ada.GetProperty("title").GetString(), ada.GetProperty("email").GetString()));
        Assert.Equal("+33 1 23 45 67 89", body.GetProperty("saved_contacts_metadata")[0].GetProperty("home_phone").GetString());
        Assert.Equal(2, await stack.ScalarAsync($"SELECT version FROM contacts WHERE uuid = '{uuid}'", Ct));
    }

    [Fact]
    public async Task A_page_without_leads_is_a_200_with_no_profiles()
    {
        using var writer = stack.Writer();

        var (status, body) = await ScrapeAsync(writer, Load("no-results.html"), save: true);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("profiles").GetArrayLength());
        Assert.Equal(0, body.GetProperty("saved_contacts").GetArrayLength());
        Assert.Equal("""{"current_page":1,"total_pages":1,"results_per_page":0}""", body.GetProperty("page_metadata").GetProperty("pagination").GetRawText());
        Assert.Equal(0, Count(body, "total_profiles"));
    }

    [Fact]
    public async Task A_page_larger_than_the_api_wide_body_limit_is_accepted_up_to_the_route_limit()
    {
        using var reader = stack.Reader();
        // Real pages carry megabytes of scripts and styles around the leads.
        var padding = "<script>" + new string('s', 2 * 1024 * 1024) + "</script>";
        var html = Page().Html.Replace("</body>", padding + "</body>", StringComparison.Ordinal);

        var (status, body) = await ScrapeAsync(reader, html, save: false);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, body.GetProperty("profiles").GetArrayLength());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "missing html", """{"save":false}""" },
        { "empty html", """{"html":"","save":false}""" },
        { "whitespace html", """{"html":"   \n\t  ","save":false}""" },
        { "null html", """{"html":null}""" },
        { "html not a string", """{"html":12345}""" },
        { "garbage html", """{"html":"this is not a page"}""" },
        { "json as html", """{"html":"{\"leads\":[]}"}""" },
        { "control characters", """{"html":"<div>\u0000\u0001</div>"}""" },
        { "lone surrogate", """{"html":"<div>\ud800</div>"}""" },
        { "too deep", "{\"html\":\"" + string.Concat(Enumerable.Repeat("<div>", 1000)) + "\"}" },
        { "too many leads", "{\"html\":\"" + string.Concat(Enumerable.Repeat("<div data-x-search-result='LEAD'></div>", SalesNavigatorLimits.MaxProfiles + 1)) + "\"}" },
        { "html longer than the limit", "{\"html\":\"<p>" + new string('x', SalesNavigatorLimits.MaxHtmlChars) + "</p>\"}" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Html_that_is_missing_empty_garbage_or_over_a_limit_is_a_400_naming_html(string id, string json)
    {
        using var writer = stack.Writer();

        using var response = await writer.PostAsync(Route, WriteHost.Body(json), Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").EnumerateObject().Any(e => e.Name.Contains("html", StringComparison.Ordinal)), $"{id}: {problem}");
    }

    [Theory]
    [InlineData("""{"html":"<p>x</p>","extra":1}""")]
    [InlineData("""{"html":"<p>x</p>","save":"yes"}""")]
    [InlineData("""["<p>x</p>"]""")]
    [InlineData("")]
    public async Task A_body_that_is_not_the_request_object_is_a_400(string json)
    {
        using var writer = stack.Writer();

        using var response = await writer.PostAsync(Route, WriteHost.Body(json), Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.GetProperty("errors").EnumerateObject());
    }

    [Fact]
    public async Task A_body_over_the_route_limit_is_a_413_that_states_it()
    {
        using var writer = stack.Writer();
        var limit = RequestLimits.Default.MaxLargeBodyBytes;
        var json = "{\"html\":\"" + new string('x', (int)limit) + "\"}";

        using var response = await writer.PostAsync(Route, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains($"{limit} bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("Limits:MaxLargeBodyBytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_the_route_is_a_401()
    {
        using var anonymous = stack.CreateClient();

        using var response = await anonymous.PostAsJsonAsync(Route, new { html = "<p>x</p>" }, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    private static async Task<string> CreateCompanyAsync(HttpClient writer, string json)
    {
        using var created = await writer.PostAsync("/api/v3/companies/", WriteHost.Body(json), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("uuid").GetString()!;
    }
}
