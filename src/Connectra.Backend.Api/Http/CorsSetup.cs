namespace Connectra.Backend.Api.Http;

/// <summary>Bound from "Cors": the browser origins of the frontends allowed to call the API.</summary>
public sealed class CorsOptions
{
    public const string SectionName = "Cors";

    /// <summary>Exact origins such as <c>https://app.example.com</c>; none by default, so browsers on other sites get nothing.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; set; } = [];

    /// <summary>How long a browser may keep a preflight answer.</summary>
    public TimeSpan PreflightMaxAge { get; set; } = TimeSpan.FromMinutes(10);
}

internal static class CorsSetup
{
    public static IServiceCollection AddBackendCors(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(CorsOptions.SectionName).Get<CorsOptions>() ?? new CorsOptions();
        foreach (var origin in options.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
            {
                throw new InvalidOperationException($"Cors:AllowedOrigins: '{origin}' is not an origin such as https://app.example.com.");
            }
        }

        // Preflights are answered here, before authentication: a browser never sends a token with one.
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins([.. options.AllowedOrigins])
            .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "Accept", "If-Match", "X-Request-Id", "Range")
            .WithExposedHeaders("X-Request-Id", "Retry-After", "ETag", "Content-Disposition", "Location")
            .SetPreflightMaxAge(options.PreflightMaxAge)));
        return services;
    }
}
