using System.Net.Sockets;
using System.Text;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>
/// <see cref="FakeConnectraHost"/> on Kestrel, listening on a loopback port: for what the in-memory test server cannot
/// carry (a "%00" in a path, an invalid percent-encoding, a malformed request line) and what only the real server
/// answers.
/// </summary>
public sealed class KestrelHost : FakeConnectraHost
{
    public KestrelHost() => UseKestrel(0);

    /// <summary>Where Kestrel listens; starts the host.</summary>
    public Uri Address
    {
        get
        {
            using var client = CreateClient();
            return client.BaseAddress!;
        }
    }
}

/// <summary>One HTTP/1.x response as read off the wire.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>Sends bytes exactly as given on a fresh connection and reads every response until the server closes it.</summary>
public static class RawHttp
{
    public static async Task<IReadOnlyList<RawResponse>> SendAsync(Uri server, byte[] request, CancellationToken ct)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, ct);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(request, ct);
        using var received = new MemoryStream();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(received, timeout.Token);
        return Parse(received.ToArray());
    }

    private static List<RawResponse> Parse(byte[] bytes)
    {
        var responses = new List<RawResponse>();
        var at = 0;
        while (at < bytes.Length)
        {
            var headEnd = bytes.AsSpan(at).IndexOf("\r\n\r\n"u8);
            if (headEnd < 0)
            {
                throw new InvalidOperationException($"an incomplete response: {Encoding.Latin1.GetString(bytes, at, bytes.Length - at)}");
            }

            var lines = Encoding.Latin1.GetString(bytes, at, headEnd).Split("\r\n");
            var headers = lines.Skip(1).Select(line => line.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
            at += headEnd + 4;
            var body = new MemoryStream();
            if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                while (true)
                {
                    var sizeEnd = bytes.AsSpan(at).IndexOf("\r\n"u8);
                    var size = Convert.ToInt32(Encoding.ASCII.GetString(bytes, at, sizeEnd).Split(';')[0], 16);
                    at += sizeEnd + 2;
                    body.Write(bytes, at, size);
                    at += size + 2;
                    if (size == 0)
                    {
                        break;
                    }
                }
            }
            else
            {
                var length = headers.TryGetValue("Content-Length", out var declared) ? int.Parse(declared, System.Globalization.CultureInfo.InvariantCulture) : bytes.Length - at;
                body.Write(bytes, at, length);
                at += length;
            }

            responses.Add(new RawResponse(int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, Encoding.UTF8.GetString(body.ToArray())));
        }

        return responses;
    }
}
