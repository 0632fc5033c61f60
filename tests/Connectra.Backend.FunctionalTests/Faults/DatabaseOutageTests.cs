using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.EndToEnd;
using Connectra.Backend.FunctionalTests.Exports;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.FunctionalTests.Writes;

namespace Connectra.Backend.FunctionalTests.Faults;

/// <summary>
/// PostgreSQL stopped (as by a crash) under traffic and started again, with the API and its workers left running:
/// reads never notice, everything that needs the database answers 503 and recovers by itself, and nothing that was
/// committed before the stop is lost.
/// </summary>
[Collection(FaultTestGroup.Name)]
public sealed class DatabaseOutageTests(FaultHost stack)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_carry_on_while_the_database_is_down_and_what_was_committed_before_goes_through_after()
    {
        await using var replica = stack.StartWorkerReplica();
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        using var analyst = new ExportClient(stack.Reader());
        var tag = "pgdown" + Guid.NewGuid().ToString("N")[..10];
        var known = DataSet.Contacts[0];

        // A finished export, to download while the database is down.
        var finished = await analyst.CreateAsync("/api/v3/exports/contacts/export", new { contact_uuids = new[] { known.Uuid } });
        var downloadUrl = (await analyst.WaitAsync(finished)).GetProperty("download_url").GetString()!;

        // Committed, but not yet delivered: Connectra refuses writes for now, and reads slowly, so the outbox row
        // waits and the export is still running when the database stops.
        var forward = FakeConnectra.Forward(stack.Connectra.EmulatorUrl);
        var slow = FakeConnectra.Delayed(forward, TimeSpan.FromMilliseconds(100));
        var refuse = FakeConnectra.Status(503);
        stack.Connectra.Proxy.Behaviour = context =>
            context.Request.Path.Value!.EndsWith("/batch-upsert", StringComparison.Ordinal) ? refuse(context) : slow(context);
        var (pending, _) = await WriteHost.CreateAsync(writer, "contacts", $$"""{"last_name":"{{tag}}","first_name":"before"}""");
        var lyon = await analyst.CreateAsync("/api/v3/exports/contacts/export", new { query = FaultHost.EqualsFilter("city", "lyon") });
        var progress = await analyst.WaitForProgressAsync(lyon, rows: 100);
        Assert.True(progress.GetProperty("status").GetString() == "processing", progress.GetRawText());

        await stack.Postgres.StopAsync(Ct);
        try
        {
            using (var query = await reader.PostAsJsonAsync("/api/v3/contacts/query", FaultHost.EqualsFilter("last_name", known.LastName!), Ct))
            {
                Assert.Equal(HttpStatusCode.OK, query.StatusCode);
            }

            using (var detail = await reader.GetAsync($"/api/v3/contacts/{known.Uuid}/", Ct))
            {
                Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
            }

            Assert.True(await FaultHost.CountAsync(reader, "city", "lyon", Ct) >= FaultHost.LyonContacts);

            await AssertDatabaseUnavailableAsync(await writer.PostAsync("/api/v3/contacts/", WriteHost.Body($$"""{"last_name":"{{tag}}"}"""), Ct));
            await AssertDatabaseUnavailableAsync(await writer.PatchAsync($"/api/v3/contacts/{pending}/", WriteHost.Body("""{"title":"CTO"}"""), Ct));
            await AssertDatabaseUnavailableAsync(await writer.DeleteAsync($"/api/v3/contacts/{pending}/", Ct));
            await AssertDatabaseUnavailableAsync(await analyst.Http.PostAsJsonAsync("/api/v3/exports/contacts/export", new { contact_uuids = new[] { known.Uuid } }, Ct));
            await AssertDatabaseUnavailableAsync(await analyst.Http.GetAsync($"/api/v3/exports/{lyon}/status", Ct));
            await AssertDatabaseUnavailableAsync(await analyst.Http.GetAsync("/api/v3/exports/", Ct));
            await AssertDatabaseUnavailableAsync(await analyst.Http.GetAsync(downloadUrl, Ct));
            using (var health = await reader.GetAsync("/health/db", Ct))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            }
        }
        finally
        {
            await stack.Postgres.StartAsync(Ct);
            stack.Connectra.Plug();
        }

        // The API, the dispatcher and the export worker find the database again by themselves.
        string? after = null;
        Assert.True(await WriteHost.EventuallyAsync(async () =>
        {
            using var response = await writer.PostAsync("/api/v3/contacts/", WriteHost.Body($$"""{"last_name":"{{tag}}","first_name":"after"}"""), Ct);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return false;
            }

            after = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("uuid").GetString();
            return true;
        }, Recovery, Ct), "writes did not recover after the database came back");

        Assert.True(await WriteHost.EventuallyAsync(async () => await FaultHost.CountAsync(reader, "last_name", tag, Ct) == 2, Recovery, Ct),
            "a write committed before or after the outage never reached Connectra");
        var found = await reader.GetFromJsonAsync<JsonElement>($"/api/v3/contacts/{pending}/", Ct);
        Assert.Equal("before", found.GetProperty("first_name").GetString());
        Assert.NotNull(after);

        var expected = await FaultHost.CountAsync(reader, "city", "lyon", Ct);
        var status = await analyst.WaitAsync(lyon, Recovery);
        Assert.True(status.GetProperty("status").GetString() == "completed", status.GetRawText());
        var (_, rows, _) = await analyst.DownloadAsync(lyon);
        Assert.Equal(expected, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r[0]).Distinct(StringComparer.Ordinal).Count());

        using var download = await analyst.Http.GetAsync(downloadUrl, Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.True(await WriteHost.EventuallyAsync(async () =>
            await stack.ScalarAsync("SELECT count(*) FROM connectra_outbox WHERE delivered_at IS NULL", Ct) == 0, Recovery, Ct));
    }

    private static async Task AssertDatabaseUnavailableAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable,
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("database", text, StringComparison.OrdinalIgnoreCase);
            Assert.True(response.Headers.RetryAfter is not null, "a 503 says when to try again");
        }
    }
}
