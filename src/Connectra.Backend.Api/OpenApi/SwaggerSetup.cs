using Microsoft.OpenApi;

namespace Connectra.Backend.Api.OpenApi;

internal static class SwaggerSetup
{
    private const string BearerScheme = "Bearer";

    public static IServiceCollection AddBackendSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v3", new OpenApiInfo
            {
                Title = "Connectra Backend",
                Version = "v3",
                Description = "B2B contact and company data. Every /api/v3 route needs a bearer token; errors are RFC 9457 problem+json.",
            });
            options.IncludeXmlComments(typeof(SwaggerSetup).Assembly);
            options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "Access token; `./run.sh` prints one for local development.",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [],
            });
        });
        return services;
    }

    public static WebApplication UseBackendSwagger(this WebApplication app)
    {
        app.UseSwagger(options => options.RouteTemplate = "swagger/{documentName}/swagger.json");
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/swagger/v3/swagger.json", "Connectra Backend v3");
            options.RoutePrefix = "swagger";
        });
        return app;
    }
}
