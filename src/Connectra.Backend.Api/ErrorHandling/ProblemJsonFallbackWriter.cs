using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Api.ErrorHandling;

/// <summary>
/// Writes the problem document when the default writer declines because the request's Accept header names no JSON
/// type (a CSV download, a browser): an error is problem+json whatever the client asked for, never a bare status
/// or an unhandled write failure.
/// </summary>
internal sealed class ProblemJsonFallbackWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> json)
    : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        var problem = context.ProblemDetails;
        problem.Status ??= context.HttpContext.Response.StatusCode;
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(
            problem, json.Value.JsonSerializerOptions, "application/problem+json", context.HttpContext.RequestAborted));
    }
}
