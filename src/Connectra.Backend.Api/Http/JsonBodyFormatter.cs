using System.Buffers;
using System.Text.Json;
using Connectra.Backend.Application;
using Connectra.Backend.Application.Vql;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Connectra.Backend.Api.Http;

/// <summary>
/// The one reader of JSON request bodies, in place of MVC's (docs/api.md#json-bodies). It takes exactly the media types
/// a route declares (<c>application/json</c> unless it says otherwise), in UTF-8 only, and binds a body only after
/// <see cref="JsonBodyCheck"/> found it sound, so every route refuses the same things with the same 400.
/// </summary>
internal sealed class JsonBodyFormatter : InputFormatter
{
    public const string Json = "application/json";
    public const string MergePatch = "application/merge-patch+json";

    private static readonly string[] JsonOnly = [Json];

    private readonly JsonSerializerOptions _options;
    private readonly RequestLimits _limits;

    public JsonBodyFormatter(JsonSerializerOptions options, RequestLimits limits)
    {
        _options = options;
        _limits = limits;
        SupportedMediaTypes.Add(Json);
        SupportedMediaTypes.Add(MergePatch);
    }

    /// <summary>
    /// Why the request's Content-Type cannot carry this route's body, or null when it can. The detail of the 415
    /// that follows, so a client learns what to send.
    /// </summary>
    public static string? MediaTypeProblem(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var accepted = Accepted(context);
        var send = $"send Content-Type: {string.Join(" or ", accepted)}";
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType))
        {
            return context.Request.ContentType is null
                ? $"The body must be JSON; {send}."
                : $"The Content-Type '{Shorten(context.Request.ContentType)}' cannot be read; {send}.";
        }

        if (!accepted.Contains(contentType.MediaType.Value, StringComparer.OrdinalIgnoreCase))
        {
            return $"The body must be JSON, not {Shorten(contentType.MediaType.Value)}; {send}.";
        }

        // RFC 8259 §8.1: JSON exchanged between systems is UTF-8. A body declared in another charset is refused
        // rather than transcoded: a client that labels UTF-8 text as Latin-1 would otherwise have it silently
        // misread.
        var charsets = contentType.Parameters.Where(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)).ToList();
        return charsets.Count switch
        {
            0 => null,
            1 when HeaderUtilities.RemoveQuotes(charsets[0].Value).Equals("utf-8", StringComparison.OrdinalIgnoreCase) => null,
            1 => $"The body must be UTF-8 (RFC 8259), not charset '{Shorten(HeaderUtilities.RemoveQuotes(charsets[0].Value).Value)}'; {send} with charset=utf-8 or no charset.",
            _ => $"The Content-Type names more than one charset; {send} with one charset=utf-8 or none.",
        };
    }

    public override bool CanRead(InputFormatterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return MediaTypeProblem(context.HttpContext) is null;
    }

    // What OpenAPI lists for a route that declares no media type: what it takes, application/json alone.
    public override IReadOnlyList<string>? GetSupportedContentTypes(string? contentType, Type objectType) =>
        contentType is null ? JsonOnly : base.GetSupportedContentTypes(contentType, objectType);

    public override async Task<InputFormatterResult> ReadRequestBodyAsync(InputFormatterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (buffer, length) = await ReadAllAsync(context.HttpContext.Request);
        try
        {
            var body = buffer.AsSpan(0, length);
            // RFC 8259 §8.1 lets a parser ignore a byte order mark; UTF-8's is the only one valid UTF-8 can carry.
            if (body.StartsWith("\uFEFF"u8))
            {
                body = body[3..];
            }

            if (body.IsEmpty)
            {
                return context.TreatEmptyInputAsDefaultValue
                    ? InputFormatterResult.Success(context.ModelType.IsValueType ? Activator.CreateInstance(context.ModelType) : null)
                    : InputFormatterResult.NoValue();
            }

            // Refusals go to the exception handler rather than into ModelState, which stops at 32 path segments:
            // a fault deep in a body must still be named where it is.
            if (JsonBodyCheck.Find(body, _limits.MaxJsonDepth, _options.PropertyNameCaseInsensitive) is { } fault)
            {
                throw new VqlValidationException(fault.Path, fault.Message);
            }

            try
            {
                return InputFormatterResult.Success(JsonSerializer.Deserialize(body, context.ModelType, _options));
            }
            catch (JsonException ex)
            {
                // The path System.Text.Json reports is already the client's spelling ("$.filters.and[0]").
                throw new VqlValidationException(ex.Path is ['$', .. var path] ? path.TrimStart('.') : "", ex.Message);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                throw new VqlValidationException("", ex.Message);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Shorten(string? text) => text is { Length: > 64 } ? text[..64] + "…" : text ?? "";

    private static IReadOnlyList<string> Accepted(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes is { Count: > 0 } declared ? declared : JsonOnly;

    /// <summary>
    /// The whole body, in a pooled buffer the caller returns. Bounded: the server stops a body at the route's limit
    /// (RequestLimitsMiddleware), so this never holds more than that.
    /// </summary>
    private async Task<(byte[] Buffer, int Length)> ReadAllAsync(HttpRequest request)
    {
        // One byte more than announced, so the read that finds the end needs no larger buffer.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp((request.ContentLength ?? 0) + 1, 4096, _limits.MaxLargeBodyBytes + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}

internal static class JsonBodySetup
{
    /// <summary>
    /// Replaces MVC's JSON input formatter with <see cref="JsonBodyFormatter"/>, on the API's serializer options, and
    /// stops MVC reading forms: no route takes one, and a multipart body would otherwise be parsed before the
    /// refusal, answering a confusing 400 instead of the 415 that says what to send.
    /// </summary>
    public static IServiceCollection AddBackendJsonBodies(this IServiceCollection services)
    {
        services.AddOptions<MvcOptions>().Configure<IOptions<JsonOptions>, IOptions<RequestLimits>>((mvc, json, limits) =>
        {
            mvc.InputFormatters.RemoveType<SystemTextJsonInputFormatter>();
            mvc.InputFormatters.Insert(0, new JsonBodyFormatter(json.Value.JsonSerializerOptions, limits.Value));
            mvc.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
            mvc.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
            mvc.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
        });
        return services;
    }
}
