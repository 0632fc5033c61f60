using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Connectra.Backend.Api.Auth;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;

namespace Connectra.Backend.FunctionalTests.Logging;

/// <summary>
/// The API logging everything it can (every category at Verbose) into <see cref="Lines"/>, with a database password
/// in its connection string.
/// </summary>
public sealed class LogCaptureHost : FakeConnectraHost
{
    public const string DatabasePassword = "pg-secret-Zq81";

    private readonly CapturingSink _sink = new();

    public IReadOnlyCollection<string> Lines => _sink.Lines;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // Trust authentication ignores it, so the database still answers; what matters is that it is configured.
        builder.UseSetting("ConnectionStrings:Backend", $"{ConnectionString};Password={DatabasePassword}");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Verbose");
        foreach (var category in new[] { "Microsoft", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "System", "System.Net.Http.HttpClient", "Polly" })
        {
            builder.UseSetting($"Serilog:MinimumLevel:Override:{category}", "Verbose");
        }

        builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(_sink));
    }

    private sealed class CapturingSink : ILogEventSink
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public void Emit(LogEvent logEvent)
        {
            var properties = string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"));
            _lines.Enqueue($"{logEvent.Level} {logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)} | {properties} | {logEvent.Exception}");
        }
    }
}

/// <summary>Requests full of secrets and personal data, failing in every way, leave none of it in the logs.</summary>
public sealed class LogHygieneTests(LogCaptureHost api) : IClassFixture<LogCaptureHost>
{
    private const string Email = "jane.leaky@example.org";
    private const string OtherEmail = "bob.leaky@example.net";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_token_api_key_password_or_email_reaches_a_log_line()
    {
        var reader = Tokens.Create("log-reader", AuthSetup.ReaderRole);
        var writer = Tokens.Create("log-writer", AuthSetup.WriterRole);
        var expired = Tokens.Expired("log-late", AuthSetup.AdminRole);
        var forged = Tokens.WrongSignature("log-forger", AuthSetup.AdminRole);
        var byEmail = $$$"""{"filters":{"and":[{"field":"email","operator":"eq","value":"{{{Email}}}"}]},"limit":5}""";
        var statuses = new List<int>();

        async Task SendAsync(string method, string path, string? token, string? body = null)
        {
            using var client = api.CreateClient();
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
            };
            if (token is not null)
            {
                request.Headers.Authorization = new("Bearer", token);
            }

            using var response = await client.SendAsync(request, Ct);
            statuses.Add((int)response.StatusCode);
        }

        await SendAsync("POST", "/api/v3/contacts/query", reader, byEmail);
        await SendAsync("GET", $"/api/v3/companies/company/{FakeConnectra.Company}/contacts/?email={Uri.EscapeDataString(Email)}", reader);
        await SendAsync("POST", "/api/v3/contacts/", writer, $$"""{"first_name":"Jane","email":"{{OtherEmail}}"}""");
        await SendAsync("POST", "/api/v3/contacts/query", reader, $$"""{"limit":"{{Email}}"}""");
        await SendAsync("POST", "/api/v3/contacts/query", reader, $$$"""{"filters":{"and":[{"field":"{{{Email}}}","operator":"eq","value":"x"}]}}""");
        await SendAsync("POST", "/api/v3/contacts/", reader, $$"""{"email":"{{OtherEmail}}"}""");
        await SendAsync("POST", "/api/v3/contacts/query", expired, byEmail);
        await SendAsync("POST", "/api/v3/contacts/query", forged, byEmail);
        await SendAsync("GET", "/health/vql", forged);
        api.Connectra.Behaviour = FakeConnectra.Status(500, $$"""{"error":"no index for {{Email}}","success":false}""");
        try
        {
            await SendAsync("POST", "/api/v3/contacts/query", reader, byEmail);
            await SendAsync("GET", "/health/vql", Tokens.Create("log-admin", AuthSetup.AdminRole));
        }
        finally
        {
            api.Connectra.Behaviour = FakeConnectra.Healthy;
        }

        using (var databaseDown = api.WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Backend",
            $"Host=127.0.0.1;Port={LoopbackPorts.Free()};Username=postgres;Password={LogCaptureHost.DatabasePassword};Database=none;Timeout=2")))
        {
            using var client = databaseDown.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", writer);
            using var write = await client.PostAsync("/api/v3/contacts/",
                new StringContent($$"""{"first_name":"Jane","email":"{{OtherEmail}}"}""", Encoding.UTF8, "application/json"), Ct);
            using var health = await client.GetAsync("/health/db", Ct);
            statuses.Add((int)write.StatusCode);
            statuses.Add((int)health.StatusCode);
        }

        // The requests did fail the ways this test is about, and the app did log them.
        Assert.Equal([200, 200, 201, 400, 400, 403, 401, 401, 200, 503, 503, 503, 503], statuses);
        var lines = api.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("responded 503", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Connectra unavailable", StringComparison.Ordinal));
        foreach (var secret in new[] { reader, writer, expired, forged, BackendFactory.ConnectraApiKey, LogCaptureHost.DatabasePassword, Email, OtherEmail })
        {
            var leaks = lines.Where(l => l.Contains(secret, StringComparison.OrdinalIgnoreCase)
                || l.Contains(Uri.EscapeDataString(secret), StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(leaks.Count == 0, $"'{secret[..Math.Min(12, secret.Length)]}…' logged:\n{string.Join("\n", leaks.Take(5))}");
        }
    }

    [Fact]
    public void An_email_address_that_slips_into_a_log_line_keeps_only_its_domain()
    {
        var logger = api.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LogHygieneProbe");
        var marker = Guid.NewGuid().ToString("N");

#pragma warning disable CA1848, CA2254 // a one-off line from the test, not an app event
        logger.LogWarning("Probe {Marker} {Who} {Many}", marker, $"contact {Email}", new[] { OtherEmail, "plain" });
#pragma warning restore CA1848, CA2254

        var line = Assert.Single(api.Lines, l => l.Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain(Email, line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(OtherEmail, line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("contact ***@example.org", line, StringComparison.Ordinal);
        Assert.Contains("***@example.net", line, StringComparison.Ordinal);
        Assert.Contains("plain", line, StringComparison.Ordinal);
    }
}
