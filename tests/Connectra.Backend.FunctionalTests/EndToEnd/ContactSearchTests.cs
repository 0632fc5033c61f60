using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connectra.Client.Records;

namespace Connectra.Backend.FunctionalTests.EndToEnd;

/// <summary>Contact search and count through the backend and the emulator: filters really filter.</summary>
public sealed class ContactSearchTests(EmulatorApiFactory stack) : EndToEndTestBase(stack)
{
    [Fact]
    public async Task First_name_eq_john_returns_only_johns_and_the_count_equals_the_rows_paged()
    {
        using var client = Client();
        var body = Paging.Filter("first_name", "eq", "John", limit: 7);

        var rows = await Paging.WalkAsync(client, "/api/v3/contacts/query", body, Ct);
        var count = await (await client.PostAsJsonAsync("/api/v3/contacts/count", body, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var expected = DataSet.Contacts.Where(c => c.FirstName == "John").Select(c => c.Uuid!).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Paging.Uuids(rows));
        Assert.All(rows, r => Assert.Equal("John", r.GetProperty("first_name").GetString()));
        Assert.Equal(expected.Count, count.GetProperty("count").GetInt64());
    }

    public static TheoryData<string, string, string, string> CatalogueFilters => new()
    {
        // field, operator, JSON value, what the data set says should match
        { "first_name", "contains", "\"ada\"", "first_name:ada" },
        { "last_name", "eq", "\"Hopper\"", "last_name:hopper" },
        { "title", "contains", "\"engineer\"", "title-word:engineer" },
        { "title", "eq", "\"software engineer\"", "title-phrase:software engineer" },
        { "mobile_phone", "eq", $"\"{DataSet.Contacts[42].MobilePhone}\"", $"mobile_phone:{DataSet.Contacts[42].MobilePhone}" },
        { "departments", "eq", "\"product\"", "departments:product" },
        { "email_status", "in", "[\"verified\",\"invalid\"]", "email_status:verified|invalid" },
        { "city", "eq", "\"paris\"", "city:paris" },
        { "seniority", "ne", "\"director\"", "seniority!:director" },
        { "state", "eq", "\"tx\"", "state:tx" },
        { "linkedin_url", "eq", $"\"{DataSet.Contacts[20].LinkedinUrl}\"", $"linkedin_url:{DataSet.Contacts[20].LinkedinUrl}" },
        { "country", "nin", "[\"usa\",\"france\"]", "country!:usa|france" },
        { "email", "eq", $"\"{DataSet.Contacts[4].Email}\"", $"email:{DataSet.Contacts[4].Email}" },
        { "employees_count", "gte", "500", "company_employees:500" },
        { "industries", "in", "[\"healthcare\",\"retail\"]", "company_industries:healthcare|retail" },
        { "company_name", "contains", "\"industries\"", "company_name-word:industries" },
    };

    [Theory]
    [MemberData(nameof(CatalogueFilters))]
    public async Task Every_filter_field_filters(string field, string op, string value, string expectation)
    {
        using var client = Client();
        var body = Paging.Filter(field, op, JsonNode.Parse(value));
        var expected = DataSet.Contacts.Where(Predicate(expectation)).Select(c => c.Uuid!).ToList();

        await Paging.AssertFiltersExactlyAsync(client, "contacts", body, expected, DataSet.Contacts.Count, Ct);
    }

    [Fact]
    public async Task Nested_groups_combine_and_with_or_on_one_field()
    {
        using var client = Client();
        var body = JsonNode.Parse("""
            {"filters":{"and":[{"field":"country","operator":"eq","value":"usa"},
                               {"or":[{"field":"title","operator":"contains","value":"sales"},{"field":"title","operator":"contains","value":"marketing"}]}]},
             "limit":50}
            """)!.AsObject();

        var rows = await Paging.WalkAsync(client, "/api/v3/contacts/query", body, Ct);

        var expected = DataSet.Contacts
            .Where(c => c.Country == "usa" && DataSet.Words(c.Title).Intersect(["sales", "marketing"]).Any())
            .Select(c => c.Uuid!).Order(StringComparer.Ordinal);
        Assert.Equal(expected, Paging.Uuids(rows));
    }

    [Fact]
    public async Task Cursor_paging_walks_past_the_1000_row_window_visiting_every_contact_once()
    {
        using var client = Client();

        var rows = await Paging.WalkAsync(client, "/api/v3/contacts/query", new JsonObject { ["limit"] = 100, ["sort_by"] = "-email" }, Ct);

        Assert.Equal(DataSet.Contacts.Count, rows.Count);
        Assert.Equal(DataSet.Contacts.Count, Paging.Uuids(rows).Distinct().Count());
        var emails = rows.Select(r => r.GetProperty("email").GetString()!).ToList();
        Assert.Equal(emails.OrderDescending(StringComparer.Ordinal), emails);
    }

    [Fact]
    public async Task Offset_paging_with_an_unaligned_offset_visits_every_row_once()
    {
        using var client = Client();
        var filter = Paging.Filter("country", "eq", "usa");
        var expected = DataSet.Contacts.Where(c => c.Country == "usa").Select(c => c.Uuid!).Order(StringComparer.Ordinal).ToList();
        var seen = new List<string>();

        for (var offset = 3; offset < expected.Count; offset += 13)
        {
            var body = (JsonObject)filter.DeepClone();
            body["limit"] = 13;
            body["offset"] = offset;
            var page = await (await client.PostAsJsonAsync("/api/v3/contacts/query", body, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            seen.AddRange(Paging.Uuids(page.GetProperty("results").EnumerateArray()));
        }

        Assert.True(expected.Count is > 13 and < 1000);
        Assert.Equal(expected.Skip(3), seen);
    }

    [Fact]
    public async Task Previous_returns_the_page_before()
    {
        using var client = Client();
        var first = await (await client.PostAsJsonAsync("/api/v3/contacts/query", new { limit = 30 }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var second = await (await client.PostAsJsonAsync("/api/v3/contacts/query", new { limit = 30, cursor = first.GetProperty("next").GetString() }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var back = await (await client.PostAsJsonAsync("/api/v3/contacts/query", new { limit = 30, cursor = second.GetProperty("previous").GetString() }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(Paging.Uuids(first.GetProperty("results").EnumerateArray()), Paging.Uuids(back.GetProperty("results").EnumerateArray()));
    }

    [Fact]
    public async Task Selected_columns_fill_only_those_fields_and_populate_fills_the_company_columns_asked_for()
    {
        using var client = Client();
        var body = new { select_columns = new[] { "first_name", "email" }, company_config = new { populate = true, select_columns = new[] { "name" } }, limit = 5 };

        var page = await (await client.PostAsJsonAsync("/api/v3/contacts/query", body, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        foreach (var item in page.GetProperty("results").EnumerateArray())
        {
            var source = DataSet.Contacts.Single(c => c.Uuid == item.GetProperty("uuid").GetString());
            Assert.Equal(source.FirstName, item.GetProperty("first_name").GetString());
            Assert.Equal(source.Email, item.GetProperty("email").GetString());
            Assert.Equal(JsonValueKind.Null, item.GetProperty("title").ValueKind);
            Assert.Equal(DataSet.Companies.Single(c => c.Uuid == source.CompanyId).Name, item.GetProperty("company").GetString());
            Assert.Equal(JsonValueKind.Null, item.GetProperty("employees").ValueKind);
        }
    }

    [Fact]
    public async Task Detail_returns_the_contact_with_its_company_and_404_for_an_unknown_uuid()
    {
        using var client = Client();
        var source = DataSet.Contacts[42];
        var company = DataSet.Companies.Single(c => c.Uuid == source.CompanyId);

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v3/contacts/{source.Uuid}/", Ct);
        using var missing = await client.GetAsync("/api/v3/contacts/a0ffffff-0000-4000-8000-000000ffffff/", Ct);

        Assert.Equal(source.Title, detail.GetProperty("title").GetString());
        Assert.Equal(company.Name, detail.GetProperty("company").GetString());
        Assert.Equal(company.EmployeesCount, detail.GetProperty("employees").GetInt64());
        Assert.Equal(company.Uuid, detail.GetProperty("company_detail").GetProperty("uuid").GetString());
        Assert.Equal(source.LinkedinUrl, detail.GetProperty("metadata").GetProperty("linkedin_url").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task LinkedIn_urls_find_exactly_their_contacts()
    {
        using var client = Client();
        var wanted = DataSet.Contacts.Where((_, i) => i % 97 == 0).ToList();

        var body = await (await client.PostAsJsonAsync("/api/v3/contacts/linkedin/search",
            new { urls = wanted.Select(c => c.LinkedinUrl).Append("https://linkedin.com/in/nobody") }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(wanted.Select(c => c.Uuid), body.GetProperty("contact_ids").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task The_filter_catalogue_and_stored_values_come_from_connectra()
    {
        using var client = Client();

        var catalogue = await client.GetFromJsonAsync<JsonElement>("/api/v3/contacts/filters", Ct);
        var values = await (await client.PostAsJsonAsync("/api/v3/contacts/filters/data", new { filter_key = "departments", limit = 100 }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(12, catalogue.GetProperty("data").GetArrayLength());
        Assert.Equal(
            DataSet.Departments.SelectMany(d => d).Distinct().Order(StringComparer.Ordinal),
            values.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("value").GetString()!).Order(StringComparer.Ordinal));
    }

    private static Func<ConnectraContact, bool> Predicate(string expectation)
    {
        var (key, value) = (expectation[..expectation.IndexOf(':', StringComparison.Ordinal)], expectation[(expectation.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        var any = value.Split('|');
        ConnectraCompany CompanyOf(ConnectraContact c) => DataSet.Companies.Single(co => co.Uuid == c.CompanyId);
        return key switch
        {
            "first_name" => c => DataSet.Words(c.FirstName).Contains(value),
            "last_name" => c => DataSet.Words(c.LastName).Contains(value),
            "title-word" => c => DataSet.Words(c.Title).Contains(value),
            "title-phrase" => c => string.Join(' ', DataSet.Words(c.Title)).Contains(value, StringComparison.Ordinal),
            "mobile_phone" => c => c.MobilePhone == value,
            "departments" => c => c.Departments!.Contains(value),
            "email_status" => c => any.Contains(c.EmailStatus),
            "city" => c => c.City == value,
            "seniority!" => c => c.Seniority != value,
            "state" => c => c.State == value,
            "linkedin_url" => c => c.LinkedinUrl == value,
            "country!" => c => !any.Contains(c.Country),
            "email" => c => c.Email == value,
            "company_employees" => c => CompanyOf(c).EmployeesCount >= long.Parse(value, System.Globalization.CultureInfo.InvariantCulture),
            "company_industries" => c => CompanyOf(c).Industries!.Intersect(any).Any(),
            "company_name-word" => c => DataSet.Words(CompanyOf(c).Name).Contains(value),
            _ => throw new ArgumentOutOfRangeException(nameof(expectation), expectation, null),
        };
    }
}
