using System.Globalization;
using Connectra.Emulator.Seeding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Connectra.Emulator;

/// <summary>
/// Command line (docs/emulator.md):
/// <code>
/// Connectra.Emulator [serve] [--reindex] [--urls URL]     serve (default http://127.0.0.1:8000)
/// Connectra.Emulator reindex                              rebuild the indexes from PostgreSQL, then exit
/// Connectra.Emulator seed --companies N --contacts M [--seed S] [--force]
/// </code>
/// Settings come from the "Emulator" section: environment (Emulator__ConnectionString, Emulator__ApiKey, …) or
/// command-line switches (--Emulator:ApiKey=…); the listen URL from --urls or ASPNETCORE_URLS.
/// </summary>
public static class EmulatorProgram
{
    private const string Usage = """
        usage: Connectra.Emulator [serve] [--reindex] [--urls URL]
               Connectra.Emulator reindex
               Connectra.Emulator seed --companies N --contacts M [--seed S] [--force]
        settings: Emulator__ConnectionString, Emulator__ApiKey (required), Emulator__IndexPath,
                  Emulator__MaxRequestsPerMinute, Emulator__Strict, Emulator__TermWalkMinimumMatches,
                  Emulator__FilterCacheMegabytes;
                  listen URL from --urls or ASPNETCORE_URLS
        """;

    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        if (!TryParse(rest, out var flags, out var settings))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(settings).Build();
        var options = new EmulatorOptions();
        configuration.GetSection(EmulatorOptions.SectionName).Bind(options);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        try
        {
            switch (command)
            {
                case "serve":
                    await ServeAsync(options, configuration, flags.ContainsKey("reindex"), stop.Token);
                    return 0;
                case "reindex":
                    using (var loggers = Loggers(configuration))
                    {
                        await (await EmulatorEngine.OpenAsync(options, loggers, reindex: true, stop.Token)).DisposeAsync();
                    }

                    return 0;

                case "seed" when Number(flags, "companies") is { } companies && Number(flags, "contacts") is { } contacts:
                    using (var loggers = Loggers(configuration))
                    {
                        await Seeder.RunAsync(options, new SeedRequest(companies, contacts, Number(flags, "seed") ?? 1, flags.ContainsKey("force")), loggers, stop.Token);
                    }

                    return 0;
                default:
                    await Console.Error.WriteLineAsync(Usage);
                    return 2;
            }
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 130;
        }
    }

    private static async Task ServeAsync(EmulatorOptions options, IConfiguration configuration, bool reindex, CancellationToken ct)
    {
        var url = configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? EmulatorApp.DefaultUrl;
        var (app, engine) = await EmulatorApp.CreateAsync(options, url, configuration.GetSection("Logging"), reindex, ct);
        await using (engine)
        await using (app)
        {
            await app.RunAsync(ct);
        }
    }

    private static ILoggerFactory Loggers(IConfiguration configuration) => LoggerFactory.Create(logging => logging
        .AddConfiguration(configuration.GetSection("Logging"))
        .AddSimpleConsole(console => console.SingleLine = true)
        .SetMinimumLevel(LogLevel.Information));

    private static int? Number(Dictionary<string, string?> flags, string name) =>
        flags.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>Splits our own flags from configuration switches, which are passed on untouched.</summary>
    private static bool TryParse(string[] args, out Dictionary<string, string?> flags, out string[] settings)
    {
        flags = new Dictionary<string, string?>(StringComparer.Ordinal);
        var passOn = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--reindex" or "--force":
                    flags[args[i][2..]] = null;
                    break;
                case "--companies" or "--contacts" or "--seed":
                    if (i + 1 >= args.Length)
                    {
                        settings = [];
                        return false;
                    }

                    flags[args[i][2..]] = args[++i];
                    break;
                default:
                    passOn.Add(args[i]);
                    break;
            }
        }

        settings = [.. passOn];
        return true;
    }
}
