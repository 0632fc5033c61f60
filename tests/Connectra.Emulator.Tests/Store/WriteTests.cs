using System.Text.Json;
using Connectra.Client.Records;

namespace Connectra.Emulator.Tests.Store;

/// <summary>Writes (docs/connectra.md#writes) and the filter routes (docs/connectra.md#filters-and-filter-values), read back through the search API.</summary>
/// <remarks>The tests share one emulator, emptied before each.</remarks>
public sealed class WriteTests(SharedEmulator emulator) : IClassFixture<SharedEmulator>, IAsyncLifetime
{
    private EmulatorHost Host => emulator.Host;

    public async ValueTask InitializeAsync() => await emulator.ResetAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_batch_upsert_is_searchable_when_it_returns_and_overwrites_fully()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await Host.PostJsonAsync("/contacts/batch-upsert",
            """[{"uuid":"c-1","first_name":"Ada","title":"Chief Engineer","email":"ada@x.io","departments":["Engineering"]}]""", ct);
        Assert.Equal(200, first.Status);
        Assert.Equal("""{"success":true}""", first.Body.GetRawText());

        Assert.Equal(["c-1"], await Host.UuidsAsync("/contacts/",
            """{"where":{"text_matches":{"must":[{"text_value":"chief","filter_key":"title","search_type":"shuffle"}]}}}""", ct));

        await Host.PostJsonAsync("/contacts/batch-upsert", """[{"uuid":"c-1","first_name":"Ada"}]""", ct);
        var (_, body) = await Host.PostJsonAsync("/contacts/", """{"where":{"keyword_match":{"must":{"uuid":"c-1"}}}}""", ct);
        var item = body.GetProperty("data")[0];

