using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Connectra.Emulator.Search;

namespace Connectra.Emulator.Tests;

/// <summary>An <see cref="EmulatorServer"/> on its own fresh database, with a client that sends the API key.</summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    public const string ApiKey = "test-key";

    private readonly EmulatorServerOptions _options;

    private EmulatorHost(TestDatabase database, EmulatorServer server, EmulatorServerOptions options)
    {
        Database = database;
        Server = server;
        _options = options;
        Client = new HttpClient { BaseAddress = server.BaseUrl };
        Client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
    }

    public TestDatabase Database { get; }

    public EmulatorServer Server { get; private set; }

    public string? IndexPath => _options.IndexPath;

    public HttpClient Client { get; private set; }

    public static async Task<EmulatorHost> StartAsync(
        CancellationToken ct, string? indexPath = null, int maxRequestsPerMinute = 600_000, bool strict = true,
        int termWalkMinimumMatches = SortedWalk.DefaultMinimumMatches)
    {
        var database = await TestDatabase.CreateAsync(ct);
        try
        {
            var options = new EmulatorServerOptions
            {
                ConnectionString = database.ConnectionString,
                ApiKey = ApiKey,
                IndexPath = indexPath,
                MaxRequestsPerMinute = maxRequestsPerMinute,
                Strict = strict,
                TermWalkMinimumMatches = termWalkMinimumMatches,
            };
            return new EmulatorHost(database, await EmulatorServer.StartAsync(options, ct), options);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server and starts a new one with the same settings on the same database and index folder.</summary>
    public async Task RestartAsync(CancellationToken ct)
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Server = await EmulatorServer.StartAsync(_options, ct);
        Client = new HttpClient { BaseAddress = Server.BaseUrl };
        Client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
    }

    public async Task<HttpResponseMessage> PostAsync(string path, string json, CancellationToken ct) =>
        await Client.PostAsync(path, new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")), ct);

    /// <summary>Posts and returns status and parsed body (a JSON null when the body is not JSON).</summary>
    public async Task<(int Status, JsonElement Body)> PostJsonAsync(string path, string json, CancellationToken ct)
    {
        using var response = await PostAsync(path, json, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return ((int)response.StatusCode, Parse(text));
    }

    public async Task<List<string>> UuidsAsync(string path, string json, CancellationToken ct)
    {
        var (status, body) = await PostJsonAsync(path, json, ct);
        Assert.True(status == 200, $"expected 200 from {path}, got {status}: {body}");
        return body.GetProperty("data").EnumerateArray().Select(item => item.GetProperty("uuid").GetString()!).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        await Database.DisposeAsync();
    }

    private static JsonElement Parse(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonDocument.Parse("null").RootElement.Clone();
        }
    }
}
