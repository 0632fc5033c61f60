using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Connectra.Backend.Application.Webhooks;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.Webhooks;

/// <summary>Host names the tests point wherever they like; every other name goes to DNS.</summary>
public sealed class TestResolver : IWebhookResolver
{
    public ConcurrentDictionary<string, IPAddress[]> Names { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        Names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>Refuses loopback targets and delivers nothing: for what is checked when a subscription is saved.</summary>
public sealed class StrictWebhookHost : WebhookHost
{
    protected override bool Delivers => false;

    protected override bool AllowsLoopback => false;
}

/// <summary>
/// The API with its webhook worker running fast (short polls, backoff in milliseconds, a two-second disable) and a
/// real receiver on a loopback port, which only <c>Webhooks:AllowLoopbackForTesting</c> lets it reach.
/// </summary>
public class WebhookHost : ApiFactory
{
    private WebhookReceiver? _receiver;

    public WebhookReceiver Receiver => _receiver ?? throw new InvalidOperationException("not started");

    public TestResolver Resolver { get; } = new();

    /// <summary>The key ring every process of this host's database shares, so each can read the secrets another stored.</summary>
    public string KeyRing { get; } = Path.Combine(Path.GetTempPath(), "connectra-hook-keys-" + Guid.NewGuid().ToString("N"));

    /// <summary>False for a host that only serves the API while other processes deliver.</summary>
    protected virtual bool Delivers => true;

    /// <summary>False for a host that refuses loopback targets, as every deployment does.</summary>
    protected virtual bool AllowsLoopback => true;

    protected override async Task StartConnectraAsync(CancellationToken ct)
    {
        await base.StartConnectraAsync(ct);
        _receiver = await WebhookReceiver.StartAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:WorkerEnabled", Delivers ? "true" : "false");
        builder.UseSetting("Webhooks:KeyRingPath", KeyRing);
        builder.UseSetting("Webhooks:AllowHttp", "true");
        builder.UseSetting("Webhooks:AllowLoopbackForTesting", AllowsLoopback ? "true" : "false");
        builder.UseSetting("Webhooks:PollInterval", "00:00:00.050");
        builder.UseSetting("Webhooks:RetryBaseDelay", "00:00:00.100");
        builder.UseSetting("Webhooks:RetryMaxDelay", "00:00:01.500");
        builder.UseSetting("Webhooks:DisableAfter", "00:00:02.500");
        builder.UseSetting("Webhooks:Timeout", "00:00:02");
        builder.UseSetting("Webhooks:LeaseDuration", "00:00:05");
        builder.UseSetting("Webhooks:MaxEventsPerRequest", "10");
        builder.UseSetting("Webhooks:RotationOverlap", "01:00:00");
        builder.UseSetting("Imports:PollInterval", "00:00:00.050");
        builder.UseSetting("Imports:StoragePath", Path.Combine(Path.GetTempPath(), "connectra-hook-imports-" + Guid.NewGuid().ToString("N")));
        builder.ConfigureTestServices(services => services.AddSingleton<IWebhookResolver>(Resolver));
    }

    public HttpClient Writer(string user = "hook-writer") => Tokens.Authorize(CreateClient(), user, "writer");

    public HttpClient Admin() => Tokens.Authorize(CreateClient(), "hook-admin", "admin");

    public HttpClient Reader() => Tokens.Authorize(CreateClient(), "hook-reader", "reader");

    /// <summary>Subscribes <paramref name="url"/>; the new subscription's id and secret.</summary>
    public static async Task<(string Id, string Secret)> SubscribeAsync(HttpClient client, string url, params string[] types)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await client.PostAsJsonAsync("/api/v3/webhooks", new { url, event_types = types }, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}");
        var body = JsonDocument.Parse(text).RootElement;
        return (body.GetProperty("webhook").GetProperty("id").GetString()!, body.GetProperty("secret").GetString()!);
    }

    /// <summary>Creates companies through the public route; their uuids in order.</summary>
    public static async Task<List<string>> CreateCompaniesAsync(HttpClient writer, int count)
    {
        var ct = TestContext.Current.CancellationToken;
        var uuids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var response = await writer.PostAsync("/api/v3/companies",
                new StringContent($$"""{"name":"hook {{i}} {{Guid.NewGuid():N}}"}""", Encoding.UTF8, "application/json"), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}");
            uuids.Add(JsonDocument.Parse(text).RootElement.GetProperty("uuid").GetString()!);
        }

        return uuids;
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await client.GetAsync(path, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return true;
    }

    public static Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan within) => EventuallyAsync(() => Task.FromResult(condition()), within);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
