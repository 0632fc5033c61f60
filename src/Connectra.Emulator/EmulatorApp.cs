using Connectra.Emulator.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connectra.Emulator;

/// <summary>
/// Builds the web host. An empty builder on purpose: the emulator shares output folders with the backend (the
/// functional tests reference both), so it must not pick up the backend's appsettings or Kestrel sections.
/// </summary>
internal static class EmulatorApp
{
    public const string DefaultUrl = "http://127.0.0.1:8000";

    public static async Task<(WebApplication App, EmulatorEngine Engine)> CreateAsync(
        EmulatorOptions options, string url, IConfiguration? logging, bool reindex, CancellationToken ct)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().UseUrls(url);
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        if (logging is not null)
        {
            builder.Logging.AddConfiguration(logging);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        HttpPipeline.AddServices(builder.Services);
        var app = builder.Build();
        try
        {
            var engine = await EmulatorEngine.OpenAsync(options, app.Services.GetRequiredService<ILoggerFactory>(), reindex, ct);
            HttpPipeline.Configure(app, engine, options);
            return (app, engine);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
