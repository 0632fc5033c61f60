using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Connectra.Backend.FunctionalTests.Writes;

/// <summary>Writes through the API, read back only through the public read routes (Connectra via the outbox).</summary>
[Collection(WriteTestGroup.Name)]
public sealed class WriteRoundTripTests(WriteHost stack)
{
    private static readonly TimeSpan Visible = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Tag() => "t" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task A_created_contact_is_found_by_the_query_route_within_five_seconds()
    {
        using var writer = stack.Writer();
        var tag = Tag();

        using var created = await writer.PostAsync("/api/v3/contacts/", WriteHost.Body($$$"""
            {"first_name":"Ada","last_name":"{{{tag}}}","email":"Ada@Example.com","title":"Engineer","seniority":"senior",
             "departments":["Engineering"],"metadata":{"city":"lyon","linkedin_url":"https://linkedin.com/in/{{{tag}}}"}}
            """), Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var record = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var uuid = record.GetProperty("uuid").GetString()!;
        Assert.Equal($"/api/v3/contacts/{uuid}/", created.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag!.ToString());
        Assert.Equal("ada@example.com", record.GetProperty("email").GetString());
        Assert.Equal(["engineering"], record.GetProperty("departments").EnumerateArray().Select(d => d.GetString()));

        using var reader = stack.Reader();
        Assert.True(await WriteHost.EventuallyAsync(async () =>
        {
            var (status, page) = await WriteHost.QueryAsync(reader, "contacts", "last_name", tag, Ct);
            return status == HttpStatusCode.OK && page.GetProperty("results").EnumerateArray().Any(c => c.GetProperty("uuid").GetString() == uuid);
        }, Visible, Ct), "the new contact never appeared in /contacts/query");

        var detail = await reader.GetFromJsonAsync<JsonElement>($"/api/v3/contacts/{uuid}/", Ct);
        Assert.Equal("Ada", detail.GetProperty("first_name").GetString());
        Assert.Equal("ada@example.com", detail.GetProperty("email").GetString());
        Assert.Equal("senior", detail.GetProperty("seniority").GetString());
        Assert.Equal("lyon", detail.GetProperty("city").GetString());
        Assert.Equal($"https://linkedin.com/in/{tag}", detail.GetProperty("person_linkedin_url").GetString());
    }

    [Fact]
    public async Task An_update_is_searchable_and_a_cleared_field_is_gone()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        var tag = Tag();
        var (uuid, etag) = await WriteHost.CreateAsync(writer, "contacts", $$$"""{"last_name":"{{{tag}}}","title":"Engineer","metadata":{"city":"lyon"}}""");
        Assert.True(await SeenAsync(reader, "contacts", "last_name", tag, uuid));

        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v3/contacts/{uuid}/")
        {
            Content = WriteHost.Body("""{"title":"Director","metadata":{"city":null}}""", "application/merge-patch+json"),
        };
        patch.Headers.IfMatch.ParseAdd(etag);
        using var patched = await writer.SendAsync(patch, Ct);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("\"2\"", patched.Headers.ETag!.ToString());
        var record = await patched.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Director", record.GetProperty("title").GetString());
        Assert.Equal(tag, record.GetProperty("last_name").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("metadata").GetProperty("city").ValueKind);
        Assert.True(await WriteHost.EventuallyAsync(async () =>
        {
            var (_, page) = await WriteHost.QueryAsync(reader, "contacts", "title", "Director", Ct);
            return page.GetProperty("results").EnumerateArray().Any(c => c.GetProperty("uuid").GetString() == uuid
                && c.GetProperty("city").ValueKind == JsonValueKind.Null);
        }, Visible, Ct), "the new title never became searchable");
    }

