using System.Diagnostics;
using Npgsql;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of a test's own, from the machine's binaries (as scripts/postgres.sh finds them), so the test
/// can stop it under traffic and start it again without disturbing every other test's shared server.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly int _port;

    private PrivatePostgres(string bin, string root, int port)
    {
        _bin = bin;
        _root = root;
        _port = port;
    }

    /// <summary>The cluster's maintenance database; <see cref="TestDatabase"/> creates test databases beside it.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Username = "postgres",
        Database = "postgres",
        // Failures must show quickly while the server is down, not after Npgsql's 15 s default.
        Timeout = 3,
    }.ConnectionString;

    private string DataDirectory => Path.Combine(_root, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>Picks the binaries, a folder and a port; <see cref="StartAsync"/> creates and starts the cluster.</summary>
    public static PrivatePostgres Create()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL binaries are missing (apt-get install -y postgresql); ./test.sh installs them.");
        }

        var root = Directory.CreateTempSubdirectory("connectra-pg-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101); // the postgres user must reach the cluster inside
        }

        return new PrivatePostgres(bin, root, LoopbackPorts.Free());
    }

    /// <summary>Creates the cluster on first use, then starts it on its port, so connection strings stay valid across restarts.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (!Directory.Exists(DataDirectory))
        {
            // initdb refuses to run as root: the cluster belongs to the postgres user, in a folder it can enter.
            if (IsRoot)
            {
                await RunAsync("chown", ["postgres:postgres", _root], asOwner: false, ct);
            }

            await RunToolAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "-N", "-E", "UTF8", "--locale=C.UTF-8"], ct);
        }

        await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o",
            $"-p {_port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200",
            "start"], ct);
    }

    /// <summary>Stops the cluster the way a crash would: connections drop at once, nothing is shut down politely.</summary>
    public Task StopAsync(CancellationToken ct) =>
        RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], ct);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }

        Directory.Delete(_root, recursive: true);
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct) =>
        RunAsync(Path.Combine(_bin, tool), arguments, asOwner: IsRoot, ct);

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asOwner, CancellationToken ct)
    {
        var start = new ProcessStartInfo(asOwner ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asOwner)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
