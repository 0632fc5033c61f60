using System.Net;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.UnitTests.Exports;

namespace Connectra.Backend.FunctionalTests.Exports;

/// <summary>An analyst's side of the export routes: ask, poll, download, read the CSV.</summary>
public sealed class ExportClient(HttpClient http) : IDisposable
{
    private static readonly string[] Terminal = ["completed", "failed", "cancelled"];

    public HttpClient Http => http;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static ExportClient For(ExportHost stack, string user = "analyst", params string[] roles) =>
        new(Tokens.Authorize(stack.CreateClient(), user, roles));

    /// <summary>Posts an export request and returns the new export's id (asserting 201).</summary>
    public async Task<string> CreateAsync(string route, object body)
    {
        using var response = await http.PostAsJsonAsync(route, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{route}: {(int)response.StatusCode} {text}");
        Assert.NotNull(response.Headers.Location);
        return ExportHost.Json(text).GetProperty("export_id").GetString()!;
    }

    public async Task<JsonElement> StatusAsync(string exportId) =>
        await http.GetFromJsonAsync<JsonElement>($"/api/v3/exports/{exportId}/status", Ct);

    /// <summary>Polls until the export is completed, failed or cancelled (or the time is up).</summary>
    public async Task<JsonElement> WaitAsync(string exportId, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var status = await StatusAsync(exportId);
            if (Terminal.Contains(status.GetProperty("status").GetString()) || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(100, Ct);
        }
    }

    /// <summary>Polls until the export has written at least one checkpointed row.</summary>
    public async Task<JsonElement> WaitForProgressAsync(string exportId, int rows = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var status = await StatusAsync(exportId);
            if (status.GetProperty("records_processed").GetInt32() >= rows || status.GetProperty("status").GetString() != "pending" && status.GetProperty("status").GetString() != "processing" || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(20, Ct);
        }
    }

    /// <summary>Waits for completion and downloads the file through its status's URL.</summary>
    public async Task<(IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows, byte[] Bytes)> DownloadAsync(string exportId)
    {
        var status = await WaitAsync(exportId);
        Assert.True(status.GetProperty("status").GetString() == "completed", status.GetRawText());
        using var response = await http.GetAsync(status.GetProperty("download_url").GetString(), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var (header, rows) = Read(bytes);
        return (header, rows, bytes);
    }

    /// <summary>The file read strictly as RFC 4180: a file that is not fails the test.</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows) Read(byte[] bytes)
    {
        var records = StrictCsv.Parse(bytes);
        return (records[0], records.Skip(1).ToList());
    }

    public void Dispose() => http.Dispose();
}