    [Fact]
    public async Task A_company_update_reaches_the_copies_its_contacts_are_filtered_by()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        var tag = Tag();
        var (company, _) = await WriteHost.CreateAsync(writer, "companies", $$$"""{"name":"Acme {{{tag}}}","metadata":{"city":"old{{{tag}}}"}}""");
        var contacts = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            contacts.Add((await WriteHost.CreateAsync(writer, "contacts", $$"""{"last_name":"{{tag}}","company_id":"{{company}}"}""")).Uuid);
        }

        Assert.True(await CountIsAsync(reader, "contacts", "company_city", $"old{tag}", 3), "contacts never carried their company's city");

        using var patched = await writer.PatchAsync($"/api/v3/companies/{company}/", WriteHost.Body($$$"""{"metadata":{"city":"new{{{tag}}}"}}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        Assert.True(await CountIsAsync(reader, "contacts", "company_city", $"new{tag}", 3), "the contacts' copies never followed the company");
        Assert.True(await CountIsAsync(reader, "contacts", "company_city", $"old{tag}", 0), "the old copies stayed searchable");
        var (_, page) = await WriteHost.QueryAsync(reader, "contacts", "last_name", tag, Ct);
        Assert.All(page.GetProperty("results").EnumerateArray(), c => Assert.Equal($"new{tag}", c.GetProperty("company_city").GetString()));
    }

    [Fact]
    public async Task A_deleted_contact_leaves_every_read_and_can_be_created_again()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        var tag = Tag();
        var uuid = Guid.NewGuid().ToString();
        var body = $$"""{"uuid":"{{uuid}}","last_name":"{{tag}}","email_status":"verified"}""";
        await WriteHost.CreateAsync(writer, "contacts", body);
        Assert.True(await SeenAsync(reader, "contacts", "last_name", tag, uuid));

        using (var deleted = await writer.DeleteAsync($"/api/v3/contacts/{uuid}/", Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.True(await CountIsAsync(reader, "contacts", "last_name", tag, 0), "the deleted contact stayed searchable");
        using (var detail = await reader.GetAsync($"/api/v3/contacts/{uuid}/", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, detail.StatusCode);
        }

        using (var count = await reader.PostAsJsonAsync("/api/v3/contacts/count",
            new { filters = new { and = new[] { new { field = "last_name", @operator = "eq", value = tag } } } }, Ct))
        {
            Assert.Equal(0, (await count.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("count").GetInt64());
        }

        using (var again = await writer.DeleteAsync($"/api/v3/contacts/{uuid}/", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        using (var patch = await writer.PatchAsync($"/api/v3/contacts/{uuid}/", WriteHost.Body("""{"title":"x"}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        }

        using (var recreated = await writer.PostAsync("/api/v3/contacts/", WriteHost.Body(body), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, recreated.StatusCode);
            Assert.Equal("\"3\"", recreated.Headers.ETag!.ToString());
        }

        Assert.True(await SeenAsync(reader, "contacts", "last_name", tag, uuid), "the contact created again never came back");
    }

    [Fact]
    public async Task A_deleted_company_leaves_reads_and_its_contacts_stop_showing_it()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        var tag = Tag();
        var (company, _) = await WriteHost.CreateAsync(writer, "companies", $$$"""{"name":"Gone {{{tag}}}","metadata":{"city":"c{{{tag}}}"}}""");
        var (contact, _) = await WriteHost.CreateAsync(writer, "contacts", $$"""{"last_name":"{{tag}}","company_id":"{{company}}"}""");
        Assert.True(await CountIsAsync(reader, "contacts", "company_city", $"c{tag}", 1));

        using (var deleted = await writer.DeleteAsync($"/api/v3/companies/{company}/", Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.True(await CountIsAsync(reader, "companies", "name", $"Gone {tag}", 0), "the deleted company stayed searchable");
        Assert.True(await CountIsAsync(reader, "contacts", "company_city", $"c{tag}", 0), "contacts kept the deleted company's copy");
        using (var detail = await reader.GetAsync($"/api/v3/companies/{company}/", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, detail.StatusCode);
        }

        var person = await reader.GetFromJsonAsync<JsonElement>($"/api/v3/contacts/{contact}/", Ct);
        Assert.Equal(JsonValueKind.Null, person.GetProperty("company_detail").ValueKind);
        Assert.Equal(JsonValueKind.Null, person.GetProperty("company").ValueKind);

        // A deleted company can no longer be named by a contact.
        using var orphan = await writer.PostAsync("/api/v3/contacts/", WriteHost.Body($$"""{"company_id":"{{company}}"}"""), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, orphan.StatusCode);
    }

    [Fact]
    public async Task Create_with_a_client_uuid_is_idempotent_and_refuses_other_values()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        var tag = Tag();
        var uuid = Guid.NewGuid().ToString().ToUpperInvariant();
        var body = $$"""{"uuid":"{{uuid}}","last_name":"{{tag}}","title":"Engineer"}""";

        using var first = await writer.PostAsync("/api/v3/contacts/", WriteHost.Body(body), Ct);
        using var second = await writer.PostAsync("/api/v3/contacts/", WriteHost.Body(body), Ct);
        using var other = await writer.PostAsync("/api/v3/contacts/", WriteHost.Body(body.Replace("Engineer", "Pilot", StringComparison.Ordinal)), Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("\"1\"", second.Headers.ETag!.ToString());
        Assert.Equal(uuid.ToLowerInvariant(), (await second.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("uuid").GetString());
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType!.MediaType);
        Assert.True(await CountIsAsync(reader, "contacts", "last_name", tag, 1));
    }

    [Fact]
    public async Task The_same_create_sent_at_once_many_times_stores_one_record()
    {
        using var writer = stack.Writer();
        var uuid = Guid.NewGuid().ToString();
        var body = $$$"""{"uuid":"{{{uuid}}}","last_name":"{{Tag()}}"}""";

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await writer.PostAsync("/api/v3/contacts/", WriteHost.Body(body), Ct);
            return response.StatusCode;
        }));

        Assert.Equal(1, answers.Count(s => s == HttpStatusCode.Created));
        Assert.All(answers, s => Assert.Contains(s, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.Equal(1, await stack.ScalarAsync($"SELECT count(*) FROM contacts WHERE uuid = '{uuid}'", Ct));
    }

    [Fact]
    public async Task Concurrent_updates_never_lose_one_silently()
    {
        using var writer = stack.Writer();
        var (uuid, etag) = await WriteHost.CreateAsync(writer, "contacts", $$$"""{"last_name":"{{Tag()}}"}""");

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var response = await writer.PatchAsync($"/api/v3/contacts/{uuid}/", WriteHost.Body($$"""{"title":"Title {{i}}"}"""), Ct);
            return response.StatusCode;
        }));

        Assert.All(answers, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var won = answers.Count(s => s == HttpStatusCode.OK);
        Assert.InRange(won, 1, 10);
        Assert.Equal(1 + won, await stack.ScalarAsync($"SELECT version FROM contacts WHERE uuid = '{uuid}'", Ct));

        // A stale ETag is refused, the current one accepted.
        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v3/contacts/{uuid}/") { Content = WriteHost.Body("""{"title":"Late"}""") };
        stale.Headers.IfMatch.ParseAdd(etag);
        using var refused = await writer.SendAsync(stale, Ct);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);

        using var fresh = new HttpRequestMessage(HttpMethod.Put, $"/api/v3/contacts/{uuid}/") { Content = WriteHost.Body("""{"title":"Late"}""") };
        fresh.Headers.IfMatch.ParseAdd($"\"{1 + won}\"");
        using var accepted = await writer.SendAsync(fresh, Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal($"\"{2 + won}\"", accepted.Headers.ETag!.ToString());
    }

    private static Task<bool> SeenAsync(HttpClient reader, string entity, string field, string value, string uuid) =>
        WriteHost.EventuallyAsync(async () =>
        {
            var (status, page) = await WriteHost.QueryAsync(reader, entity, field, value, Ct);
            return status == HttpStatusCode.OK && page.GetProperty("results").EnumerateArray().Any(r => r.GetProperty("uuid").GetString() == uuid);
        }, Visible, Ct);

    private static Task<bool> CountIsAsync(HttpClient reader, string entity, string field, string value, int expected) =>
        WriteHost.EventuallyAsync(async () =>
        {
            var (status, page) = await WriteHost.QueryAsync(reader, entity, field, value, Ct);
            return status == HttpStatusCode.OK && page.GetProperty("results").GetArrayLength() == expected;
        }, Visible, Ct);
}
