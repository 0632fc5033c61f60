using System.Diagnostics;
using System.Globalization;
using Serilog.Context;

namespace Connectra.Backend.Api.Logging;

/// <summary>
/// Correlation: echoes a sane <c>X-Request-Id</c> or makes one, uses it as the trace identifier (so problem
/// documents carry it) and reports the server time in <c>X-Process-Time</c> (seconds, 6 decimals). Logs carry it
/// as CorrelationId: ASP.NET Core's own RequestId scope property already holds Kestrel's connection-based id.
/// </summary>
internal sealed class RequestContextMiddleware(RequestDelegate next)
{
    public const string RequestIdHeader = "X-Request-Id";
    private const int MaxRequestIdLength = 128;

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = Acceptable(context.Request.Headers[RequestIdHeader].ToString())
            ?? Guid.NewGuid().ToString("N");
        context.TraceIdentifier = requestId;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[RequestIdHeader] = requestId;
            context.Response.Headers["X-Process-Time"] =
                Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });

        using (LogContext.PushProperty("CorrelationId", requestId))
        {
            await next(context);
        }
    }

    // A client-chosen id lands in our logs and headers: only short, printable, header-safe ids are taken.
    private static string? Acceptable(string candidate) =>
        candidate.Length is > 0 and <= MaxRequestIdLength && candidate.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? candidate
            : null;
}
