using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connectra.Client.Records;

namespace Connectra.Backend.FunctionalTests.EndToEnd;

/// <summary>Companies, the contacts of one company, and the LinkedIn search, end to end.</summary>
public sealed class CompanyTests(EmulatorApiFactory stack) : EndToEndTestBase(stack)
{
    public static TheoryData<string, string, string, string> CatalogueFilters => new()
    {
        { "name", "eq", "\"Acme Software\"", "name-phrase:acme software" },
        { "address", "contains", "\"harbour\"", "address-word:harbour" },
        { "website", "contains", "\"dynamic\"", "website-fragment:dynamic" },
        { "normalized_domain", "contains", "\"industries\"", "domain-fragment:industries" },
        { "industries", "eq", "\"saas\"", "industries:saas" },
        { "keywords", "in", "[\"consumer\",\"sustainable\"]", "keywords:consumer|sustainable" },
        { "technologies", "nin", "[\"aws\"]", "technologies!:aws" },
        { "state", "eq", "\"on\"", "state:on" },
        { "city", "in", "[\"berlin\",\"austin\"]", "city:berlin|austin" },
        { "linkedin_url", "eq", "\"https://linkedin.com/company/hooli\"", "linkedin_url:https://linkedin.com/company/hooli" },
        { "country", "ne", "\"usa\"", "country!:usa" },
        { "employees_count", "lt", "200", "employees<:200" },
        { "annual_revenue", "gte", "20000000", "revenue>=:20000000" },
        { "total_funding", "gt", "0", "funding>:0" },
    };

    [Theory]
    [MemberData(nameof(CatalogueFilters))]
    public async Task Every_company_filter_field_filters(string field, string op, string value, string expectation)
    {
        using var client = Client();
        var body = Paging.Filter(field, op, JsonNode.Parse(value), limit: 7);
        var expected = DataSet.Companies.Where(Predicate(expectation)).Select(c => c.Uuid!).ToList();

        await Paging.AssertFiltersExactlyAsync(client, "companies", body, expected, DataSet.Companies.Count, Ct);
    }

    [Fact]
    public async Task A_company_is_served_by_uuid_with_its_timestamps()
    {
        using var client = Client();
        var source = DataSet.Companies[9];

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v3/companies/{source.Uuid}/", Ct);

        Assert.Equal(source.Name, detail.GetProperty("name").GetString());
        Assert.Equal(string.Join(", ", source.Industries!), detail.GetProperty("industry").GetString());
        Assert.Equal(source.Keywords, detail.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
        Assert.NotEqual(JsonValueKind.Null, detail.GetProperty("created_at").ValueKind);
    }

    [Fact]
    public async Task Company_contacts_are_exactly_that_companys_contacts_and_count_agrees()
    {
        using var client = Client();
        var company = DataSet.Companies[3];
        var expected = DataSet.Contacts.Where(c => c.CompanyId == company.Uuid).Select(c => c.Uuid!).Order(StringComparer.Ordinal).ToList();

        var rows = await Paging.WalkGetAsync(client, $"/api/v3/companies/company/{company.Uuid}/contacts/?limit=9", Ct);
        var count = await client.GetFromJsonAsync<JsonElement>($"/api/v3/companies/company/{company.Uuid}/contacts/count/", Ct);

        Assert.True(expected.Count > 9);
        Assert.Equal(expected, Paging.Uuids(rows));
        Assert.Equal(expected.Count, count.GetProperty("count").GetInt64());
        Assert.All(rows, r => Assert.Equal(company.Name, r.GetProperty("company").GetString()));
    }

    [Fact]
    public async Task Company_contacts_filters_apply_inside_the_company()
    {
        using var client = Client();
        var company = DataSet.Companies[5];

        var rows = await Paging.WalkGetAsync(client, $"/api/v3/companies/company/{company.Uuid}/contacts/?title=engineer&exclude_seniorities=vp", Ct);

        var expected = DataSet.Contacts
            .Where(c => c.CompanyId == company.Uuid && DataSet.Words(c.Title).Contains("engineer") && c.Seniority != "vp")
            .Select(c => c.Uuid!).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Paging.Uuids(rows));
    }

