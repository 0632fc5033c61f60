using System.Text;
using Connectra.Backend.FunctionalTests.Infrastructure;

namespace Connectra.Backend.FunctionalTests.Validation;

/// <summary>A request as bytes on the wire, for what no HTTP client sends as written, and the status it must get.</summary>
public sealed record HostileWireRequest(string Id, byte[] Bytes, int Status, string? Field = null);

/// <summary>
/// The part of the corpus only a real server receives: paths with "%00", invalid percent-encodings, encoded bytes
/// that are not UTF-8 and control characters, raw or encoded, on routes of every kind; request lines and headers
/// Kestrel itself refuses. HttpClient would re-encode most of these, and the in-memory test server refuses "%00"
/// before sending it, so HostileWireInputTests sends these bytes over a socket to Kestrel.
/// </summary>
public static partial class HostileInput
{
    /// <summary>Path segments a request must not carry, each refused with a 400 naming <c>path</c>.</summary>
    public static IReadOnlyList<string> HostilePathSegments =>
    [
        "%00", "a%00b", "%00%00", // NUL: Kestrel refuses the request line itself
        "%zz", "%", "%4", "%g0", "a%2", // no percent-encoding
        "%ff", "%c3%28", "%c0%80", "%ed%a0%80", "%f8%88%80%80%80", "%e2%82", // encoded bytes that are not UTF-8
        "%01", "%1f", "%7f", "%0a", "%0d%0a", "%09", "%c2%85", // encoded control characters
        "\u0001", "\u007f", // raw control characters
    ];

    /// <summary>A route of each kind, with where the segment goes.</summary>
    private static (string Method, string Template)[] WireRoutes =>
    [
        ("GET", "/api/v3/contacts/{0}/"), ("POST", "/api/v3/contacts/count{0}"), ("PUT", "/api/v3/companies/{0}/"),
        ("GET", "/api/v3/companies/company/{0}/contacts/"), ("GET", "/api/v3/exports/{0}/status"), ("GET", "/health/{0}"),
        ("DELETE", "/{0}"),
    ];

    public static IReadOnlyDictionary<string, HostileWireRequest> OnTheWire { get; } = BuildWire();

    /// <summary>An HTTP/1.1 request whose every character is one byte (Latin-1), closing the connection after its answer.</summary>
    public static byte[] WireRequest(string requestLine, string? extraHeaders = null, string body = "{}") =>
        Encoding.Latin1.GetBytes($"{requestLine}\r\nHost: localhost\r\nConnection: close\r\n{extraHeaders}"
            + $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}");

    private static Dictionary<string, HostileWireRequest> BuildWire()
    {
        var cases = new List<HostileWireRequest>();
        foreach (var (method, template) in WireRoutes)
        {
            foreach (var segment in HostilePathSegments)
            {
                var target = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, segment);
                cases.Add(new HostileWireRequest($"{method} {template} with {Printable(segment)}", WireRequest($"{method} {target} HTTP/1.1"), 400, "path"));
            }
        }

        // Kestrel's own refusals, which the application never sees: each still a problem document.
        cases.Add(new HostileWireRequest("NUL in the request line", WireRequest("GET /health\0 HTTP/1.1"), 400));
        cases.Add(new HostileWireRequest("no path", WireRequest("GET  HTTP/1.1"), 400));
        cases.Add(new HostileWireRequest("a header name with a space", WireRequest("GET /health HTTP/1.1", "Bad Header: x\r\n"), 400));
        cases.Add(new HostileWireRequest("a header without a colon", WireRequest("GET /health HTTP/1.1", "NoColon\r\n"), 400));
        cases.Add(new HostileWireRequest("a NUL in a header value", WireRequest("GET /health HTTP/1.1", "X-Thing: a\0b\r\n"), 400));
        cases.Add(new HostileWireRequest("a Content-Length that is no number", Encoding.Latin1.GetBytes("POST /api/v3/contacts/count HTTP/1.1\r\nHost: localhost\r\nContent-Length: ten\r\n\r\n{}"), 400));
        cases.Add(new HostileWireRequest("two different Content-Lengths", Encoding.Latin1.GetBytes("POST /api/v3/contacts/count HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"), 400));
        cases.Add(new HostileWireRequest("no Host header", Encoding.Latin1.GetBytes("GET /health HTTP/1.1\r\nConnection: close\r\n\r\n"), 400));
        cases.Add(new HostileWireRequest("an unknown HTTP version", WireRequest("GET /health HTTP/9.9"), 505));
        cases.Add(new HostileWireRequest("a chunked body with a bad chunk size", Encoding.Latin1.GetBytes(
            $"POST /api/v3/contacts/count HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer {Tokens.Create("hostile-wire")}\r\n"
            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"), 400));
        return cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    private static string Printable(string segment) => string.Concat(segment.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
}
