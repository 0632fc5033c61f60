using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.Application;
using Connectra.Backend.Application.Importing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Api.Http;

/// <summary>
/// Refuses a request whose URL, headers or body is over the configured limits before anything reads it, with a
/// problem document that states the limit. Kestrel's own limits are set above these (Program.cs), so that this,
/// not Kestrel's bodyless answer, is what a client meets.
/// </summary>
internal sealed class RequestLimitsMiddleware(RequestDelegate next, IOptions<RequestLimits> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limits = options.Value;
        var request = context.Request;
        var urlLength = request.PathBase.Value?.Length + request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
        if (urlLength > limits.MaxUrlLength)
        {
            await RefuseAsync(context, StatusCodes.Status414UriTooLong, "The URL is too long.",
                $"The path and query string are {urlLength} characters; at most {limits.MaxUrlLength} are accepted (Limits:MaxUrlLength).");
            return;
        }

        var headerBytes = request.Headers.Sum(h => h.Key.Length + h.Value.Sum(v => v?.Length ?? 0));
        if (headerBytes > limits.MaxHeaderBytes)
        {
            await RefuseAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "The request headers are too large.",
                $"The headers hold {headerBytes} bytes; at most {limits.MaxHeaderBytes} are accepted (Limits:MaxHeaderBytes).");
            return;
        }

        var (maxBody, _) = BodyLimit(context, limits);
        if (request.ContentLength > maxBody)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, "The request body is too large.", BodyTooLarge(context, limits));
            return;
        }

        // A body sent without a length (chunked) is cut off by the server when it grows past the limit.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = maxBody;
        }

        await next(context);
    }

    public static string BodyTooLarge(HttpContext context, RequestLimits limits)
    {
        var (bytes, setting) = BodyLimit(context, limits);
        return $"The request body is larger than {bytes} bytes, the most accepted (Limits:{setting}).";
    }

    /// <summary>The body limit of the route the request goes to (routing has run: the endpoint is known here).</summary>
    private static (long Bytes, string Setting) BodyLimit(HttpContext context, RequestLimits limits)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<ImportBodyAttribute>() is not null)
        {
            // The file plus room for a multipart envelope and its options part.
            var file = context.RequestServices.GetRequiredService<IOptions<ImportOptions>>().Value.MaxFileBytes;
            return (file + 128 * 1024, $"MaxFileBytes of Imports, {file} bytes of file");
        }

        return metadata?.GetMetadata<LargeBodyAttribute>() is null
            ? (limits.MaxBodyBytes, nameof(RequestLimits.MaxBodyBytes))
            : (limits.MaxLargeBodyBytes, nameof(RequestLimits.MaxLargeBodyBytes));
    }

    private static async Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Type = ProblemTypes.Validation, Title = title, Detail = detail },
        });
    }
}
