using System.Text.Json;
using Connectra.Backend.Api.Auth;
using Connectra.Backend.Api.Commands;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.Api.Health;
using Connectra.Backend.Api.Http;
using Connectra.Backend.Api.Logging;
using Connectra.Backend.Api.Metrics;
using Connectra.Backend.Api.OpenApi;
using Connectra.Backend.Api.Serialization;
using Connectra.Backend.Api.Webhooks;
using Connectra.Backend.Application;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Infrastructure;
using Connectra.Client;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;
using Microsoft.AspNetCore.ResponseCompression;
using Serilog;
using Serilog.Events;

var builder = WebApplication.CreateBuilder(args);
if (BackendCommands.IsCommand(args))
{
    return await BackendCommands.RunAsync(builder, args);
}

builder.Services.AddSerilog((services, log) => log
    .ReadFrom.Configuration(builder.Configuration)
    .ReadFrom.Services(services)
    // Its "Request starting/finished" lines carry the query string, where filter values (e-mails) travel; the
    // request-logging line below replaces them, with the path only. No setting may turn them back on.
    .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", LogEventLevel.Warning)
    .Enrich.FromLogContext()
    .Enrich.With<EmailMasking>(),
    // The host's own logger, not the process-wide static one: several hosts in one process (tests, tools) would
    // otherwise write through whichever was built last, and lose every line once that one is disposed.
    preserveStaticLogger: true);

var requestLimits = builder.Configuration.GetSection(RequestLimits.SectionName).Get<RequestLimits>() ?? new RequestLimits();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // Above our own limits, so RequestLimitsMiddleware answers with a problem document stating them.
    kestrel.Limits.MaxRequestLineSize = Math.Max(kestrel.Limits.MaxRequestLineSize, requestLimits.MaxUrlLength + 1024);
    kestrel.Limits.MaxRequestHeadersTotalSize = Math.Max(kestrel.Limits.MaxRequestHeadersTotalSize, requestLimits.MaxHeaderBytes * 2);
    kestrel.Limits.MaxRequestBodySize = requestLimits.MaxBodyBytes;
    kestrel.AnswerRejectionsWithProblems();
});

builder.Services
    .AddControllers(options =>
        // Validation errors name fields as the client wrote them (snake_case), not as C# properties.
        options.ModelMetadataDetailsProviders.Add(new SystemTextJsonValidationMetadataProvider(JsonNamingPolicy.SnakeCaseLower)))
    .AddJsonOptions(options => ApiJson.Configure(options.JsonSerializerOptions, requestLimits.MaxJsonDepth));
builder.Services.AddBackendJsonBodies();
builder.Services.AddBackendProblemDetails();
builder.Services.AddBackendAuthentication(builder.Environment);
builder.Services.AddBackendSwagger();
builder.Services.AddBackendCors(builder.Configuration);
var behindProxy = builder.Services.AddBackendForwardedHeaders(builder.Configuration);
builder.Services.AddBackendRateLimiting();
builder.Services.AddResponseCompression(options =>
{
    options.EnableForHttps = true;
    options.Providers.Add<GzipCompressionProvider>();
    options.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "application/problem+json", "text/csv"];
});
builder.Services.AddSingleton<IResponseCompressionProvider, RangeAwareCompressionProvider>();

builder.Services.AddConnectraClient(builder.Configuration);
builder.Services.AddApplication();
builder.Services.AddOptions<PagingOptions>()
    // Replicas already share the signing key; a cursor key derived from it needs no extra secret.
    .PostConfigure<IConfiguration>((paging, configuration) =>
        paging.CursorKey ??= configuration[$"{AuthOptions.SectionName}:{nameof(AuthOptions.SigningKey)}"] is { Length: > 0 } key
            ? $"cursor-tokens:{key}"
            : null)
    .Validate(paging => !string.IsNullOrEmpty(paging.CursorKey), "Paging:CursorKey is required when Auth:SigningKey is not set; every replica must share it.")
    .ValidateOnStart();
builder.Services.AddOptions<ExportOptions>()
    // Like the cursor key: derived from the shared signing key unless set, so replicas agree without another secret.
    .PostConfigure<IConfiguration>((exports, configuration) =>
        exports.DownloadTokenKey ??= configuration[$"{AuthOptions.SectionName}:{nameof(AuthOptions.SigningKey)}"] is { Length: > 0 } key
            ? $"download-tokens:{key}"
            : null)
    .Validate(exports => exports.DownloadTokenKey is { Length: >= 32 }, "Exports:DownloadTokenKey (at least 32 characters) is required when Auth:SigningKey is not set; every replica must share it.")
    .ValidateOnStart();
builder.Services.AddSingleton<IDownloadTokens, DownloadTokens>();
builder.Services.AddInfrastructure();
WebhookSecretProtection.Add(builder.Services, builder.Configuration);
builder.Services.AddBackgroundWorkers(builder.Configuration);
builder.Services.AddBackendMetrics(builder.Configuration);

builder.Services.AddSingleton<ConnectraProbeHistory>();
builder.Services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName);
builder.Services.AddHealthChecks()
    .AddCheck<ConnectraHealthCheck>(ConnectraHealthCheck.Name, tags: [ConnectraHealthCheck.Tag])
    .AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name, tags: [DatabaseHealthCheck.Tag])
    .AddCheck<OutboxHealthCheck>(OutboxHealthCheck.Name, tags: [OutboxHealthCheck.Tag]);

var app = builder.Build();

if (behindProxy)
{
    app.UseForwardedHeaders();
}

app.UseMiddleware<RequestContextMiddleware>();
app.UseMiddleware<ResponseHeadersMiddleware>();
app.UseSerilogRequestLogging(options =>
{
    options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
    options.Logger = app.Services.GetRequiredService<Serilog.ILogger>(); // this host's logger, as above
    // Load balancers poll health and Prometheus scrapes every few seconds; those lines would drown everything else.
    options.GetLevel = (context, _, exception) =>
        exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
        : context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/api/v1/health")
          || context.Request.Path.StartsWithSegments(MetricsSetup.Path)
            ? LogEventLevel.Debug
            : LogEventLevel.Information;
});
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestLimitsMiddleware>();
app.UseMiddleware<RequestPathMiddleware>();
app.UseResponseCompression();
if (builder.Configuration.GetValue("Swagger:Enabled", builder.Environment.IsDevelopment()))
{
    app.UseBackendSwagger();
}

app.UseCors();
app.UseAuthentication();
// After authentication, to meter by the token's subject; before authorization, so that a flood of bad tokens is
// metered too (by address) instead of answering 401 without limit.
app.UseRateLimiter();
app.UseAuthorization();
app.MapControllers();
app.MapBackendMetrics();

await app.RunAsync();
return 0;

/// <summary>The entry point; public so the functional tests can host it.</summary>
public partial class Program;