        Assert.False(item.TryGetProperty("email", out _), "a full overwrite blanks fields the new row lacks");
        Assert.Empty(await Host.UuidsAsync("/contacts/",
            """{"where":{"text_matches":{"must":[{"text_value":"chief","filter_key":"title","search_type":"shuffle"}]}}}""", ct));
        Assert.Equal("Ada", item.GetProperty("first_name").GetString());
    }

    [Fact]
    public async Task Contacts_copy_their_company_at_upsert_time_only()
    {
        var ct = TestContext.Current.CancellationToken;
        const string Company = "0d3c2b1a-0000-4000-8000-000000000001";
        await Host.PostJsonAsync("/companies/batch-upsert", $$"""[{"uuid":"{{Company}}","name":"Initech","employees_count":50}]""", ct);
        await Host.PostJsonAsync("/contacts/batch-upsert", $$"""[{"uuid":"p-1","company_id":"{{Company}}"}]""", ct);
        await Host.PostJsonAsync("/companies/batch-upsert", $$"""[{"uuid":"{{Company}}","name":"Initrode","employees_count":5000}]""", ct);

        const string ByName = """{"where":{"text_matches":{"must":[{"text_value":"initech","filter_key":"company_name","search_type":"exact"}]}}}""";
        Assert.Equal(["p-1"], await Host.UuidsAsync("/contacts/", ByName, ct));
        Assert.Equal(["p-1"], await Host.UuidsAsync("/contacts/",
            """{"where":{"range_query":{"must":{"company_employees_count":{"lte":50}}}}}""", ct));

        // Upserting the contact again takes the company as it is now.
        await Host.PostJsonAsync("/contacts/batch-upsert", $$"""[{"uuid":"p-1","company_id":"{{Company}}"}]""", ct);
        Assert.Empty(await Host.UuidsAsync("/contacts/", ByName, ct));
    }

    [Fact]
    public async Task Batches_over_100_rows_are_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var rows = "[" + string.Join(",", Enumerable.Range(0, 101).Select(i => $$"""{"uuid":"u{{i}}"}""")) + "]";

        var contacts = await Host.PostJsonAsync("/contacts/batch-upsert", rows, ct);
        var companies = await Host.PostJsonAsync("/companies/batch-upsert", rows, ct);

        Assert.Equal(400, contacts.Status);
        Assert.StartsWith("ERR_PAGE_SIZE_EXCEEDED", contacts.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, companies.Status);
    }

    [Fact]
    public async Task A_batch_postgres_refuses_still_answers_success_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (status, _) = await Host.PostJsonAsync("/contacts/batch-upsert", """[{"uuid":"dup"},{"uuid":"dup"}]""", ct);

        Assert.Equal(200, status);
        Assert.Empty(await Host.UuidsAsync("/contacts/", """{"where":{"keyword_match":{"must":{"uuid":"dup"}}}}""", ct));
    }

    [Fact]
    public async Task Entity_bodies_bind_like_go()
    {
        var ct = TestContext.Current.CancellationToken;
        var wrongType = await Host.PostJsonAsync("/contacts/batch-upsert", """[{"uuid":"x","departments":"engineering"}]""", ct);
        var notArray = await Host.PostJsonAsync("/companies/batch-upsert", """{"uuid":"x"}""", ct);

        Assert.Equal(400, wrongType.Status);
        Assert.Equal("json: cannot unmarshal string into Go struct field Contact.departments of type []string",
            wrongType.Body.GetProperty("error").GetString());
        Assert.Equal(400, notArray.Status);
        Assert.Equal("json: cannot unmarshal object into Go value of type []models.Company", notArray.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Row_upsert_cleans_converts_and_derives_uuids_as_the_spec_vectors_say()
    {
        var ct = TestContext.Current.CancellationToken;
        var (status, body) = await Host.PostJsonAsync("/common/batch-upsert", """
            {"data":[{"first_name":"Jane","last_name":"Doe","email":"Jane.Doe@Acme.com","person_linkedin_url":"https://linkedin.com/in/janedoe",
                      "title":"VP Engineering","departments":"Engineering, Management","seniority":"VP","company":"Acme Software",
                      "company_linkedin_url":"https://linkedin.com/company/acme","employees":"120","industry":"Software, SaaS",
                      "annual_revenue":"$5,000,000","company_country":"United States","mobile_phone":" +1 (415) 555-0100 "}]}
            """, ct);

        Assert.Equal(200, status);
        Assert.Equal("Batch upsert successful", body.GetProperty("message").GetString());
        var (_, contacts) = await Host.PostJsonAsync("/contacts/", """
            {"where":{"keyword_match":{"must":{"uuid":"b2a21596-7dd2-5fe5-93b4-829f1155d333"}}},"company_config":{"populate":true}}
            """, ct);
        var contact = contacts.GetProperty("data")[0];
        Assert.Equal("jane", contact.GetProperty("first_name").GetString());
        Assert.Equal("jane.doe@acme.com", contact.GetProperty("email").GetString());
        Assert.Equal("VP Engineering", contact.GetProperty("title").GetString());
        Assert.Equal("vp", contact.GetProperty("seniority").GetString());
        Assert.Equal("+14155550100", contact.GetProperty("mobile_phone").GetString());
        Assert.Equal(["engineering", "management"], contact.GetProperty("departments").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("ef20a8cd-59f0-5ac5-b084-cf739f4bfccb", contact.GetProperty("company_id").GetString());
        var company = contact.GetProperty("company");
        Assert.Equal("Acme Software", company.GetProperty("name").GetString());
        Assert.Equal(120, company.GetProperty("employees_count").GetInt64());
        Assert.Equal(5_000_000, company.GetProperty("annual_revenue").GetInt64());
        Assert.Equal("united states", company.GetProperty("country").GetString());
        Assert.Equal("acme.com", company.GetProperty("normalized_domain").GetString());
        Assert.Equal(["software", "saas"], company.GetProperty("industries").EnumerateArray().Select(e => e.GetString()));

        var values = await Host.PostJsonAsync("/common/contact/filters/data", """{"filter_key":"departments","search_text":"engin"}""", ct);
        Assert.Equal("""{"data":[{"value":"engineering","display_value":"engineering"}],"success":true}""", values.Body.GetRawText());
    }

    [Fact]
    public async Task Row_upsert_validates_its_payload()
    {
        var ct = TestContext.Current.CancellationToken;
        var missing = await Host.PostJsonAsync("/common/batch-upsert", "{}", ct);
        var empty = await Host.PostJsonAsync("/common/batch-upsert", """{"data":[]}""", ct);
        var tooMany = await Host.PostJsonAsync("/common/batch-upsert",
            """{"data":[""" + string.Join(",", Enumerable.Repeat("""{"first_name":"a"}""", 101)) + "]}", ct);
        var notString = await Host.PostJsonAsync("/common/batch-upsert", """{"data":[{"employees":120}]}""", ct);

        Assert.Equal(400, missing.Status);
        Assert.Contains("'required' tag", missing.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("ERR_EMPTY_PAYLOAD", empty.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("ERR_BATCH_TOO_LARGE", tooMany.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, notString.Status);
    }

    [Fact]
    public async Task Filters_list_the_deployed_catalogue_per_service()
    {
        var ct = TestContext.Current.CancellationToken;
        var contact = await Host.Client.GetStringAsync("/common/contact/filters", ct);
        var company = JsonDocument.Parse(await Host.Client.GetStringAsync("/common/company/filters", ct)).RootElement;
        var plural = await Host.Client.GetAsync("/common/contacts/filters", ct);

        Assert.Equal(12, JsonDocument.Parse(contact).RootElement.GetProperty("data").GetArrayLength());
        var industries = company.GetProperty("data").EnumerateArray().Single(f => f.GetProperty("key").GetString() == "industries");
        Assert.Equal("""{"id":30,"key":"industries","service":"company","filter_type":"keyword_match","display_name":"Industries","direct_derived":false,"active":true,"deleted_at":null}""",
            industries.GetRawText());
        Assert.Equal(500, (int)plural.StatusCode);
        Assert.Contains("ERR_UNSUPPORTED_SERVICE", await plural.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Direct_derived_values_come_straight_from_the_table_with_duplicates()
    {
        var ct = TestContext.Current.CancellationToken;
        await Host.Server.UpsertContactsAsync(
            [new ConnectraContact { Uuid = "a", MobilePhone = "+1555" }, new ConnectraContact { Uuid = "b", MobilePhone = "+1555" }, new ConnectraContact { Uuid = "c" }], ct);

        var (_, all) = await Host.PostJsonAsync("/common/contact/filters/data", """{"filter_key":"mobile_phone","page":1,"limit":10}""", ct);
        var unknown = await Host.PostJsonAsync("/common/contact/filters/data", """{"filter_key":"nickname"}""", ct);
        var tooMany = await Host.PostJsonAsync("/common/contact/filters/data", """{"filter_key":"mobile_phone","limit":101}""", ct);

        Assert.Equal(["+1555", "+1555"], all.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("value").GetString()));
        Assert.Equal(500, unknown.Status);
        Assert.Equal("sql: no rows in result set", unknown.Body.GetProperty("error").GetString());
        Assert.Equal(400, tooMany.Status);
    }

    [Fact]
    public async Task Stored_values_page_and_search_with_unescaped_wildcards()
    {
        var ct = TestContext.Current.CancellationToken;
        await Host.Server.UpsertContactsAsync(
            new[] { "vp", "director", "senior", "manager" }.Select((s, i) => new ConnectraContact { Uuid = $"s{i}", Seniority = s }).ToList(), ct);

        var (_, page2) = await Host.PostJsonAsync("/common/contact/filters/data", """{"filter_key":"seniority","page":2,"limit":3}""", ct);
        var (_, wildcard) = await Host.PostJsonAsync("/common/contact/filters/data", """{"filter_key":"seniority","search_text":"_r"}""", ct);

        Assert.Equal(1, page2.GetProperty("data").GetArrayLength());
        Assert.Equal(["director", "manager", "senior"], wildcard.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("value").GetString()).Order());
    }

    [Fact]
    public async Task The_in_process_upsert_reports_a_batch_postgres_refuses()
    {
        var ct = TestContext.Current.CancellationToken;

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Host.Server.UpsertCompaniesAsync([new ConnectraCompany { Uuid = "same" }, new ConnectraCompany { Uuid = "same" }], ct));
    }

    [Fact]
    public async Task Clear_empties_data_and_index_but_keeps_the_catalogue()
    {
        var ct = TestContext.Current.CancellationToken;
        await Host.Server.UpsertContactsAsync([new ConnectraContact { Uuid = "gone", Seniority = "vp" }], ct);

        await Host.Server.ClearAsync(ct);

        var (_, count) = await Host.PostJsonAsync("/contacts/count", "{}", ct);
        var (_, values) = await Host.PostJsonAsync("/common/contact/filters/data", """{"filter_key":"seniority"}""", ct);
        Assert.Equal(0, count.GetProperty("count").GetInt64());
        Assert.Equal(0, values.GetProperty("data").GetArrayLength());
        Assert.Equal(12, JsonDocument.Parse(await Host.Client.GetStringAsync("/common/contact/filters", ct)).RootElement.GetProperty("data").GetArrayLength());
    }
}
