using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>
/// A Connectra that misbehaves on demand, on a real socket: it can reset connections, stall mid-body or answer late,
/// which WireMock cannot. <see cref="Behaviour"/> decides every answer; <see cref="Healthy"/> is a Connectra that
/// answers every route the backend reads correctly.
/// </summary>
public sealed class FakeConnectra : IAsyncDisposable
{
    public const string Company = "c0000001-0000-4000-8000-000000000001";
    public const string Contact = "a0000001-0000-4000-8000-000000000001";

    private readonly WebApplication _app;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _paths = new();
    private int _calls;

    private FakeConnectra(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>How the next requests are answered; replaceable at any time.</summary>
    public Func<HttpContext, Task> Behaviour { get; set; } = Healthy;

    /// <summary>Requests received since the last <see cref="ResetCalls"/>.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The paths of those requests, in arrival order.</summary>
    public IReadOnlyList<string> Paths => [.. _paths];

    public void ResetCalls()
    {
        Interlocked.Exchange(ref _calls, 0);
        _paths.Clear();
    }

    public static async Task<FakeConnectra> StartAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeConnectra? fake = null;
        app.Run(context =>
        {
            Interlocked.Increment(ref fake!._calls);
            fake._paths.Enqueue(context.Request.Path.Value ?? "");
            return fake.Behaviour(context);
        });
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        fake = new FakeConnectra(app, new Uri(address.TrimEnd('/') + "/"));
        return fake;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public static Func<HttpContext, Task> Status(int status, string body = """{"error":"boom","success":false}""") =>
        context => Write(context, status, body);

    public static Func<HttpContext, Task> Body(string body, string contentType = "application/json") =>
        context => Write(context, 200, body, contentType);

    /// <summary>Closes the connection without an answer.</summary>
    public static Task Reset(HttpContext context)
    {
        context.Abort();
        return Task.CompletedTask;
    }

    /// <summary>Sends headers and the start of a body, then nothing until the client gives up.</summary>
    public static async Task Stall(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = 10_000;
        await context.Response.WriteAsync("{\"data\":[", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        await Task.Delay(Timeout.Infinite, context.RequestAborted);
    }

    /// <summary>Passes every request on to <paramref name="target"/> (the emulator) and its answer back: a Connectra one can unplug.</summary>
    public static Func<HttpContext, Task> Forward(Uri target) => async context =>
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(target, context.Request.Path + context.Request.QueryString));
        if (context.Request.ContentLength > 0 || context.Request.Method == "POST")
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            request.Content = new ByteArrayContent(body.ToArray());
            request.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType ?? "application/json");
        }

        request.Headers.TryAddWithoutValidation("X-API-Key", context.Request.Headers["X-API-Key"].ToString());
        using var answer = await Forwarder.SendAsync(request, context.RequestAborted);
        await Write(context, (int)answer.StatusCode, await answer.Content.ReadAsStringAsync(context.RequestAborted),
            answer.Content.Headers.ContentType?.ToString() ?? "application/json");
    };

    private static readonly HttpClient Forwarder = new(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.All });

    /// <summary>Answers as <paramref name="inner"/> does, each answer <paramref name="delay"/> later.</summary>
    public static Func<HttpContext, Task> Delayed(Func<HttpContext, Task> inner, TimeSpan delay) => async context =>
    {
        await Task.Delay(delay, context.RequestAborted);
        await inner(context);
    };

    public static Func<HttpContext, Task> Slow(TimeSpan delay) => async context =>
    {
        await Task.Delay(delay, context.RequestAborted);
        await Healthy(context);
    };

    /// <summary>A correct Connectra for the one company and one contact above.</summary>
    public static async Task Healthy(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var query = context.Request.ContentLength > 0 || context.Request.Method == "POST"
            ? await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted)
            : null;
        var body = path switch
        {
            "/health" => """{"status":"ok"}""",
            "/contacts/count" or "/companies/count" => """{"count":1,"success":true}""",
            "/common/contact/filters" => Catalogue("contact", "seniority"),
            "/common/company/filters" => Catalogue("company", "industries"),
            "/common/contact/filters/data" or "/common/company/filters/data" =>
                """{"data":[{"value":"vp","display_value":"VP"}],"success":true}""",
            "/contacts/" => Rows(AskedUuid(query) ?? Contact, uuid =>
                $$"""{"uuid":"{{uuid}}","first_name":"Ada","company_id":"{{Company}}","seniority":"vp","linkedin_url":"https://linkedin.com/in/x","cursor":["{{uuid}}"]}"""),
            "/companies/" => Rows(AskedUuid(query) ?? Company, uuid =>
                $$"""{"uuid":"{{uuid}}","name":"Acme","industries":["software"],"cursor":["{{uuid}}"]}"""),
            _ => null,
        };
        await (body is null ? Write(context, 404, "404 page not found", "text/plain") : Write(context, 200, body));
    }

    private static string Catalogue(string service, string key) =>
        $$"""{"data":[{"id":1,"key":"{{key}}","service":"{{service}}","filter_type":"keyword_match","display_name":"{{key}}","direct_derived":false,"active":true,"deleted_at":null}],"success":true}""";

    private static string Rows(string uuid, Func<string, string> row) => $$"""{"data":[{{row(uuid)}}],"success":true}""";

    /// <summary>The uuid a lookup asks for (keyword_match.must.uuid), so detail routes find what they asked for.</summary>
    private static string? AskedUuid(JsonNode? query) =>
        query?["where"]?["keyword_match"]?["must"]?["uuid"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : null;

    private static async Task Write(HttpContext context, int status, string body, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }
}
