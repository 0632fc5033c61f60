using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.FunctionalTests.EndToEnd;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.FunctionalTests.Writes;
using Connectra.Client.Records;

namespace Connectra.Backend.FunctionalTests.Exports;

[CollectionDefinition(Name)]
public sealed class ExportTestGroup : ICollectionFixture<ExportHost>
{
    public const string Name = "exports";
}

/// <summary>Export jobs end to end: real PostgreSQL, the worker, the emulator, the downloaded file.</summary>
[Collection(ExportTestGroup.Name)]
public sealed class ExportJobTests(ExportHost stack) : IAsyncLifetime
{
    private const string Contacts = "/api/v3/exports/contacts/export";
    private const string Companies = "/api/v3/exports/companies/export";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        stack.Plug();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        stack.Plug();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task By_uuids_the_found_rows_come_in_the_order_asked_with_duplicates_once_and_the_missing_counted()
    {
        using var worker = stack.StartWorker();
        using var client = ExportClient.For(stack);
        string[] found = [DataSet.Contacts[5].Uuid!, DataSet.Contacts[2].Uuid!, DataSet.Contacts[9].Uuid!];
        const string Missing1 = "a0ffff01-0000-4000-8000-000000ffff01", Missing2 = "a0ffff02-0000-4000-8000-000000ffff02";

        var id = await client.CreateAsync(Contacts, new { contact_uuids = new[] { found[0], found[1], Missing1, found[0].ToUpperInvariant(), found[2], Missing2 } });
        var (header, rows, _) = await client.DownloadAsync(id);
        var status = await client.StatusAsync(id);

        Assert.Equal(ExportColumns.Contacts.Select(c => c.Name), header);
        Assert.Equal(found, rows.Select(r => r[0]));
        Assert.Equal(5, status.GetProperty("contact_count").GetInt32());
        Assert.Equal(3, status.GetProperty("records_processed").GetInt32());
        Assert.Equal(2, status.GetProperty("missing_count").GetInt32());
        Assert.Equal([Missing1, Missing2], status.GetProperty("missing_uuids").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(100, status.GetProperty("progress_percentage").GetDouble());
        Assert.StartsWith($"/api/v3/exports/{id}/download?token=", status.GetProperty("download_url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_contact_row_holds_each_of_its_48_columns_from_its_true_source()
    {
        using var worker = stack.StartWorker();
        using var client = ExportClient.For(stack);
        var contact = DataSet.Contacts[20];
        var company = DataSet.Companies.Single(c => c.Uuid == contact.CompanyId);

        var id = await client.CreateAsync(Contacts, new { contact_uuids = new[] { contact.Uuid } });
        var (header, rows, _) = await client.DownloadAsync(id);
        var row = header.Zip(Assert.Single(rows)).ToDictionary(p => p.First, p => p.Second);

        var expected = new Dictionary<string, string?>
        {
            ["contact_uuid"] = contact.Uuid, ["contact_first_name"] = contact.FirstName, ["contact_last_name"] = contact.LastName,
            ["contact_company_id"] = contact.CompanyId, ["contact_email"] = contact.Email, ["contact_title"] = contact.Title,
            ["contact_departments"] = string.Join(",", contact.Departments!), ["contact_mobile_phone"] = contact.MobilePhone,
            ["contact_email_status"] = contact.EmailStatus, ["contact_text_search"] = $"{contact.City} {contact.State} {contact.Country}",
            ["contact_seniority"] = contact.Seniority, ["contact_created_at"] = contact.CreatedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["contact_metadata_linkedin_url"] = contact.LinkedinUrl, ["contact_metadata_facebook_url"] = "", ["contact_metadata_twitter_url"] = "",
            ["contact_metadata_website"] = "", ["contact_metadata_work_direct_phone"] = contact.WorkDirectPhone ?? "", ["contact_metadata_home_phone"] = "",
            ["contact_metadata_city"] = contact.City, ["contact_metadata_state"] = contact.State, ["contact_metadata_country"] = contact.Country,
            ["contact_metadata_other_phone"] = "", ["contact_metadata_stage"] = contact.Stage ?? "",
            ["company_uuid"] = company.Uuid, ["company_name"] = company.Name, ["company_employees_count"] = DataSet.Invariant(company.EmployeesCount!.Value),
            ["company_industries"] = string.Join(",", company.Industries!), ["company_keywords"] = string.Join(",", company.Keywords!),
            ["company_address"] = company.Address, ["company_annual_revenue"] = DataSet.Invariant(company.AnnualRevenue!.Value),
            ["company_total_funding"] = company.TotalFunding is > 0 ? DataSet.Invariant(company.TotalFunding.Value) : "",
            ["company_technologies"] = string.Join(",", company.Technologies!), ["company_text_search"] = $"{company.City} {company.State} {company.Country}",
            ["company_metadata_linkedin_url"] = company.LinkedinUrl, ["company_metadata_facebook_url"] = "", ["company_metadata_twitter_url"] = "",
            ["company_metadata_website"] = company.Website, ["company_metadata_company_name_for_emails"] = company.CompanyNameForEmails,
            ["company_metadata_phone_number"] = company.PhoneNumber, ["company_metadata_latest_funding"] = "",
            ["company_metadata_latest_funding_amount"] = "", ["company_metadata_last_raised_at"] = "",
            ["company_metadata_city"] = company.City, ["company_metadata_state"] = company.State, ["company_metadata_country"] = company.Country,
        };
        Assert.Equal(48, row.Count);
        Assert.All(expected, e => Assert.True(row[e.Key] == Csv(e.Value), $"{e.Key}: '{row[e.Key]}', expected '{Csv(e.Value)}'"));
        // Times the store sets itself: present and ISO-8601 in UTC.
        Assert.All(["contact_updated_at", "company_created_at", "company_updated_at"], column =>
            Assert.True(row[column].Length == 0 || DateTimeOffset.TryParse(row[column], CultureInfo.InvariantCulture, out _), $"{column}: {row[column]}"));
        Assert.NotEqual("", row["company_created_at"]);
    }

    [Fact]
    public async Task A_company_row_holds_each_of_its_24_columns_from_the_company()
    {
        using var worker = stack.StartWorker();
        using var client = ExportClient.For(stack);
        var company = DataSet.Companies[6];

        var id = await client.CreateAsync(Companies, new { company_uuids = new[] { company.Uuid } });
        var (header, rows, _) = await client.DownloadAsync(id);
        var row = header.Zip(Assert.Single(rows)).ToDictionary(p => p.First, p => p.Second);

        Assert.Equal(ExportColumns.Companies.Select(c => c.Name), header);
        Assert.Equal(company.Uuid, row["company_uuid"]);
        Assert.Equal(company.Name, row["company_name"]);
        Assert.Equal(DataSet.Invariant(company.EmployeesCount!.Value), row["company_employees_count"]);
        Assert.Equal(string.Join(",", company.Industries!), row["company_industries"]);
        Assert.Equal(string.Join(",", company.Keywords!), row["company_keywords"]);
        Assert.Equal(company.Address, row["company_address"]);
        Assert.Equal(DataSet.Invariant(company.AnnualRevenue!.Value), row["company_annual_revenue"]);
        Assert.Equal(DataSet.Invariant(company.TotalFunding!.Value), row["company_total_funding"]);
        Assert.Equal(string.Join(",", company.Technologies!), row["company_technologies"]);
        Assert.Equal($"{company.City} {company.State} {company.Country}", row["company_text_search"]);
        Assert.Equal(company.LinkedinUrl, row["company_metadata_linkedin_url"]);
        Assert.Equal(company.Website, row["company_metadata_website"]);
        Assert.Equal(company.CompanyNameForEmails, row["company_metadata_company_name_for_emails"]);
        Assert.Equal(Csv(company.PhoneNumber), row["company_metadata_phone_number"]);
        Assert.Equal((company.City, company.State, company.Country), (row["company_metadata_city"], row["company_metadata_state"], row["company_metadata_country"]));
        Assert.Equal(24, row.Count);
    }

    [Fact]
    public async Task By_query_every_matching_row_is_exported_once_and_equals_what_the_query_route_returns()
    {
        using var worker = stack.StartWorker();
        using var client = ExportClient.For(stack);
        var filters = new JsonObject { ["and"] = new JsonArray(new JsonObject { ["field"] = "country", ["operator"] = "nin", ["value"] = new JsonArray("germany", "nowhere") }) };

        var id = await client.CreateAsync(Contacts, new { query = new { filters = filters.DeepClone() } });
        var (header, rows, _) = await client.DownloadAsync(id);
        var count = (await (await client.Http.PostAsJsonAsync("/api/v3/contacts/count", new { filters = filters.DeepClone() }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("count").GetInt32();
        var listed = (await Paging.WalkAsync(client.Http, "/api/v3/contacts/query", new JsonObject { ["filters"] = filters.DeepClone(), ["limit"] = 100 }, Ct))
            .ToDictionary(item => item.GetProperty("uuid").GetString()!);

        Assert.True(count >= 10_000, $"only {count} rows: the export must cross Connectra's window many times");
        Assert.Equal(count, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r[0]).Distinct().Count());
        Assert.Equal(rows.Select(r => r[0]).Order(StringComparer.Ordinal), rows.Select(r => r[0])); // uuid order across the parallel ranges
        var column = header.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i);
        Assert.All(rows, row =>
        {
            var item = listed[row[0]];
            Assert.Equal(Text(item, "first_name"), row[column["contact_first_name"]]);
            Assert.Equal(Text(item, "email"), row[column["contact_email"]]);
            Assert.Equal(Text(item, "title"), row[column["contact_title"]]);
            Assert.Equal(Text(item, "company"), row[column["company_name"]]);
            Assert.Equal(Text(item, "departments").Replace(", ", ",", StringComparison.Ordinal), row[column["contact_departments"]]);
        });
        var status = await client.StatusAsync(id);
        Assert.Equal(count, status.GetProperty("total_records").GetInt32());
        Assert.Equal(count, status.GetProperty("contact_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("notice").ValueKind);
    }

    [Fact]
    public async Task A_sorted_query_export_follows_its_sort_and_its_chosen_columns()
    {
        using var worker = stack.StartWorker();
        using var client = ExportClient.For(stack);
        var query = new { filters = new { and = new[] { new { field = "country", @operator = "eq", value = "germany" } } }, sort_by = "-email" };

        var id = await client.CreateAsync(Contacts, new { query, columns = new[] { "contact_email", "company_name", "contact_uuid" } });
        var (header, rows, _) = await client.DownloadAsync(id);

        var expected = DataSet.Contacts.Where(c => c.Country == "germany").Select(c => c.Email!).OrderDescending(StringComparer.Ordinal).ToList();
        Assert.Equal(["contact_email", "company_name", "contact_uuid"], header);
        Assert.Equal(expected, rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.NotEqual("", r[1]));
    }

    [Fact]
    public async Task A_chunked_export_merges_its_chunks_under_one_header_and_reports_their_missing()
    {
        using var worker = stack.StartWorker();
        using var client = ExportClient.For(stack);
        string[] first = [DataSet.Contacts[1].Uuid!, DataSet.Contacts[3].Uuid!], second = [DataSet.Contacts[4].Uuid!];
        const string Missing = "a0ffff03-0000-4000-8000-000000ffff03";

        using var response = await client.Http.PostAsJsonAsync("/api/v3/exports/contacts/export/chunked",
            new { chunks = new[] { first, second, new[] { Missing }, Array.Empty<string>() } }, Ct);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = created.GetProperty("export_id").GetString()!;
        var (header, rows, bytes) = await client.DownloadAsync(id);
        var status = await client.StatusAsync(id);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(3, created.GetProperty("chunk_ids").GetArrayLength());
        Assert.Equal(4, created.GetProperty("total_count").GetInt32());
        Assert.Equal(ExportColumns.Contacts.Select(c => c.Name), header);
        Assert.Equal([.. first, .. second], rows.Select(r => r[0]));
        Assert.Single(System.Text.Encoding.UTF8.GetString(bytes).Split("\r\n"), line => line.StartsWith("contact_uuid,", StringComparison.Ordinal));
        Assert.Equal(1, status.GetProperty("missing_count").GetInt32());
        Assert.Equal(3, status.GetProperty("records_processed").GetInt32());
    }

    [Fact]
    public async Task Without_merge_the_chunks_are_downloaded_one_by_one()
    {
        using var worker = stack.StartWorker();
        using var client = ExportClient.For(stack);

        using var response = await client.Http.PostAsJsonAsync("/api/v3/exports/contacts/export/chunked",
            new { chunks = new[] { new[] { DataSet.Contacts[1].Uuid }, new[] { DataSet.Contacts[2].Uuid } }, merge = false }, Ct);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var main = await client.WaitAsync(created.GetProperty("export_id").GetString()!);
        var chunks = created.GetProperty("chunk_ids").EnumerateArray().Select(c => c.GetString()!).ToList();

        Assert.Equal("completed", main.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, main.GetProperty("download_url").ValueKind);
        Assert.Equal(chunks, main.GetProperty("chunk_ids").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(DataSet.Contacts[2].Uuid, Assert.Single((await client.DownloadAsync(chunks[1])).Rows)[0]);
    }

    [Fact]
    public async Task Cancelling_a_running_export_stops_it_and_its_completion_never_overwrites_the_cancellation()
    {
        stack.Connectra.Behaviour = FakeConnectra.Delayed(FakeConnectra.Forward(stack.EmulatorUrl), TimeSpan.FromMilliseconds(30));
        using var worker = stack.StartWorker();
        using var client = ExportClient.For(stack);

        var id = await client.CreateAsync(Contacts, new { query = new { } });
        var running = await client.WaitForProgressAsync(id, rows: 200);
        using var cancel = await client.Http.DeleteAsync($"/api/v3/exports/{id}/cancel", Ct);
        var answer = await cancel.Content.ReadFromJsonAsync<JsonElement>(Ct);
        stack.Plug();
        await Task.Delay(1500, Ct); // long enough for the job to have finished, had it gone on
        var after = await client.StatusAsync(id);
        using var again = await client.Http.DeleteAsync($"/api/v3/exports/{id}/cancel", Ct);

        Assert.Equal("processing", running.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", answer.GetProperty("status").GetString());
        Assert.Equal("cancelled", after.GetProperty("status").GetString());
        Assert.Equal("Export cancelled by user", after.GetProperty("error_message").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("download_url").ValueKind);
        Assert.Equal("Export is already cancelled", (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("message").GetString());
        Assert.Empty(Directory.Exists(stack.StoragePath) ? Directory.GetFiles(stack.StoragePath, id + "*") : []);
    }

    [Fact]
    public async Task Export_pages_are_read_uncompressed_while_every_other_Connectra_call_asks_for_gzip()
    {
        var asked = new System.Collections.Concurrent.ConcurrentQueue<(string Path, string Encoding, bool Page)>();
        var forward = FakeConnectra.Forward(stack.EmulatorUrl);
        stack.Connectra.Behaviour = async context =>
        {
            Microsoft.AspNetCore.Http.HttpRequestRewindExtensions.EnableBuffering(context.Request);
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            // The export's walk orders by uuid and asks for Connectra's maximum page; the query route asks for 11.
            asked.Enqueue((context.Request.Path.Value ?? "", context.Request.Headers.AcceptEncoding.ToString(), body.Contains("\"limit\":100", StringComparison.Ordinal)));
            await forward(context);
        };
        using var worker = stack.StartWorker();
        using var client = ExportClient.For(stack);
        var query = new { filters = new { and = new[] { new { field = "country", @operator = "eq", value = "germany" } } } };

        var id = await client.CreateAsync(Contacts, new { query });
        var (_, rows, _) = await client.DownloadAsync(id);
        using var searched = await client.Http.PostAsJsonAsync("/api/v3/contacts/query", new { query.filters, limit = 10 }, Ct);

        Assert.NotEmpty(rows);
        Assert.Equal(HttpStatusCode.OK, searched.StatusCode);
        var pages = asked.Where(a => a.Path == "/contacts/" && a.Page).ToList();
        var others = asked.Where(a => !(a.Path == "/contacts/" && a.Page)).ToList();
        Assert.NotEmpty(pages);
        Assert.All(pages, page => Assert.Equal("identity", page.Encoding));
        Assert.Contains(others, other => other.Path == "/contacts/count");
        Assert.Contains(others, other => other.Path == "/contacts/");
        Assert.All(others, other => Assert.Equal("gzip, deflate", other.Encoding));
    }

    [Fact]
    public async Task An_outage_shorter_than_the_budget_is_waited_out_and_the_file_is_complete()
    {
        stack.Connectra.Behaviour = FakeConnectra.Delayed(FakeConnectra.Forward(stack.EmulatorUrl), TimeSpan.FromMilliseconds(20));
        using var worker = stack.StartWorker();
        using var client = ExportClient.For(stack);
        var query = new { filters = new { and = new[] { new { field = "city", @operator = "eq", value = "lyon" } } } };

        var id = await client.CreateAsync(Contacts, new { query });
        await client.WaitForProgressAsync(id, rows: 300);
        stack.Unplug();
        await Task.Delay(ExportHost.OutageBudget / 3, Ct);
        stack.Plug();
        var (_, rows, _) = await client.DownloadAsync(id);

        Assert.Equal(ExportHost.ExtraContacts, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r[0]).Distinct().Count());
    }

    [Fact]
    public async Task An_outage_longer_than_the_budget_fails_the_export_with_a_clear_message_and_no_file()
    {
        using var worker = stack.StartWorker();
        using var client = ExportClient.For(stack);
        stack.Unplug();

        var id = await client.CreateAsync(Contacts, new { contact_uuids = new[] { DataSet.Contacts[0].Uuid } });
        var status = await client.WaitAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Contains("Connectra was unavailable for more than", status.GetProperty("error_message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("download_url").ValueKind);
        // The parts go right after the failure is recorded (only a worker that recorded it may delete them).
        Assert.True(await WriteHost.EventuallyAsync(() => Task.FromResult(Directory.GetFiles(stack.StoragePath, id + "*").Length == 0), TimeSpan.FromSeconds(5), Ct),
            $"left behind: {string.Join(", ", Directory.GetFiles(stack.StoragePath, id + "*").Select(Path.GetFileName))}");
    }

    [Fact]
    public async Task A_worker_restarted_mid_export_hands_the_job_on_and_it_resumes_from_its_checkpoint()
    {
        stack.Connectra.Behaviour = FakeConnectra.Delayed(FakeConnectra.Forward(stack.EmulatorUrl), TimeSpan.FromMilliseconds(20));
        using var client = ExportClient.For(stack);
        var query = new { filters = new { and = new[] { new { field = "city", @operator = "eq", value = "lyon" } } } };
        var id = await client.CreateAsync(Contacts, new { query });

        var first = stack.StartWorker();
        var before = await client.WaitForProgressAsync(id, rows: 4_000);
        await first.DisposeAsync(); // a restart: the job is handed back with its checkpoint
        var handedBack = await client.StatusAsync(id);
        stack.Plug();
        stack.Connectra.ResetCalls();
        using var second = stack.StartWorker();
        var (_, rows, _) = await client.DownloadAsync(id);

        Assert.Equal("processing", before.GetProperty("status").GetString());
        Assert.Equal("pending", handedBack.GetProperty("status").GetString());
        var resumedFrom = handedBack.GetProperty("records_processed").GetInt32();
        Assert.True(resumedFrom >= 4_000, $"handed back at {resumedFrom}");
        Assert.Equal(ExportHost.ExtraContacts, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r[0]).Distinct().Count());
        // Pages of 100: a walk from scratch would take more calls than the rows left need.
        Assert.True(stack.Connectra.Calls < (ExportHost.ExtraContacts - resumedFrom) / 100 + 20,
            $"{stack.Connectra.Calls} Connectra calls after the restart at row {resumedFrom}");
    }

    [Fact]
    public async Task Cells_a_spreadsheet_would_run_as_formulas_reach_the_file_escaped()
    {
        using var worker = stack.StartWorker();
        using var client = ExportClient.For(stack);
        var formula = ExportHost.Formulas()[0];

        var id = await client.CreateAsync(Contacts, new { contact_uuids = new[] { formula.Uuid } });
        var (header, rows, bytes) = await client.DownloadAsync(id);
        var row = header.Zip(Assert.Single(rows)).ToDictionary(p => p.First, p => p.Second);

        Assert.All(rows.SelectMany(r => r), cell => Assert.False(cell.Length > 0 && "=+-@\t\r".Contains(cell[0]), $"unescaped: {cell}"));
        Assert.Equal("'" + formula.FirstName, row["contact_first_name"]);
        Assert.Equal("'" + formula.LastName, row["contact_last_name"]);
        Assert.Equal("'" + formula.Title, row["contact_title"]);
        Assert.Equal("'" + formula.Email, row["contact_email"]);
        Assert.DoesNotContain("\r\n=", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    /// <summary>
    /// A value as the file holds it: empty for nothing, and behind a ' when a spreadsheet would take it for a formula
    /// (phone numbers start with '+').
    /// </summary>
    private static string Csv(string? value) =>
        value is null ? "" : value.Length > 0 && "=+-@\t\r".Contains(value[0]) ? "'" + value : value;

    private static string Text(JsonElement item, string property) =>
        item.GetProperty(property) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : "";
}
