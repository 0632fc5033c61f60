using Connectra.Backend.Application.Exports;
using Connectra.Backend.FunctionalTests.EndToEnd;
using Connectra.Backend.FunctionalTests.Exports;

namespace Connectra.Backend.FunctionalTests.Metrics;

/// <summary>
/// Export throughput, read from the worker replica's own meters. Jobs other tests of the collection left pending may
/// be run by the same worker, so counts are "at least" what this test asked for.
/// </summary>
[Collection(ExportTestGroup.Name)]
public sealed class ExportMetricsTests(ExportHost stack) : IAsyncLifetime
{
    private const string Contacts = "/api/v3/exports/contacts/export";

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
    public async Task Rows_written_and_jobs_completed_are_counted_by_the_replica_that_ran_them()
    {
        using var worker = stack.StartWorker();
        using var meters = new HostMeters(worker.Services);
        using var client = ExportClient.For(stack);
        string[] uuids = [DataSet.Contacts[1].Uuid!, DataSet.Contacts[3].Uuid!, DataSet.Contacts[4].Uuid!, "a0ffff09-0000-4000-8000-000000ffff09"];

        var id = await client.CreateAsync(Contacts, new { contact_uuids = uuids });
        var status = await client.WaitAsync(id);

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.True(meters.Sum("exports.rows") >= 3);
        Assert.True(meters.Sum("exports.jobs.finished", ("result", ExportMetrics.Completed)) >= 1);
    }

    [Fact]
    public async Task A_job_that_fails_is_counted_as_failed()
    {
        using var worker = stack.StartWorker();
        using var meters = new HostMeters(worker.Services);
        using var client = ExportClient.For(stack);
        stack.Unplug();

        var id = await client.CreateAsync(Contacts, new { contact_uuids = new[] { DataSet.Contacts[6].Uuid } });
        var status = await client.WaitAsync(id);

        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.True(meters.Sum("exports.jobs.finished", ("result", ExportMetrics.Failed)) >= 1);
    }
}
