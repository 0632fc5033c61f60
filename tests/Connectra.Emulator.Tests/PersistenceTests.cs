using Connectra.Client.Records;

namespace Connectra.Emulator.Tests;

/// <summary>PostgreSQL is the source of truth: the index survives restarts and is rebuilt from the database.</summary>
public sealed class PersistenceTests
{
    private const string Everyone = """{"order_by":[{"order_by":"uuid","order_direction":"asc"}],"limit":100}""";

    [Fact]
    public async Task Writes_survive_a_restart_with_the_same_index_folder()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = NewFolder();
        try
        {
            await using var host = await EmulatorHost.StartAsync(ct, indexPath: folder);
            await host.PostJsonAsync("/contacts/batch-upsert", """[{"uuid":"kept","title":"Data Engineer","seniority":"senior"}]""", ct);

            await host.RestartAsync(ct);

            Assert.Equal(["kept"], await host.UuidsAsync("/contacts/",
                """{"where":{"text_matches":{"must":[{"text_value":"data engineer","filter_key":"title","search_type":"exact"}]}}}""", ct));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_index_is_rebuilt_from_postgres_with_the_same_answers()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = NewFolder();
        try
        {
            await using var host = await EmulatorHost.StartAsync(ct, indexPath: folder);
            await host.Server.UpsertCompaniesAsync([new ConnectraCompany { Uuid = "6f1c0e52-0000-4000-8000-000000000001", Name = "Globex", EmployeesCount = 300 }], ct);
            await host.Server.UpsertContactsAsync(Enumerable.Range(0, 250).Select(i => new ConnectraContact
            {
                Uuid = $"r{i:D3}",
                Title = i % 2 == 0 ? "Account Executive" : "Staff Engineer",
                Departments = i % 3 == 0 ? ["sales"] : null,
                CompanyId = i % 5 == 0 ? "6f1c0e52-0000-4000-8000-000000000001" : null,
            }).ToList(), ct);
            string[] queries =
            [
                Everyone,
                """{"where":{"text_matches":{"must":[{"text_value":"enginer","filter_key":"title","search_type":"shuffle","fuzzy":true}]}},"order_by":[{"order_by":"uuid","order_direction":"asc"}],"limit":100}""",
                """{"where":{"keyword_match":{"must_not":{"departments":"sales"}},"range_query":{"must":{"company_employees_count":{"gte":300}}}},"order_by":[{"order_by":"departments","order_direction":"desc"},{"order_by":"uuid","order_direction":"asc"}],"limit":100}""",
            ];
            var before = new List<List<string>>();
            foreach (var query in queries)
            {
                before.Add(await host.UuidsAsync("/contacts/", query, ct));
            }

            await host.Server.DisposeAsync();
            Directory.Delete(folder, recursive: true);
            await host.RestartAsync(ct);

            for (var i = 0; i < queries.Length; i++)
            {
                Assert.Equal(before[i], await host.UuidsAsync("/contacts/", queries[i], ct));
            }

            Assert.Equal(100, before[0].Count);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task An_index_from_another_database_is_rebuilt_rather_than_trusted()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = NewFolder();
        try
        {
            await using (var first = await EmulatorHost.StartAsync(ct, indexPath: folder))
            {
                await first.Server.UpsertContactsAsync([new ConnectraContact { Uuid = "from-first" }], ct);
            }

            await using var second = await EmulatorHost.StartAsync(ct, indexPath: folder);

            Assert.Empty(await second.UuidsAsync("/contacts/", Everyone, ct));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string NewFolder() => Path.Combine(Path.GetTempPath(), "emulator-persistence-" + Guid.NewGuid().ToString("N"));
}
