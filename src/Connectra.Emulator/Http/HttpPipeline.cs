using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connectra.Emulator.Http;

/// <summary>
/// Connectra's middleware chain in its order (docs/connectra.md#transport): logger → recovery → CORS → gzip → rate limiter →
/// API key → route. Gin's trailing-slash redirect comes before all of them.
/// </summary>
internal static partial class HttpPipeline
{
    private const string CorsPolicy = "connectra";

    public static void AddServices(IServiceCollection services)
    {
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .AllowAnyOrigin()
            .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")
            .WithHeaders("Origin", "Content-Type", "Accept", "Authorization", "X-Requested-With", "X-API-Key", "Connection")));
        services.AddResponseCompression(options => options.Providers.Add<GzipCompressionProvider>());
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
    }

    public static void Configure(WebApplication app, EmulatorEngine engine, EmulatorOptions options)
    {
        var routes = new Routes(engine);
        var bucket = new TokenBucket(options.MaxRequestsPerMinute, TimeProvider.System);
        var apiKey = Encoding.UTF8.GetBytes(options.ApiKey);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Connectra.Emulator.Http");

        app.Use(async (context, next) =>
        {
            if (!routes.TryRedirect(context))
            {
                await next(context);
            }
        });
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            await next(context);
            LogRequest(logger, context.Request.Method, context.Request.Path.Value ?? "", context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
            {
                // Gin's recovery: a panic is a 500 with an empty body.
                LogPanic(logger, ex, context.Request.Method, context.Request.Path.Value ?? "");
                if (!context.Response.HasStarted)
                {
                    context.Response.Clear();
                    context.Response.StatusCode = 500;
                }
            }
        });
        app.UseCors(CorsPolicy);
        app.UseResponseCompression();
        app.Use(async (context, next) =>
        {
            if (!bucket.TryTake())
            {
                await Responses.MiddlewareError(context, 429, "rate limit exceeded", "too many requests, please try again later");
                return;
            }

            await next(context);
        });
        app.Use(async (context, next) =>
        {
            var sent = Encoding.UTF8.GetBytes(context.Request.Headers["X-API-Key"].ToString());
            if (apiKey.Length == 0 || !CryptographicOperations.FixedTimeEquals(sent, apiKey))
            {
                await Responses.MiddlewareError(context, 401, "unauthorized", "invalid API key");
                return;
            }

            await next(context);
        });
        app.Run(routes.DispatchAsync);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path} {Status} in {ElapsedMs:F1} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure on {Method} {Path}")]
    private static partial void LogPanic(ILogger logger, Exception exception, string method, string path);
}
