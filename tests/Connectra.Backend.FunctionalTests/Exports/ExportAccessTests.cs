using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.Application;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.FunctionalTests.EndToEnd;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.Exports;

/// <summary>Who may see, download and cancel which export; limits; the download itself.</summary>
[Collection(ExportTestGroup.Name)]
public sealed class ExportAccessTests(ExportHost stack)
{
    private const string Contacts = "/api/v3/exports/contacts/export";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(ExportClient Client, string Id, JsonElement Status)> CompletedAsync(string user)
    {
        using var worker = stack.StartWorker();
        var client = ExportClient.For(stack, user);
        var id = await client.CreateAsync(Contacts, new { contact_uuids = DataSet.Contacts.Take(50).Select(c => c.Uuid) });
        return (client, id, await client.WaitAsync(id));
    }

    [Fact]
    public async Task Another_users_export_is_not_found_whatever_is_asked()
    {
        var (owner, id, status) = await CompletedAsync("owner-1");
        using var _ = owner;
        using var other = ExportClient.For(stack, "intruder-1");

        using var read = await other.Http.GetAsync($"/api/v3/exports/{id}/status", Ct);
        using var cancel = await other.Http.DeleteAsync($"/api/v3/exports/{id}/cancel", Ct);
        var list = await other.Http.GetFromJsonAsync<JsonElement>("/api/v3/exports/", Ct);
        using var download = await other.Http.GetAsync(status.GetProperty("download_url").GetString(), Ct);

        await Problems.AssertProblemAsync(read, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await Problems.AssertProblemAsync(cancel, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.DoesNotContain(list.GetProperty("exports").EnumerateArray(), e => e.GetProperty("export_id").GetString() == id);
        // The owner's token in another user's hands names someone else: refused before the export is even looked up.
        var problem = await Problems.AssertProblemAsync(download, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Equal("Token does not match export or user", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Download_tokens_are_checked_in_order_bad_expired_mismatched()
    {
        var (client, id, status) = await CompletedAsync("owner-2");
        using var owner = client;
        var (other, otherId, _) = await CompletedAsync("owner-2");
        using var second = other;
        var tokens = stack.Services.GetRequiredService<IDownloadTokens>();
        var otherToken = Uri.EscapeDataString(tokens.Create(otherId, "owner-2", DateTimeOffset.UtcNow.AddMinutes(5)));
        var expired = Uri.EscapeDataString(tokens.Create(id, "owner-2", DateTimeOffset.UtcNow.AddMinutes(-1)));

        using var bad = await client.Http.GetAsync($"/api/v3/exports/{id}/download?token=garbage", Ct);
        using var late = await client.Http.GetAsync($"/api/v3/exports/{id}/download?token={expired}", Ct);
        using var mismatched = await client.Http.GetAsync($"/api/v3/exports/{id}/download?token={otherToken}", Ct);
        using var missing = await client.Http.GetAsync($"/api/v3/exports/{id}/download", Ct);
        using var noBearer = await stack.CreateClient().GetAsync(status.GetProperty("download_url").GetString(), Ct);

        Assert.Equal("Invalid or expired download token", (await Problems.AssertProblemAsync(bad, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
        await Problems.AssertProblemAsync(late, HttpStatusCode.Unauthorized);
        await Problems.AssertProblemAsync(mismatched, HttpStatusCode.Forbidden);
        var problem = await Problems.AssertProblemAsync(missing, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("token", out _));
        await Problems.AssertProblemAsync(noBearer, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
    }

    [Fact]
    public async Task An_expired_export_is_gone_and_offers_no_download()
    {
        var (client, id, status) = await CompletedAsync("owner-3");
        using var _ = client;
        await stack.ExecuteAsync($"UPDATE user_exports SET expires_at = now() - interval '1 minute' WHERE export_id = '{id}'", Ct);
        var token = Uri.EscapeDataString(stack.Services.GetRequiredService<IDownloadTokens>().Create(id, "owner-3", DateTimeOffset.UtcNow.AddMinutes(5)));

        using var download = await client.Http.GetAsync($"/api/v3/exports/{id}/download?token={token}", Ct);
        var after = await client.StatusAsync(id);

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal("Export has expired", (await Problems.AssertProblemAsync(download, HttpStatusCode.Gone, ProblemTypes.Gone)).GetProperty("detail").GetString());
        Assert.True(after.GetProperty("expired").GetBoolean());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("download_url").ValueKind);
    }

    [Fact]
    public async Task A_pending_export_is_not_ready_to_download()
    {
        using var client = ExportClient.For(stack, "owner-4");
        var id = await client.CreateAsync(Contacts, new { contact_uuids = new[] { DataSet.Contacts[0].Uuid } }); // no worker runs it
        var token = Uri.EscapeDataString(stack.Services.GetRequiredService<IDownloadTokens>().Create(id, "owner-4", DateTimeOffset.UtcNow.AddMinutes(5)));

        using var download = await client.Http.GetAsync($"/api/v3/exports/{id}/download?token={token}", Ct);
        using var cancel = await client.Http.DeleteAsync($"/api/v3/exports/{id}/cancel", Ct);

        Assert.Equal("Export is not ready (status: pending)",
            (await Problems.AssertProblemAsync(download, HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
    }

    [Fact]
    public async Task A_download_names_the_file_states_its_length_resumes_from_a_range_and_compresses_when_asked()
    {
        var (client, id, status) = await CompletedAsync("owner-5");
        using var _ = client;
        var url = status.GetProperty("download_url").GetString();

        using var whole = await client.Http.GetAsync(url, Ct);
        var bytes = await whole.Content.ReadAsByteArrayAsync(Ct);
        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new RangeHeaderValue(100, 199);
        ranged.Headers.AcceptEncoding.ParseAdd("gzip");
        using var part = await client.Http.SendAsync(ranged, Ct);
        using var zipped = new HttpRequestMessage(HttpMethod.Get, url);
        zipped.Headers.AcceptEncoding.ParseAdd("gzip");
        using var gzip = await client.Http.SendAsync(zipped, Ct);
        await using var unzip = new GZipStream(await gzip.Content.ReadAsStreamAsync(Ct), CompressionMode.Decompress);
        using var unzipped = new MemoryStream();
        await unzip.CopyToAsync(unzipped, Ct);

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("text/csv", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"export_{id}.csv", whole.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("attachment", whole.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(bytes.Length, whole.Content.Headers.ContentLength);
        Assert.Equal(bytes.Length, status.GetProperty("file_size").GetInt64());
        Assert.True(whole.Headers.CacheControl?.NoStore);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(bytes[100..200], await part.Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains("gzip", gzip.Content.Headers.ContentEncoding);
        Assert.Equal(bytes, unzipped.ToArray());
    }

    [Fact]
    public async Task A_range_is_served_only_when_it_is_one_well_formed_byte_range_and_any_other_is_ignored()
    {
        var (client, _, status) = await CompletedAsync("owner-6");
        using var _ = client;
        var url = status.GetProperty("download_url").GetString();
        var whole = await client.Http.GetByteArrayAsync(url, Ct);
        var length = whole.Length;
        (string Range, HttpStatusCode Status, int First, int Last)[] cases =
        [
            ("bytes=0-1", HttpStatusCode.PartialContent, 0, 1),
            ("BYTES=2-4", HttpStatusCode.PartialContent, 2, 4),
            ("bytes=10-", HttpStatusCode.PartialContent, 10, length - 1),
            ("bytes=-5", HttpStatusCode.PartialContent, length - 5, length - 1),
            ("bytes=0-99999999", HttpStatusCode.PartialContent, 0, length - 1),
            // Another unit than bytes must be ignored (RFC 9110 §14.2).
            ("items=0-1", HttpStatusCode.OK, 0, length - 1),
            ("Items=0-1", HttpStatusCode.OK, 0, length - 1),
            ("rows=-5", HttpStatusCode.OK, 0, length - 1),
            ("byte=0-1", HttpStatusCode.OK, 0, length - 1),
            ("bytesx=0-1", HttpStatusCode.OK, 0, length - 1),
            // Malformed, or more than one range: ignored too.
            ("bytes=1-0", HttpStatusCode.OK, 0, length - 1),
            ("bytes=abc", HttpStatusCode.OK, 0, length - 1),
            ("bytes=", HttpStatusCode.OK, 0, length - 1),
            ("bytes", HttpStatusCode.OK, 0, length - 1),
            ("=0-1", HttpStatusCode.OK, 0, length - 1),
            ("0-1", HttpStatusCode.OK, 0, length - 1),
            ("bytes=0-1-2", HttpStatusCode.OK, 0, length - 1),
            ("bytes=--1", HttpStatusCode.OK, 0, length - 1),
            ("bytes=99999999999999999999-", HttpStatusCode.OK, 0, length - 1),
            ("bytes=0-1,4-5", HttpStatusCode.OK, 0, length - 1),
        ];

        foreach (var (range, expected, first, last) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            Assert.True(request.Headers.TryAddWithoutValidation("Range", range));
            using var response = await client.Http.SendAsync(request, Ct);
            var body = await response.Content.ReadAsByteArrayAsync(Ct);

            Assert.True(expected == response.StatusCode, $"Range: {range} answered {(int)response.StatusCode}");
            Assert.True(whole[first..(last + 1)].AsSpan().SequenceEqual(body), $"Range: {range} sent {body.Length} bytes");
            Assert.Equal(expected == HttpStatusCode.PartialContent ? $"bytes {first}-{last}/{length}" : null, response.Content.Headers.ContentRange?.ToString());
            Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        }
    }

    [Fact]
    public async Task A_well_formed_byte_range_that_lies_past_the_end_is_a_416_stating_the_length()
    {
        var (client, _, status) = await CompletedAsync("owner-7");
        using var _ = client;
        var url = status.GetProperty("download_url").GetString();
        var length = (await client.Http.GetByteArrayAsync(url, Ct)).Length;

        foreach (var range in new[] { $"bytes={length}-", $"bytes={length + 10}-{length + 20}", "bytes=-0" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Range", range);
            using var response = await client.Http.SendAsync(request, Ct);

            Assert.True(response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable, $"Range: {range} answered {(int)response.StatusCode}");
            Assert.Equal($"bytes */{length}", response.Content.Headers.ContentRange?.ToString());
        }
    }

    [Fact]
    public async Task The_list_is_the_callers_own_newest_first_paged_with_a_true_total()
    {
        using var client = ExportClient.For(stack, "lister");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await client.CreateAsync(Contacts, new { contact_uuids = new[] { DataSet.Contacts[i].Uuid } }));
        }

        var first = await client.Http.GetFromJsonAsync<JsonElement>("/api/v3/exports/?page_size=2", Ct);
        var second = await client.Http.GetFromJsonAsync<JsonElement>("/api/v3/exports/?page_size=2&page=2&status=pending", Ct);

        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal([ids[2], ids[1]], first.GetProperty("exports").EnumerateArray().Select(e => e.GetProperty("export_id").GetString()));
        Assert.Equal(2, first.GetProperty("next_page").GetInt32());
        Assert.Equal([ids[0]], second.GetProperty("exports").EnumerateArray().Select(e => e.GetProperty("export_id").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_page").ValueKind);
    }

    [Fact]
    public async Task Purging_files_is_for_administrators_and_removes_what_expired()
    {
        var (client, id, _) = await CompletedAsync("owner-6");
        using var _ = client;
        await stack.ExecuteAsync($"UPDATE user_exports SET expires_at = now() - interval '1 minute' WHERE export_id = '{id}'", Ct);
        using var admin = ExportClient.For(stack, "admin-user", "admin");

        using var refused = await client.Http.DeleteAsync("/api/v3/exports/files", Ct);
        using var purged = await admin.Http.DeleteAsync("/api/v3/exports/files", Ct);
        var body = await purged.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var gone = await client.Http.GetAsync($"/api/v3/exports/{id}/status", Ct);

        await Problems.AssertProblemAsync(refused, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.True(body.GetProperty("deleted_count").GetInt32() >= 1);
        Assert.Empty(Directory.GetFiles(stack.StoragePath, id + "*"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { Contacts, "{}", "contact_uuids" },
        { Contacts, """{"contact_uuids":["a0000000-0000-4000-8000-000000000000"],"query":{}}""", "query" },
        { Contacts, """{"contact_uuids":[]}""", "contact_uuids" },
        { Contacts, """{"contact_uuids":["not-a-uuid"]}""", "contact_uuids[0]" },
        { Contacts, """{"contact_uuids":[null]}""", "contact_uuids[0]" },
        { Contacts, """{"contact_uuids":["a0000000-0000-4000-8000-000000000000"],"columns":["contact_email","nope"]}""", "columns[1]" },
        { Contacts, """{"contact_uuids":["a0000000-0000-4000-8000-000000000000"],"columns":["contact_email","contact_email"]}""", "columns[1]" },
        { Contacts, """{"contact_uuids":["a0000000-0000-4000-8000-000000000000"],"columns":["../../etc/passwd"]}""", "columns[0]" },
        { Contacts, """{"query":{"limit":10}}""", "query.limit" },
        { Contacts, """{"query":{"select_columns":["uuid"]}}""", "query.select_columns" },
        { Contacts, """{"query":{"filters":{"and":[{"field":"nope","operator":"eq","value":1}]}}}""", "query.filters.and[0].field" },
        { Contacts, """{"query":{"sort_by":"title"}}""", "query.sort_by" },
        { Contacts, """{"nope":1}""", "" },
        { "/api/v3/exports/companies/export", """{"company_uuids":["a0000000-0000-4000-8000-000000000000"],"columns":["contact_email"]}""", "columns[0]" },
        { "/api/v3/exports/contacts/export/chunked", """{"chunks":[[],[]]}""", "chunks" },
        { "/api/v3/exports/contacts/export/chunked", """{"chunks":[["x"]]}""", "chunks[0][0]" },
        { "/api/v3/exports/contacts/export/chunked", """{}""", "chunks" },
        { Contacts, """{"contact_uuids":["a0000000-0000-4000-8000-000000000000"],"columns":["contact_email"," contact_uuid"]}""", "columns[1]" },
        { Contacts, """{"query":{},"columns":["contact_uuid "]}""", "columns[0]" },
        { "/api/v3/exports/companies/export", """{"company_uuids":["a0000000-0000-4000-8000-000000000000"],"columns":["\tcompany_name"]}""", "columns[0]" },
        { "/api/v3/exports/companies/export", """{"query":{},"columns":["company_uuid","company_name\u00A0"]}""", "columns[1]" },
        { "/api/v3/exports/contacts/export/chunked", """{"chunks":[["a0000000-0000-4000-8000-000000000000"]],"columns":[" contact_uuid"]}""", "columns[0]" },
    };

    [Theory]
    [InlineData(Contacts, "contact_uuids")]
    [InlineData("/api/v3/exports/companies/export", "company_uuids")]
    [InlineData("/api/v3/exports/contacts/export/chunked", "chunks")]
    public async Task A_column_name_with_white_space_around_it_is_refused_and_the_exact_name_offered(string route, string key)
    {
        using var client = ExportClient.For(stack, "spaced-columns");
        var column = key == "company_uuids" ? "company_uuid" : "contact_uuid";
        object uuids = key == "chunks" ? new[] { new[] { DataSet.Contacts[0].Uuid } } : new[] { DataSet.Contacts[0].Uuid };

        using var response = await client.Http.PostAsJsonAsync(route, new Dictionary<string, object> { [key] = uuids, ["columns"] = new[] { " " + column } }, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation);
        var error = Assert.Single(problem.GetProperty("errors").GetProperty("columns[0]").EnumerateArray()).GetString();
        Assert.Equal($"' {column}' has white space around it; column names are exact: '{column}'", error);
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_export_request_is_a_400_naming_the_field(string route, string body, string field)
    {
        using var client = ExportClient.For(stack, "bad-requester");

        using var response = await client.Http.PostAsync(route, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation);
        var errors = problem.GetProperty("errors");
        Assert.True(field.Length == 0 || errors.TryGetProperty(field, out _), $"expected an error on '{field}': {problem.GetRawText()}");
    }

    [Fact]
    public async Task Limits_are_stated_when_a_request_goes_over_them()
    {
        using var host = stack.WithWebHostBuilder(b => b
            .UseSetting("Exports:MaxUuids", "3").UseSetting("Exports:MaxRows", "100").UseSetting("Exports:MaxActivePerUser", "2"));
        using var client = new ExportClient(Tokens.Authorize(host.CreateClient(), "limited"));

        using var tooMany = await client.Http.PostAsJsonAsync(Contacts, new { contact_uuids = DataSet.Contacts.Take(4).Select(c => c.Uuid) }, Ct);
        using var tooBig = await client.Http.PostAsJsonAsync(Contacts, new { query = new { } }, Ct);
        await client.CreateAsync(Contacts, new { contact_uuids = new[] { DataSet.Contacts[0].Uuid } });
        await client.CreateAsync(Contacts, new { contact_uuids = new[] { DataSet.Contacts[1].Uuid } });
        using var busy = await client.Http.PostAsJsonAsync(Contacts, new { contact_uuids = new[] { DataSet.Contacts[2].Uuid } }, Ct);

        Assert.Contains("at most 3 uuids", (await Problems.AssertProblemAsync(tooMany, HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("at most 100", (await Problems.AssertProblemAsync(tooBig, HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var problem = await Problems.AssertProblemAsync(busy, HttpStatusCode.TooManyRequests, ProblemTypes.TooManyRequests);
        Assert.Contains("Exports:MaxActivePerUser", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(busy.Headers.RetryAfter);
    }

    [Fact]
    public async Task An_export_of_the_most_uuids_allowed_fits_its_body_limit_and_is_accepted()
    {
        var max = new ExportOptions().MaxUuids;
        using var client = ExportClient.For(stack, "bulk-analyst");
        var uuids = DistinctUuids(max);

        var id = await client.CreateAsync(Contacts, new { contact_uuids = uuids });
        var status = await client.StatusAsync(id);
        using var cancel = await client.Http.DeleteAsync($"/api/v3/exports/{id}/cancel", Ct);

        Assert.Equal(max, status.GetProperty("total_records").GetInt32());
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
    }

    [Fact]
    public async Task On_the_real_server_too_an_export_of_the_most_uuids_allowed_is_accepted_and_a_larger_body_refused()
    {
        await using var kestrel = await BackendProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings:Backend"] = stack.ConnectionString,
            ["Connectra:BaseUrl"] = stack.Connectra.Url.ToString(),
            ["Connectra:ApiKey"] = BackendFactory.ConnectraApiKey,
            ["Exports:WorkerEnabled"] = "false",
            ["Exports:StoragePath"] = stack.StoragePath,
        }, Ct);
        using var client = new ExportClient(Tokens.Authorize(kestrel.CreateClient(), "kestrel-analyst"));
        var max = new ExportOptions().MaxUuids;
        var uuids = DistinctUuids(max);

        var id = await client.CreateAsync(Contacts, new { contact_uuids = uuids });
        using var cancel = await client.Http.DeleteAsync($"/api/v3/exports/{id}/cancel", Ct);
        // Asks before sending, as a well-behaved client does: the server refuses from the length alone, while a body
        // pushed regardless would meet a closed connection.
        using var tooLarge = await client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, Contacts)
        {
            Headers = { ExpectContinue = true },
            Content = new StringContent("{\"x\":\"" + new string('x', (int)RequestLimits.Default.MaxLargeBodyBytes) + "\"}", System.Text.Encoding.UTF8, "application/json"),
        }, Ct);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var problem = await Problems.AssertProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("Limits:MaxLargeBodyBytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escaped.csv")]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/dir.csv")]
    [InlineData("..")]
    [InlineData(" ")]
    public async Task Export_storage_refuses_a_name_that_would_leave_its_folder(string name)
    {
        var storage = stack.Services.GetRequiredService<IExportStorage>();
        var outside = Path.GetFullPath(Path.Combine(stack.StoragePath, "..", "escaped.csv"));

        await Assert.ThrowsAsync<ArgumentException>(() => storage.OpenAppendAsync(name, 0, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.OpenReadAsync(name, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.LengthAsync(name, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.DeleteAsync(name, Ct));
        Assert.False(File.Exists(outside));
        Assert.True(File.Exists("/etc/passwd"));
    }

    /// <summary>As many well-formed uuids as asked, none of them a record's.</summary>
    private static List<string> DistinctUuids(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Guid(i, 0, 0x4000, new byte[8]).ToString("D"))];
}
