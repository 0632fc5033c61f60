using System.Globalization;
using Connectra.Backend.Application;
using Connectra.Backend.Application.Changes;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Importing;
using Connectra.Backend.Application.Upstream;
using Connectra.Backend.Application.Vql;
using Connectra.Backend.Application.Writing;
using Connectra.Backend.Api.Http;
using Connectra.Backend.Infrastructure.Persistence;
using Connectra.Client;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Api.ErrorHandling;

/// <summary>
/// The one place an exception becomes a response: RFC 9457 problem+json, never a stack trace or an upstream body.
/// .NET 10's exception-handler middleware no longer logs exceptions a handler has handled, so this one logs.
/// </summary>
internal sealed partial class ProblemExceptionHandler(
    IProblemDetailsService problems,
    IOptions<ConnectraOptions> connectra,
    IOptions<RequestLimits> limits,
    ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    private const int ClientClosedRequest = 499;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var problem = Describe(context, exception);
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private ProblemDetails Describe(HttpContext context, Exception exception)
    {
        switch (exception)
        {
            case UpstreamUnavailableException unavailable:
                LogUpstreamUnavailable(logger, unavailable.Reason, context.Request.Path);
                var wait = unavailable.RetryAfter ?? connectra.Value.RetryAfter;
                context.Response.Headers.RetryAfter =
                    Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Type = ProblemTypes.ConnectraUnavailable,
                    Title = "The Connectra search service is unavailable.",
                    Detail = unavailable.Message,
                };
            case UpstreamRejectedException rejected:
                LogUpstreamRejected(logger, rejected.Reason, context.Request.Path);
                return new ProblemDetails
                {
                    Status = StatusCodes.Status502BadGateway,
                    Type = ProblemTypes.ConnectraRejected,
                    Title = "The Connectra search service rejected the backend's query.",
                    Detail = rejected.Message,
                };
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                // The client went away; nobody reads this answer, and it is no server error.
                return new ProblemDetails
                {
                    Status = ClientClosedRequest,
                    Type = ProblemTypes.Internal,
                    Title = "Client closed request",
                };
            case var database when DatabaseFailures.IsUnavailable(database):
                LogDatabaseUnavailable(logger, exception);
                context.Response.Headers.RetryAfter = "5";
                return new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Type = ProblemTypes.DatabaseUnavailable,
                    Title = "The database is unavailable.",
                    Detail = "The backend's database did not answer; try again shortly.",
                };
            case VqlValidationException invalid:
                return ProblemDetailsSetup.ValidationProblem(
                    new Dictionary<string, string[]> { [invalid.Field] = [invalid.Message] });
            case ChangeCursorExpiredException expired:
                return new ProblemDetails
                {
                    Status = StatusCodes.Status410Gone,
                    Type = ProblemTypes.Gone,
                    Title = "The cursor is older than the change feed's retention.",
                    Detail = expired.Message,
                    Extensions = { ["resync_after"] = expired.Head.ToString(CultureInfo.InvariantCulture) },
                };
            case ExportRefusedException refused:
                return Refused(context, refused);
            case WriteRefusedException refused:
                return Refused(refused);
            case ImportRefusedException refused:
                return Refused(context, refused);
            case ServerBusyException busy:
                context.Response.Headers.RetryAfter =
                    Math.Max(1, (int)Math.Ceiling(busy.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Type = ProblemTypes.Busy,
                    Title = "The server is busy.",
                    Detail = busy.Message,
                };
            case ForbiddenException forbidden:
                return new ProblemDetails
                {
                    Status = StatusCodes.Status403Forbidden,
                    Type = ProblemTypes.Forbidden,
                    Title = "Forbidden",
                    Detail = forbidden.Message,
                };
            case ResourceNotFoundException notFound:
                return new ProblemDetails
                {
                    Status = StatusCodes.Status404NotFound,
                    Type = ProblemTypes.NotFound,
                    Title = "Not found",
                    Detail = notFound.Message,
                };
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Type = ProblemTypes.Validation,
                    Title = "The request body is too large.",
                    Detail = RequestLimitsMiddleware.BodyTooLarge(context, limits.Value),
                };
            case BadHttpRequestException badRequest:
                return ProblemDetailsSetup.Unreadable(badRequest.StatusCode, badRequest.Message);
            default:
                LogUnhandled(logger, exception, context.Request.Path);
                return new ProblemDetails
                {
                    Status = StatusCodes.Status500InternalServerError,
                    Type = ProblemTypes.Internal,
                    Title = "Internal server error",
                    Detail = "The request failed unexpectedly; quote the request id when reporting it.",
                };
        }
    }

    private static ProblemDetails Refused(WriteRefusedException refused)
    {
        var (status, type, title) = refused.Refusal switch
        {
            WriteRefusal.PreconditionFailed => (StatusCodes.Status412PreconditionFailed, ProblemTypes.PreconditionFailed, "The record is not at the version If-Match names."),
            WriteRefusal.Unprocessable => (StatusCodes.Status422UnprocessableEntity, ProblemTypes.Unprocessable, "The body names something that does not exist."),
            _ => (StatusCodes.Status409Conflict, ProblemTypes.Conflict, "The write conflicts with the record as stored."),
        };
        var problem = new ProblemDetails { Status = status, Type = type, Title = title, Detail = refused.Message };
        if (refused.Field.Length > 0)
        {
            problem.Detail = $"{refused.Field}: {refused.Message}";
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [refused.Field] = [refused.Message] };
        }

        return problem;
    }

    private static ProblemDetails Refused(HttpContext context, ExportRefusedException refused)
    {
        var (status, type, title) = refused.Refusal switch
        {
            ExportRefusal.InvalidToken => (StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "Invalid download token"),
            ExportRefusal.TokenMismatch => (StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden"),
            ExportRefusal.Expired => (StatusCodes.Status410Gone, ProblemTypes.Gone, "Gone"),
            ExportRefusal.TooMany => (StatusCodes.Status429TooManyRequests, ProblemTypes.TooManyRequests, "Too many requests"),
            _ => (StatusCodes.Status400BadRequest, ProblemTypes.Validation, "The export is not in a state that allows this."),
        };
        if (refused.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return new ProblemDetails { Status = status, Type = type, Title = title, Detail = refused.Message };
    }

    private static ProblemDetails Refused(HttpContext context, ImportRefusedException refused)
    {
        var (status, type, title) = refused.Refusal switch
        {
            ImportRefusal.TooMany => (StatusCodes.Status429TooManyRequests, ProblemTypes.TooManyRequests, "Too many requests"),
            ImportRefusal.UnsupportedMediaType => (StatusCodes.Status415UnsupportedMediaType, ProblemTypes.Validation, "Unsupported media type"),
            _ => (StatusCodes.Status409Conflict, ProblemTypes.Conflict, "The import is not in a state that allows this."),
        };
        if (refused.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return new ProblemDetails { Status = status, Type = type, Title = title, Detail = refused.Message };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connectra unavailable for {Path}: {Reason}")]
    private static partial void LogUpstreamUnavailable(ILogger logger, string reason, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connectra rejected the query built for {Path}: {Reason}")]
    private static partial void LogUpstreamRejected(ILogger logger, string reason, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Database unavailable")]
    private static partial void LogDatabaseUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, PathString path);
}
