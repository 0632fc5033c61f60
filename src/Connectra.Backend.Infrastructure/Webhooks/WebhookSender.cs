using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Connectra.Backend.Application.Webhooks;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Infrastructure.Webhooks;

/// <summary>
/// The SSRF-guarded HTTP client of webhooks (docs/webhooks.md#ssrf). Every connection resolves the host itself, checks
/// every address against <see cref="WebhookTargets"/> and connects to a checked address, so what was checked is what is
/// reached (no second lookup between check and connect). No proxy, no redirects, no cookies; a short timeout; the
/// answer's body is read only up to <see cref="WebhookOptions.MaxResponseBytes"/>.
/// </summary>
internal sealed class WebhookSender : IWebhookSender, IDisposable
{
    private readonly HttpClient _client;
    private readonly IOptionsMonitor<WebhookOptions> _options;

    public WebhookSender(IWebhookResolver resolver, IOptionsMonitor<WebhookOptions> options)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            MaxResponseHeadersLength = 16,
            ConnectCallback = async (context, ct) =>
            {
                var addresses = await WebhookTargets.AllowedAddressesAsync(context.DnsEndPoint.Host, resolver, options.CurrentValue, ct);
                Exception? last = null;
                foreach (var address in addresses)
                {
                    var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch (Exception failure) when (failure is SocketException or OperationCanceledException)
                    {
                        socket.Dispose();
                        last = failure;
                        ct.ThrowIfCancellationRequested();
                    }
                }

                throw last ?? new SocketException((int)SocketError.HostNotFound);
            },
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public void Dispose() => _client.Dispose();

    public async Task<WebhookResponse> SendAsync(string url, IReadOnlyDictionary<string, string> headers, byte[] body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var settings = _options.CurrentValue;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.ParseAdd("Connectra-Webhooks/1");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var text = await ReadCappedAsync(response.Content, settings.MaxResponseBytes, timeout.Token);
            var status = (int)response.StatusCode;
            string? error = status is >= 300 and < 400 ? $"redirect to {Scrub(response.Headers.Location?.ToString() ?? "", 300)} not followed" : null;
            return new WebhookResponse(status, RetryAfter(response), text, error, Elapsed(started));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new WebhookResponse(null, null, null, $"no answer within {settings.Timeout.TotalSeconds:0.###} s (Webhooks:Timeout)", Elapsed(started));
        }
        catch (HttpRequestException failure)
        {
            return new WebhookResponse(null, null, null, Describe(failure), Elapsed(started));
        }
    }

    private static string Describe(Exception failure)
    {
        for (var inner = failure; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookTargetRefusedException refused)
            {
                return "refused: " + refused.Message;
            }
        }

        var root = failure;
        while (root.InnerException is not null)
        {
            root = root.InnerException;
        }

        return Scrub($"{failure.Message} ({root.Message})", 500);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };

    private static async Task<string?> ReadCappedAsync(HttpContent content, int cap, CancellationToken ct)
    {
        if (cap == 0)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[cap];
        var read = 0;
        while (read < cap)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read, cap - read), ct);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read == 0 ? null : Scrub(Encoding.UTF8.GetString(buffer, 0, read), cap);
    }

    /// <summary>Control characters become spaces (no log or terminal injection); at most <paramref name="max"/> characters.</summary>
    internal static string Scrub(string text, int max)
    {
        var builder = new StringBuilder(Math.Min(text.Length, max));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, max)))
        {
            builder.Append(char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFFFD' ? ' ' : c);
        }

        return builder.ToString();
    }

    private static int Elapsed(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}
