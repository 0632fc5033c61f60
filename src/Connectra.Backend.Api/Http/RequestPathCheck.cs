using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Connectra.Backend.Api.ErrorHandling;
using Microsoft.AspNetCore.Http.Features;

namespace Connectra.Backend.Api.Http;

/// <summary>
/// What a request path may hold (docs/api.md#paths): percent-encodings of two hex digits, decoding to UTF-8 text
/// without control characters. The server decodes leniently — it leaves "%zz" and "%ff" as they are and passes
/// "%01" on — so without this each route would meet such a path in its own way, as a 404, a 405 or a uuid that
/// does not parse.
/// </summary>
internal static class RequestPathCheck
{
    /// <summary>Why the request's path is refused; null when it is not.</summary>
    public static string? Problem(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        // Every server we run on gives the target as sent; an in-memory test server does not, and then the decoded
        // path is all there is: its control characters can still be told, its encodings no longer.
        return string.IsNullOrEmpty(rawTarget) ? Control(context.Request.Path.Value ?? "") : Problem(rawTarget.Split('?', 2)[0]);
    }

    /// <summary>Why <paramref name="rawPath"/> (as sent, still encoded, without the query) is refused; null when it is not.</summary>
    public static string? Problem(string rawPath)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        var bytes = new List<byte>(rawPath.Length);
        var literal = 0;
        for (var i = 0; i < rawPath.Length; i++)
        {
            if (rawPath[i] != '%')
            {
                continue;
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(rawPath[literal..i]));
            if (i + 2 >= rawPath.Length || !byte.TryParse(rawPath.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                return $"holds '{rawPath[i..Math.Min(i + 3, rawPath.Length)]}', which is no percent-encoding (a '%' is followed by two hex digits; '%25' is a '%')";
            }

            bytes.Add(value);
            i += 2;
            literal = i + 1;
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(rawPath[literal..]));
        if (!Utf8.IsValid([.. bytes]))
        {
            return "holds percent-encoded bytes that are not UTF-8 text";
        }

        return Control(Encoding.UTF8.GetString([.. bytes]));
    }

    private static string? Control(string path)
    {
        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                return $"holds a control character (U+{(int)c:X4}), which no path of this API has";
            }
        }

        return null;
    }
}

/// <summary>Refuses a request whose path <see cref="RequestPathCheck"/> refuses, with a 400 naming <c>path</c>, before any route sees it.</summary>
internal sealed class RequestPathMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (RequestPathCheck.Problem(context) is not { } problem)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = ProblemDetailsSetup.ValidationProblem(new Dictionary<string, string[]> { ["path"] = [problem] }),
        });
    }
}
