using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Connectra.Backend.FunctionalTests.Writes;

/// <summary>
/// The API with its outbox dispatcher running, over an empty emulator behind a <see cref="FakeConnectra"/> proxy, so a
/// test can unplug Connectra, make it lose writes, or hang mid-batch. Every test reads its writes back through the
/// public read routes only. Records are never cleared between tests: each test works with names of its own.
/// </summary>
public sealed class WriteHost : BackendFactory
{
    private UnpluggableEmulator? _connectra;

    public UnpluggableEmulator Connectra => _connectra ?? throw new InvalidOperationException("not started");

    protected override string ConnectraBaseUrl => Connectra.Proxy.Url.ToString();

    protected override async Task StartConnectraAsync(CancellationToken ct) =>
        _connectra = await UnpluggableEmulator.StartAsync("emulator_writes", ConnectraApiKey, _ => Task.CompletedTask, ct);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        DeliverOutboxPromptly(builder);
        // Outages end quickly in these tests.
        builder.UseSetting("Connectra:Resilience:TotalRequestTimeout:Timeout", "00:00:02");
        builder.UseSetting("Connectra:Resilience:AttemptTimeout:Timeout", "00:00:01");
    }

    /// <summary>Runs the outbox dispatcher, polling and verifying often, so writes reach Connectra within a second.</summary>
    public static void DeliverOutboxPromptly(IWebHostBuilder builder)
    {
        builder.UseSetting("Outbox:DispatcherEnabled", "true");
        builder.UseSetting("Outbox:PollInterval", "00:00:00.050");
        builder.UseSetting("Outbox:BatchWindow", "00:00:00.020");
        builder.UseSetting("Outbox:VerifyDelay", "00:00:00.100");
        builder.UseSetting("Outbox:MaxBackoff", "00:00:00.300");
        builder.UseSetting("Outbox:MaxOutageBackoff", "00:00:00.300");
    }

    public HttpClient Writer() => Tokens.Authorize(CreateClient(), "writer-user", "writer");

    public HttpClient Reader() => Tokens.Authorize(CreateClient(), "reader-user");

    /// <summary>Ends every other session on the API's database, as a dispatcher's crash would end its own.</summary>
    public async Task KillOtherSessionsAsync(CancellationToken ct) =>
        await ScalarAsync("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", ct);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectra is not null)
        {
            await _connectra.DisposeAsync();
        }
    }

    /// <summary>Creates a record through the public route, asserting 201; its uuid and ETag.</summary>
    public static async Task<(string Uuid, string ETag)> CreateAsync(HttpClient writer, string entity, string body)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await writer.PostAsync($"/api/v3/{entity}/", Body(body), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}");
        return (JsonDocument.Parse(text).RootElement.GetProperty("uuid").GetString()!, response.Headers.ETag!.ToString());
    }

    public static StringContent Body(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);

    /// <summary>The contacts whose last name is exactly <paramref name="lastName"/>, as the public query route returns them.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> QueryAsync(HttpClient client, string entity, string field, string value, CancellationToken ct)
    {
        using var response = await client.PostAsJsonAsync($"/api/v3/{entity}/query",
            new { filters = new { and = new[] { new { field, @operator = "eq", value } } }, limit = 100 }, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return (response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "null" : text).RootElement.Clone());
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="within"/> passes; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50, ct);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WriteTestGroup : ICollectionFixture<WriteHost>
{
    public const string Name = "writes";
}
