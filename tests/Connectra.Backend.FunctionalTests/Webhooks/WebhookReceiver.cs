using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Connectra.Backend.FunctionalTests.Webhooks;

/// <summary>One request a receiver got, and what it answered.</summary>
public sealed record ReceivedHook(string Path, string Id, long Timestamp, string Signature, byte[] Body, int Answered, DateTimeOffset At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public IReadOnlyList<JsonElement> Events => [.. Json.GetProperty("events").EnumerateArray()];
}

/// <summary>
/// A real HTTP receiver on a loopback Kestrel port. Each test listens on a path of its own and decides per request
/// what to answer; every request is recorded with what it was answered.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<int, HttpContext, Task<int>>> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedHook> _received = new();

    private WebhookReceiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var port = LoopbackPorts.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, new Uri($"http://127.0.0.1:{port}"));
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>A fresh path for one test, answering through <paramref name="answer"/> (given the request's 0-based number).</summary>
    public string Listen(Func<int, HttpContext, Task<int>>? answer = null)
    {
        var path = "/hook/" + Guid.NewGuid().ToString("N")[..12];
        _answers[path] = answer ?? ((_, _) => Task.FromResult(200));
        return path;
    }

    public void Answer(string path, Func<int, HttpContext, Task<int>> answer) => _answers[path] = answer;

    public IReadOnlyList<ReceivedHook> At(string path) => [.. _received.Where(r => r.Path == path)];

    /// <summary>The events of the requests answered 2xx, in the order they were answered.</summary>
    public IReadOnlyList<JsonElement> Accepted(string path) =>
        [.. At(path).Where(r => r.Answered is >= 200 and < 300).SelectMany(r => r.Events)];

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var number = _counts.AddOrUpdate(path, 0, (_, n) => n + 1);
        var status = _answers.TryGetValue(path, out var answer) ? await answer(number, context) : 404;
        var timestamp = long.TryParse(context.Request.Headers["webhook-timestamp"].ToString(), out var stamp) ? stamp : -1;
        _received.Enqueue(new ReceivedHook(path, context.Request.Headers["webhook-id"].ToString(), timestamp,
            context.Request.Headers["webhook-signature"].ToString(), buffer.ToArray(), status, DateTimeOffset.UtcNow));
        context.Response.StatusCode = status;
        await context.Response.WriteAsync($"answer {status}\u0007\u001b[31m", Encoding.UTF8);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
