using System.Text;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.OpenApi;

namespace Connectra.Backend.Api.OpenApi;

/// <summary>
/// The OpenAPI document (docs/api.md#openapi-document): Swashbuckle reads the controllers, then
/// <see cref="ApiDocument"/> completes what attributes cannot say — write bodies from their field tables, the query
/// parameters read by hand, limits from configuration, every error response — so the document is the truth about
/// the API. docs/openapi.json is a copy of it that a test holds to the served one.
/// </summary>
internal static class SwaggerSetup
{
    public const string DocumentName = "v3";
    public const string DocumentPath = "/swagger/v3/swagger.json";
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddBackendSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo { Title = "Connectra Backend", Version = DocumentName });
            options.IncludeXmlComments(typeof(SwaggerSetup).Assembly);
            // `string` is never null on the wire, `string?` may be: the document says which.
            options.SupportNonNullableReferenceTypes();
            // A nullable reference to another schema ("meta": null) needs allOf in OpenAPI 3.0 to say so.
            options.UseAllOfToExtendReferenceSchemas();
            options.CustomOperationIds(OperationId);
            options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [],
            });
        });
        services.AddSingleton<ApiDocument>();
        return services;
    }

    public static WebApplication UseBackendSwagger(this WebApplication app)
    {
        // A branch, not an endpoint: the document is no route of the API (the route table lists those).
        app.Map(DocumentPath, branch => branch.Run(context =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            return context.Response.WriteAsync(context.RequestServices.GetRequiredService<ApiDocument>().Json, Encoding.UTF8, context.RequestAborted);
        }));
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint(DocumentPath, "Connectra Backend v3");
            options.RoutePrefix = "swagger";
        });
        return app;
    }

    /// <summary>
    /// Stable, unique ids a generated client names its methods after: controller and action, plus "V1" for the
    /// legacy health aliases. Renaming an action changes its id, and the committed document shows it in review.
    /// </summary>
    internal static string OperationId(ApiDescription api)
    {
        var action = (ControllerActionDescriptor)api.ActionDescriptor;
        var controller = char.ToLowerInvariant(action.ControllerName[0]) + action.ControllerName[1..];
        var legacy = api.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true ? "V1" : "";
        return controller + action.ActionName + legacy;
    }
}