    [Fact]
    public async Task Company_contact_filter_values_are_the_companys_own()
    {
        using var client = Client();
        var company = DataSet.Companies[8];

        var values = await (await client.PostAsJsonAsync($"/api/v3/companies/company/{company.Uuid}/contacts/filters/data",
            new { filter_key = "title", limit = 100 }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var expected = DataSet.Contacts.Where(c => c.CompanyId == company.Uuid).Select(c => c.Title!).Distinct().Order(StringComparer.OrdinalIgnoreCase);
        Assert.Equal(expected, values.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("value").GetString()));
    }

    [Fact]
    public async Task An_unknown_company_is_404_on_every_scoped_route()
    {
        using var client = Client();
        const string unknown = "c0ffffff-0000-4000-8000-000000ffffff";

        using var list = await client.GetAsync($"/api/v3/companies/company/{unknown}/contacts/", Ct);
        using var count = await client.GetAsync($"/api/v3/companies/company/{unknown}/contacts/count/", Ct);
        using var filters = await client.GetAsync($"/api/v3/companies/company/{unknown}/contacts/filters", Ct);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { list.StatusCode, count.StatusCode, filters.StatusCode });
    }

    [Fact]
    public async Task LinkedIn_search_finds_the_company_with_its_contacts_and_the_person_with_their_company()
    {
        using var client = Client();
        var company = DataSet.Companies[7];
        var person = DataSet.Contacts[100];

        var byCompany = await (await client.PostAsJsonAsync("/api/v3/linkedin/", new { url = company.LinkedinUrl }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var byPerson = await (await client.PostAsJsonAsync("/api/v3/linkedin/", new { url = person.LinkedinUrl }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var entry = Assert.Single(byCompany.GetProperty("companies").EnumerateArray().ToList());
        Assert.Equal(company.Uuid, entry.GetProperty("company").GetProperty("uuid").GetString());
        Assert.Equal(
            DataSet.Contacts.Where(c => c.CompanyId == company.Uuid).Select(c => c.Uuid).Order(StringComparer.Ordinal).Take(100),
            entry.GetProperty("contacts").EnumerateArray().Select(c => c.GetProperty("uuid").GetString()));
        Assert.Equal(0, byCompany.GetProperty("total_contacts").GetInt32());
        var contact = Assert.Single(byPerson.GetProperty("contacts").EnumerateArray().ToList());
        Assert.Equal(person.Uuid, contact.GetProperty("contact").GetProperty("uuid").GetString());
        Assert.Equal(person.CompanyId, contact.GetProperty("company").GetProperty("uuid").GetString());
    }

    private static Func<ConnectraCompany, bool> Predicate(string expectation)
    {
        var colon = expectation.IndexOf(':', StringComparison.Ordinal);
        var (key, value) = (expectation[..colon], expectation[(colon + 1)..]);
        var any = value.Split('|');
        long Number() => long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        return key switch
        {
            "name-phrase" => c => string.Join(' ', DataSet.Words(c.Name)).Contains(value, StringComparison.Ordinal),
            "address-word" => c => DataSet.Words(c.Address).Contains(value),
            // Connectra's substring search: the word shares a 5-character fragment with the value.
            "website-fragment" => c => SharesFragment(c.Website!, value),
            "domain-fragment" => c => SharesFragment(c.NormalizedDomain!, value),
            "industries" => c => c.Industries!.Contains(value),
            "keywords" => c => c.Keywords!.Intersect(any).Any(),
            "technologies!" => c => !c.Technologies!.Intersect(any).Any(),
            "state" => c => c.State == value,
            "city" => c => any.Contains(c.City),
            "linkedin_url" => c => c.LinkedinUrl == value,
            "country!" => c => c.Country != value,
            "employees<" => c => c.EmployeesCount < Number(),
            "revenue>=" => c => c.AnnualRevenue >= Number(),
            "funding>" => c => c.TotalFunding > Number(),
            _ => throw new ArgumentOutOfRangeException(nameof(expectation), expectation, null),
        };
    }

    private static bool SharesFragment(string text, string value) =>
        Enumerable.Range(0, value.Length - 4).Any(i => text.Contains(value.Substring(i, 5), StringComparison.OrdinalIgnoreCase));
}
