using System.Diagnostics;
using System.Net;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>
/// The backend as its own operating-system process, built as it ships (src/Connectra.Backend.Api's build output), so a
/// test can SIGKILL it: no disposal, no graceful shutdown, no finally block runs, exactly as when a replica dies.
/// </summary>
public sealed class BackendProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringWriterLog _log;

    private BackendProcess(Process process, Uri url, StringWriterLog log)
    {
        _process = process;
        Url = url;
        _log = log;
    }

    public Uri Url { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote so far, for a failing assertion's message.</summary>
    public string Output => _log.ToString();

    /// <summary>
    /// Starts the backend with <paramref name="settings"/> (configuration keys as in appsettings, ':' separated) and
    /// waits until it answers <c>/health</c>.
    /// </summary>
    public static async Task<BackendProcess> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        var dll = ApiAssemblyPath();
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development"; // the development signing key the tests' tokens use
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        foreach (var (key, value) in BackendFactory.Unthrottled.Concat(settings))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the backend did not start");
        var log = new StringWriterLog();
        process.OutputDataReceived += (_, line) => log.Append(line.Data);
        process.ErrorDataReceived += (_, line) => log.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new BackendProcess(process, new Uri($"http://127.0.0.1:{port}"), log);
        await started.WaitUntilAnsweringAsync(ct);
        return started;
    }

    public HttpClient CreateClient() => new() { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>SIGKILL: the process ends mid-instruction; its open transactions die with its connections.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the backend exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/health", ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // starting up slowly
            }

            if (DateTime.UtcNow > deadline)
            {
                await KillAsync();
                throw new TimeoutException($"the backend did not answer /health within 60 s:\n{Output}");
            }

            await Task.Delay(100, ct);
        }
    }

    /// <summary>The shipped build of the API, next to this test build in the same configuration.</summary>
    private static string ApiAssemblyPath()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name; // …/bin/<configuration>/<framework>
        var configuration = testOutput.Parent!.Name;
        for (var directory = testOutput; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Connectra.Backend.sln")))
            {
                var dll = Path.Combine(directory.FullName, "src", "Connectra.Backend.Api", "bin", configuration, framework, "Connectra.Backend.Api.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first; the API's build output is missing.", dll);
            }
        }

        throw new DirectoryNotFoundException($"No Connectra.Backend.sln above {testOutput.FullName}.");
    }

    private sealed class StringWriterLog
    {
        private readonly System.Text.StringBuilder _text = new();

        public void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_text)
            {
                _text.AppendLine(line);
            }
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}
