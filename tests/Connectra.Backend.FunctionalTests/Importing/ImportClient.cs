using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.UnitTests.Exports;

namespace Connectra.Backend.FunctionalTests.Importing;

/// <summary>A data team's side of the import routes: upload, poll, read the errors.</summary>
public sealed class ImportClient(HttpClient http) : IDisposable
{
    private static readonly string[] Terminal = ["completed", "failed", "cancelled"];

    public HttpClient Http => http;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static ImportClient For(BackendFactory host, string user = "importer", string role = "writer") =>
        new(Tokens.Authorize(host.CreateClient(), user, role));

    /// <summary>Uploads a raw text/csv body with options as query parameters; the answer as it came.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(string entity, byte[] file, string query = "", string contentType = "text/csv")
    {
        using var content = new ByteArrayContent(file);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await http.PostAsync($"/api/v3/imports/{entity}{(query.Length > 0 ? "?" + query : "")}", content, Ct);
        return (response.StatusCode, await BodyAsync(response));
    }

    /// <summary>Uploads as multipart/form-data: a file part and, when given, an options part.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> UploadPartsAsync(string entity, byte[]? file, string? options)
    {
        using var form = new MultipartFormDataContent();
        if (options is not null)
        {
            form.Add(new StringContent(options, Encoding.UTF8, "application/json"), "options");
        }

        if (file is not null)
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(part, "file", "contacts.csv");
        }

        using var response = await http.PostAsync($"/api/v3/imports/{entity}", form, Ct);
        return (response.StatusCode, await BodyAsync(response));
    }

    /// <summary>Uploads and returns the new import's id (asserting 201).</summary>
    public async Task<string> StartAsync(string entity, byte[] file, string query = "")
    {
        var (status, body) = await UploadAsync(entity, file, query);
        Assert.True(status == HttpStatusCode.Created, $"{(int)status} {body.GetRawText()}");
        return body.GetProperty("import_id").GetString()!;
    }

    public async Task<JsonElement> StatusAsync(string importId) =>
        await http.GetFromJsonAsync<JsonElement>($"/api/v3/imports/{importId}", Ct);

    /// <summary>Polls until the import is completed, failed or cancelled.</summary>
    public async Task<JsonElement> WaitAsync(string importId, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var status = await StatusAsync(importId);
            if (Terminal.Contains(status.GetProperty("status").GetString()) || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(50, Ct);
        }
    }

    /// <summary>Uploads, waits, and asserts the import completed; its final status.</summary>
    public async Task<JsonElement> ImportAsync(string entity, byte[] file, string query = "")
    {
        var status = await WaitAsync(await StartAsync(entity, file, query));
        Assert.True(status.GetProperty("status").GetString() == "completed", status.GetRawText());
        return status;
    }

    public async Task<JsonElement> ErrorsAsync(string importId, int page = 1) =>
        await http.GetFromJsonAsync<JsonElement>($"/api/v3/imports/{importId}/errors?page={page}&page_size=1000", Ct);

    /// <summary>The error file, read strictly as RFC 4180.</summary>
    public async Task<IReadOnlyList<string[]>> ErrorFileAsync(string importId)
    {
        using var response = await http.GetAsync($"/api/v3/imports/{importId}/errors.csv", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return StrictCsv.Parse(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    public static byte[] Csv(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");

    public static int Count(JsonElement status, string counter) => status.GetProperty(counter).GetInt32();

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        return JsonDocument.Parse(text.Length == 0 ? "null" : text).RootElement.Clone();
    }

    public void Dispose() => http.Dispose();
}
