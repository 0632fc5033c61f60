using System.Text.Json.Nodes;
using Connectra.Client.Records;

namespace Connectra.Emulator.Tests.Store;

/// <summary>
/// <see cref="EmulatorServer.BulkLoadAsync"/> is the seed command's path (COPY, then one index rebuild) for tests that
/// need thousands of rows. It must store, index and catalogue rows exactly as upserts do, or such tests would check
/// something other than what clients see.
/// </summary>
/// <remarks>The tests share one emulator, emptied before each.</remarks>
public sealed class BulkLoadTests(SharedEmulator emulator) : IClassFixture<SharedEmulator>, IAsyncLifetime
{
    private const string LoadedCompany = "7a2f0c31-0000-4000-8000-000000000001";
    private const string UpsertedCompany = "7a2f0c31-0000-4000-8000-000000000002";

    private EmulatorHost Host => emulator.Host;

    public async ValueTask InitializeAsync() => await emulator.ResetAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Bulk_loaded_rows_answer_every_query_exactly_as_upserted_twins_do()
    {
        var ct = TestContext.Current.CancellationToken;

        await Host.Server.BulkLoadAsync([Company(LoadedCompany)], Contacts("b", LoadedCompany), ct);
        var values = await Host.PostJsonAsync("/common/contact/filters/data", """{"filter_key":"seniority"}""", ct);
        await Host.Server.UpsertCompaniesAsync([Company(UpsertedCompany)], ct);
        await Host.Server.UpsertContactsAsync(Contacts("u", UpsertedCompany), ct);

        Assert.Equal(["director", "senior"], values.Body.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("value").GetString()).Order());
        string[] queries =
        [
            """{"where":{"text_matches":{"must":[{"text_value":"software engineer","filter_key":"title","search_type":"exact"}]}}}""",
            """{"where":{"text_matches":{"must":[{"text_value":"enginer","filter_key":"title","search_type":"shuffle","fuzzy":true}]}}}""",
            """{"where":{"keyword_match":{"must":{"departments":"sales","country":"germany"}}}}""",
            """{"where":{"range_query":{"must":{"company_employees_count":{"gte":250}}}}}""",
            """{"where":{"text_matches":{"must":[{"text_value":"umbrella","filter_key":"company_name","search_type":"shuffle"}]}}}""",
            """{"where":{"keyword_match":{"must_not":{"seniority":"senior"}}}}""",
        ];
        foreach (var query in queries)
        {
            var found = await Host.UuidsAsync("/contacts/", query, ct);
            var loaded = found.Where(u => u.StartsWith("b-", StringComparison.Ordinal)).Select(u => u[2..]).Order().ToList();
            var upserted = found.Where(u => u.StartsWith("u-", StringComparison.Ordinal)).Select(u => u[2..]).Order().ToList();
            Assert.NotEmpty(loaded);
            Assert.Equal(upserted, loaded);
        }

        var (_, all) = await Host.PostJsonAsync("/contacts/",
            """{"order_by":[{"order_by":"uuid","order_direction":"asc"}],"company_config":{"populate":true},"limit":100}""", ct);
        var rows = all.GetProperty("data").EnumerateArray().Select(r => JsonNode.Parse(r.GetRawText())!.AsObject()).ToList();
        var byUuid = rows.ToDictionary(r => r["uuid"]!.GetValue<string>());
        Assert.Equal(8, rows.Count);
        foreach (var suffix in new[] { "1", "2", "3", "4" })
        {
            Assert.Equal(Comparable(byUuid["u-" + suffix]), Comparable(byUuid["b-" + suffix]));
        }
    }

    [Fact]
    public async Task A_bulk_load_of_a_stored_uuid_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await Host.Server.UpsertContactsAsync([new ConnectraContact { Uuid = "taken" }], ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Host.Server.BulkLoadAsync([], [new ConnectraContact { Uuid = "taken", Title = "Other" }], ct));
    }

    private static ConnectraCompany Company(string uuid) => new()
    {
        Uuid = uuid,
        Name = "Umbrella Analytics",
        EmployeesCount = 250,
        Industries = ["software", "analytics"],
        Country = "germany",
        NormalizedDomain = "umbrella.example",
    };

    private static List<ConnectraContact> Contacts(string prefix, string company) =>
    [
        new() { Uuid = $"{prefix}-1", FirstName = "ada", LastName = "king", Title = "Senior Software Engineer", Seniority = "senior",
                Departments = ["engineering"], Email = "ada@umbrella.example", EmailStatus = "verified", Country = "germany", CompanyId = company },
        new() { Uuid = $"{prefix}-2", FirstName = "li", Title = "Enginer", Seniority = "senior", Departments = ["sales", "support"],
                Country = "germany", MobilePhone = "+49301234", CompanyId = company },
        new() { Uuid = $"{prefix}-3", FirstName = "jo", Title = "Sales Director", Seniority = "director", Departments = ["sales"], Country = "usa" },
        new() { Uuid = $"{prefix}-4", Title = "", Seniority = "", Departments = null },
    ];

    /// <summary>A row without what differs between twins by construction: identity, company link and timestamps.</summary>
    private static string Comparable(JsonObject row)
    {
        var copy = row.DeepClone().AsObject();
        foreach (var key in new[] { "id", "uuid", "company_id", "created_at", "updated_at", "cursor" })
        {
            copy.Remove(key);
        }

        if (copy["company"] is JsonObject company)
        {
            foreach (var key in new[] { "id", "uuid", "created_at", "updated_at" })
            {
                company.Remove(key);
            }
        }

        return copy.ToJsonString();
    }
}
