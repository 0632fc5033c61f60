using System.Text.Json;
using Connectra.Backend.Api.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Connectra.Backend.Api.ErrorHandling;

internal static class ProblemDetailsSetup
{
    /// <summary>
    /// Every error is problem+json carrying the request id. Invalid input is always 400 (never 422), with an
    /// <c>errors</c> map keyed by the snake_case field path and a <c>detail</c> that names the first field.
    /// </summary>
    public static IServiceCollection AddBackendProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Extensions["request_id"] = context.HttpContext.TraceIdentifier;
            problem.Instance ??= context.HttpContext.Request.Path;
            if (problem.Status is StatusCodes.Status415UnsupportedMediaType && problem.Detail is null)
            {
                // A route with [Consumes] refuses the body before any filter runs; say what it takes.
                problem.Type = ProblemTypes.Validation;
                problem.Detail = UnsupportedMediaType(context.HttpContext);
            }

            problem.Detail ??= problem.Title;
        });
        // After the default writer, which declines when Accept names no JSON type.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonFallbackWriter>();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddSingleton<ServerRejectionProblems>();
        services.Configure<ApiBehaviorOptions>(options => options.InvalidModelStateResponseFactory = context =>
            new ProblemResult(ValidationProblem(context.ModelState)));
        services.Configure<MvcOptions>(options => options.Filters.Add(new ProblemContentTypeFilter()));
        return services;
    }

    /// <summary>
    /// Writes through the problem-details service, like every other error, so a controller's [Produces] cannot turn
    /// the content type back into application/json.
    /// </summary>
    private sealed class ProblemResult(ProblemDetails problem) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            context.HttpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
            await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>()
                .WriteAsync(new ProblemDetailsContext { HttpContext = context.HttpContext, ProblemDetails = problem });
        }
    }

    /// <summary>
    /// The shape of <see cref="ValidationProblemDetails"/>, with <c>errors</c> as an extension: the problem-details
    /// writer serialises the declared <see cref="ProblemDetails"/> type and would drop a subclass's members.
    /// </summary>
    public static ProblemDetails ValidationProblem(IDictionary<string, string[]> errors)
    {
        var first = errors.First();
        return new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Type = ProblemTypes.Validation,
            Title = "One or more fields are invalid.",
            Detail = first.Key.Length == 0 ? first.Value[0] : $"{first.Key}: {first.Value[0]}",
            Extensions = { ["errors"] = errors },
        };
    }

    /// <summary>
    /// A request the server could not read (a malformed body stream, request line or header): a 400 is invalid input
    /// like any other, with <c>errors</c>; another status (413, 431, 505) says what was too much or unknown.
    /// </summary>
    public static ProblemDetails Unreadable(int status, string detail)
    {
        var problem = status == StatusCodes.Status400BadRequest
            ? ValidationProblem(new Dictionary<string, string[]> { [""] = [detail] })
            : new ProblemDetails { Type = ProblemTypes.Validation, Detail = detail };
        problem.Status = status;
        problem.Title = "The request could not be read.";
        return problem;
    }

    private static ProblemDetails ValidationProblem(ModelStateDictionary modelState)
    {
        // What reaches ModelState is the binding of route, query and DataAnnotations; a body the JSON reader refuses
        // never gets here (JsonBodyFormatter throws, and the exception handler names the JSON path).
        var errors = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, entry) in modelState)
        {
            if (entry.Errors.Count > 0)
            {
                errors[FieldPath(key)] = [.. entry.Errors.Select(Message)];
            }
        }

        return ValidationProblem(errors.Count > 0 ? errors : new Dictionary<string, string[]> { [""] = ["The request is invalid."] });
    }

    /// <summary>"Limit" (a bound property) → "limit"; "Company_config.Populate" → "company_config.populate".</summary>
    private static string FieldPath(string modelStateKey) =>
        string.Join('.', modelStateKey.Split('.').Select(segment => JsonNamingPolicy.SnakeCaseLower.ConvertName(segment)));

    private static string UnsupportedMediaType(HttpContext context) =>
        JsonBodyFormatter.MediaTypeProblem(context) ?? "The body must be JSON, sent with Content-Type: application/json.";

    private static string Message(ModelError error) =>
        string.IsNullOrEmpty(error.ErrorMessage) ? "The value is invalid." : error.ErrorMessage;

    /// <summary>
    /// MVC answers its own client errors (415 for a body it cannot read, 406, 405) with a ProblemDetails object, which a
    /// controller's [Produces("application/json")] would label application/json; this runs last and labels every such
    /// answer as what it is.
    /// </summary>
    private sealed class ProblemContentTypeFilter : Microsoft.AspNetCore.Mvc.Filters.IAlwaysRunResultFilter, Microsoft.AspNetCore.Mvc.Filters.IOrderedFilter
    {
        public int Order => int.MaxValue;

        public void OnResultExecuting(Microsoft.AspNetCore.Mvc.Filters.ResultExecutingContext context)
        {
            if (context.Result is ObjectResult { Value: ProblemDetails details } problem)
            {
                problem.ContentTypes.Clear();
                problem.ContentTypes.Add("application/problem+json");
                if (details.Status is StatusCodes.Status415UnsupportedMediaType)
                {
                    details.Type = ProblemTypes.Validation;
                    details.Detail ??= UnsupportedMediaType(context.HttpContext);
                }

                details.Detail ??= details.Title;
            }
        }

        public void OnResultExecuted(Microsoft.AspNetCore.Mvc.Filters.ResultExecutedContext context)
        {
        }
    }
}
