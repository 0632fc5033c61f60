using System.Net.Http.Json;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.Exports;
using Connectra.Backend.FunctionalTests.Importing;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.FunctionalTests.Writes;

namespace Connectra.Backend.FunctionalTests.Faults;

/// <summary>
/// A replica SIGKILLed in the middle of its work, then a replica started again: no job is left "processing", no
/// outbox row is lost, no imported row is lost or applied twice, and nothing is done twice in a way a reader could see.
/// </summary>
[Collection(FaultTestGroup.Name)]
public sealed class ProcessKillTests(FaultHost stack)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_dispatcher_killed_mid_batch_loses_and_doubles_nothing_once_a_replica_restarts()
    {
        using var writer = stack.Writer();
        using var reader = stack.Reader();
        var tag = "killed" + Guid.NewGuid().ToString("N")[..10];
        const int written = 150; // two batches
        var uuids = new List<string>();
        for (var i = 0; i < written; i++)
        {
            uuids.Add((await WriteHost.CreateAsync(writer, "contacts", $$"""{"last_name":"{{tag}}","first_name":"K{{i}}"}""")).Uuid);
        }

        // The first batch is delivered; the second reaches Connectra but its answer never comes back.
        var forward = FakeConnectra.Forward(stack.Connectra.EmulatorUrl);
        var batches = 0;
        var midBatch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stack.Connectra.Proxy.Behaviour = async context =>
        {
            if (!context.Request.Path.Value!.EndsWith("/contacts/batch-upsert", StringComparison.Ordinal) || Interlocked.Increment(ref batches) == 1)
            {
                await forward(context);
                return;
            }

            await forward(new DiscardingContext(context).Context);
            midBatch.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };

        try
        {
            await using (var doomed = await BackendProcess.StartAsync(stack.ReplicaSettings(outbox: true, exports: false), Ct))
            {
                await midBatch.Task.WaitAsync(Recovery, Ct);
                await doomed.KillAsync();
            }

            Assert.True(await stack.ScalarAsync($"SELECT count(*) FROM connectra_outbox WHERE delivered_at IS NULL AND uuid IN ({InList(uuids)})", Ct) > 0,
                "the kill came after the batch was marked delivered; the test proves nothing");
        }
        finally
        {
            stack.Connectra.Plug();
        }

        await using var restarted = await BackendProcess.StartAsync(stack.ReplicaSettings(outbox: true, exports: false), Ct);
        Assert.True(await WriteHost.EventuallyAsync(async () =>
            await stack.ScalarAsync($"SELECT count(*) FROM connectra_outbox WHERE delivered_at IS NULL AND uuid IN ({InList(uuids)})", Ct) == 0,
            Recovery, Ct), $"outbox rows were left behind:\n{restarted.Output}");
        Assert.Equal(written, await FaultHost.CountAsync(reader, "last_name", tag, Ct));
        for (var i = 0; i < written; i++)
        {
            var contact = await reader.GetFromJsonAsync<JsonElement>($"/api/v3/contacts/{uuids[i]}/", Ct);
            Assert.Equal($"K{i}", contact.GetProperty("first_name").GetString());
        }
    }

    [Fact]
    public async Task An_export_worker_killed_mid_job_leaves_no_job_processing_and_its_file_holds_every_row_once()
    {
        using var analyst = new ExportClient(stack.Reader());
        var expected = await FaultHost.CountAsync(analyst.Http, "city", "lyon", Ct);
        var exportId = await analyst.CreateAsync("/api/v3/exports/contacts/export", new { query = FaultHost.EqualsFilter("city", "lyon") });

        // Slow Connectra down so the job is still running when the kill comes.
        stack.Connectra.Proxy.Behaviour = FakeConnectra.Delayed(FakeConnectra.Forward(stack.Connectra.EmulatorUrl), TimeSpan.FromMilliseconds(150));
        try
        {
            await using var doomed = await BackendProcess.StartAsync(stack.ReplicaSettings(outbox: false, exports: true), Ct);
            var progress = await analyst.WaitForProgressAsync(exportId, rows: 200);
            await doomed.KillAsync();
            var stopped = await analyst.StatusAsync(exportId);
            Assert.True(stopped.GetProperty("status").GetString() == "processing" && stopped.GetProperty("records_processed").GetInt64() < expected,
                $"the job was not mid-way when its worker died: {stopped.GetRawText()}\n{doomed.Output}");
            Assert.True(progress.GetProperty("records_processed").GetInt64() >= 200);
        }
        finally
        {
            stack.Connectra.Plug();
        }

        await using var restarted = await BackendProcess.StartAsync(stack.ReplicaSettings(outbox: false, exports: true), Ct);
        var status = await analyst.WaitAsync(exportId, Recovery);
        Assert.True(status.GetProperty("status").GetString() == "completed", $"{status.GetRawText()}\n{restarted.Output}");
        Assert.Equal(expected, status.GetProperty("records_processed").GetInt64());
        var (_, rows, _) = await analyst.DownloadAsync(exportId);
        Assert.Equal(expected, rows.Count);
        Assert.Equal(expected, rows.Select(r => r[0]).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task An_export_killed_mid_job_resumes_each_sampled_stream_between_the_bounds_its_checkpoint_recorded()
    {
        using var analyst = new ExportClient(stack.Reader());
        var expected = await FaultHost.CountAsync(analyst.Http, "city", "lyon", Ct);
        var exportId = await analyst.CreateAsync("/api/v3/exports/contacts/export", new { query = FaultHost.EqualsFilter("city", "lyon"), columns = new[] { "contact_uuid", "contact_metadata_city" } });
        var bounds = $"SELECT coalesce(json_array_length((checkpoint::json)->'bounds'), 0) FROM user_exports WHERE export_id = '{exportId}'";
        var streamsStarted = $"SELECT count(*) FROM user_exports, json_array_elements((checkpoint::json)->'streams') s WHERE export_id = '{exportId}' AND (s->>'rows')::int > 0";

        stack.Connectra.Proxy.Behaviour = FakeConnectra.Delayed(FakeConnectra.Forward(stack.Connectra.EmulatorUrl), TimeSpan.FromMilliseconds(150));
        long recordedBounds;
        try
        {
            await using var doomed = await BackendProcess.StartAsync(stack.ReplicaSettings(outbox: false, exports: true), Ct);
            await analyst.WaitForProgressAsync(exportId, rows: 300);
            await doomed.KillAsync();
            recordedBounds = await stack.ScalarAsync(bounds, Ct);
            Assert.True(recordedBounds >= 2, $"the checkpoint recorded {recordedBounds} bounds: the walk was not cut into streams\n{doomed.Output}");
            Assert.True(await stack.ScalarAsync(streamsStarted, Ct) >= 2, "fewer than two streams had rows when the worker died: resuming proves little");
        }
        finally
        {
            stack.Connectra.Plug();
        }

        await using var restarted = await BackendProcess.StartAsync(stack.ReplicaSettings(outbox: false, exports: true), Ct);
        var status = await analyst.WaitAsync(exportId, Recovery);
        Assert.True(status.GetProperty("status").GetString() == "completed", $"{status.GetRawText()}\n{restarted.Output}");
        var (_, rows, _) = await analyst.DownloadAsync(exportId);
        Assert.Equal(expected, rows.Count);
        Assert.Equal(expected, rows.Select(r => r[0]).Distinct(StringComparer.Ordinal).Count());
        // The parts are joined in stream order: one uuid order across every bound.
        Assert.Equal(rows.Select(r => r[0]).Order(StringComparer.Ordinal), rows.Select(r => r[0]));
    }

    [Fact]
    public async Task An_import_worker_killed_mid_job_resumes_after_its_last_batch_and_applies_no_row_twice()
    {
        const int rows = 1_500;
        var tag = "killimport" + Guid.NewGuid().ToString("N")[..8];
        using var importer = new ImportClient(stack.Writer());
        var importId = await importer.StartAsync("contacts", ImportRoundTripTests.Contacts(tag, rows));

        await using (var doomed = await BackendProcess.StartAsync(stack.ReplicaSettings(outbox: false, exports: false, imports: true), Ct))
        {
            Assert.True(await WriteHost.EventuallyAsync(async () => (await importer.StatusAsync(importId)).GetProperty("rows_read").GetInt32() >= 200, Recovery, Ct),
                $"the import made no progress:\n{doomed.Output}");
            await doomed.KillAsync();
        }

        var stopped = await importer.StatusAsync(importId);
        Assert.True(stopped.GetProperty("status").GetString() == "processing" && stopped.GetProperty("rows_read").GetInt32() < rows,
            $"the job was not mid-way when its worker died: {stopped.GetRawText()}");

        await using var restarted = await BackendProcess.StartAsync(stack.ReplicaSettings(outbox: false, exports: false, imports: true), Ct);
        var status = await importer.WaitAsync(importId, Recovery);
        Assert.True(status.GetProperty("status").GetString() == "completed", $"{status.GetRawText()}\n{restarted.Output}");
        Assert.Equal((rows, rows, 0, 0, 0), (ImportClient.Count(status, "rows_read"), ImportClient.Count(status, "created"),
            ImportClient.Count(status, "updated"), ImportClient.Count(status, "unchanged"), ImportClient.Count(status, "failed")));
        Assert.Equal(rows, await stack.ScalarAsync($"SELECT count(*) FROM contacts WHERE last_name = '{tag}'", Ct));
        // Written once each: version 1, one message for Connectra.
        Assert.Equal(0, await stack.ScalarAsync($"SELECT count(*) FROM contacts WHERE last_name = '{tag}' AND version <> 1", Ct));
        Assert.Equal(rows, await stack.ScalarAsync($"SELECT count(*) FROM connectra_outbox o JOIN contacts c ON c.uuid = o.uuid WHERE c.last_name = '{tag}'", Ct));
    }

    private static string InList(IEnumerable<string> uuids) => string.Join(',', uuids.Select(u => $"'{u}'"));
}
