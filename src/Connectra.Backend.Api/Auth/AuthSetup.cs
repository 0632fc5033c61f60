using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Connectra.Backend.Api.ErrorHandling;

namespace Connectra.Backend.Api.Auth;

internal static class AuthSetup
{
    public const string AdminPolicy = "admin";
    public const string AdminRole = "admin";
    public const string WriterPolicy = "writer";
    public const string WriterRole = "writer";
    public const string ReaderPolicy = "reader";
    public const string ReaderRole = "reader";
    public const string RoleClaim = "role";

    /// <summary>Every role, weakest first; each may do what the ones before it may.</summary>
    public static readonly IReadOnlyList<string> Roles = [ReaderRole, WriterRole, AdminRole];

    // Wording kept from the original API: the frontend shows these strings.
    private const string MissingCredentials = "Authentication credentials were not provided.";
    private const string InvalidToken = "Given token not valid for any token type";

    public static IServiceCollection AddBackendAuthentication(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>>(new AuthOptionsValidator(environment.IsDevelopment()));

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) => Configure(jwt, auth.Value));

        var reader = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles).Build();
        services.AddAuthorizationBuilder()
            // Controllers name their policy; a route that forgets to still needs a token with a role, and only the
            // health routes opt out ([AllowAnonymous]).
            .SetFallbackPolicy(reader)
            .AddPolicy(ReaderPolicy, reader)
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(AdminRole))
            .AddPolicy(WriterPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(WriterRole, AdminRole));
        return services;
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth)
    {
        jwt.MapInboundClaims = false; // keep "sub" and "role" as issued
        jwt.Authority = auth.Authority?.ToString();
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = auth.Authority is null ? auth.Issuer : null,
            ValidateIssuer = true,
            ValidAudience = auth.Audience,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = auth.ClockSkew,
            NameClaimType = "sub",
            RoleClaimType = RoleClaim,
            ValidAlgorithms = auth.Authority is null ? [SecurityAlgorithms.HmacSha256] : null,
            IssuerSigningKey = auth.Authority is null && auth.SigningKey is { } key
                ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key))
                : null,
        };
        jwt.Events = new JwtBearerEvents
        {
            // Every resource here is the caller's (exports are owner-scoped): a token that names nobody is no token.
            OnTokenValidated = context =>
            {
                if (context.Principal?.FindFirst("sub")?.Value is not { Length: > 0 })
                {
                    context.Fail("The token has no subject.");
                }
                else if (auth.DefaultRole is { Length: > 0 } role
                         && context.Principal.Identity is ClaimsIdentity identity
                         && !identity.HasClaim(c => c.Type == RoleClaim))
                {
                    identity.AddClaim(new Claim(RoleClaim, role));
                }

                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var tokenSent = context.Request.Headers.Authorization.Count > 0;
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = tokenSent ? "Bearer error=\"invalid_token\"" : "Bearer";
                await WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized,
                    "Unauthorized", tokenSent ? InvalidToken : MissingCredentials);
            },
            OnForbidden = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden,
                ProblemTypes.Forbidden, "Forbidden",
                $"You do not have permission to perform this action. {RoleNeeded(context.HttpContext)}"),
        };
    }

    private static string RoleNeeded(HttpContext context)
    {
        var policies = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList() ?? [];
        return policies.Contains(AdminPolicy) ? "Admin role required."
            : policies.Contains(WriterPolicy) ? "A writer or admin role is required."
            : "A reader, writer or admin role is required.";
    }

    private static async Task WriteProblemAsync(HttpContext context, int status, string type, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail },
        });
    }

    private sealed class AuthOptionsValidator(bool isDevelopment) : IValidateOptions<AuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuthOptions options)
        {
            var problems = options.Problems(isDevelopment).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
