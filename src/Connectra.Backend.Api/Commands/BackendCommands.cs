using Connectra.Backend.Api.Auth;
using Connectra.Backend.Infrastructure;
using Connectra.Backend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Connectra.Backend.Api.Commands;

/// <summary>
/// One-shot verbs of the API executable, so deployment steps need nothing but the build output:
/// <c>migrate</c> applies EF Core migrations (an explicit step — the server never migrates at start-up);
/// <c>dev-token [--user ID] [--role ROLE[,ROLE]] [--hours H]</c> prints a development bearer token (role admin unless
/// given; <c>--role none</c> mints a token without a role claim, like the frontend's).
/// </summary>
internal static class BackendCommands
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "migrate" or "dev-token";

    public static async Task<int> RunAsync(WebApplicationBuilder builder, string[] args)
    {
        try
        {
            return args[0] switch
            {
                "migrate" => await MigrateAsync(builder.Configuration),
                _ => PrintDevelopmentToken(builder),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or NpgsqlException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"{args[0]}: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> MigrateAsync(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(DependencyInjection.ConnectionStringName)
            ?? throw new InvalidOperationException("ConnectionStrings:Backend is required (env ConnectionStrings__Backend).");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var options = DependencyInjection.Configure(new DbContextOptionsBuilder<BackendDbContext>(), dataSource);
        await using var db = new BackendDbContext((DbContextOptions<BackendDbContext>)options.Options);
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await db.Database.MigrateAsync();
        Console.WriteLine(pending.Count == 0 ? "Database is up to date." : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}");
        return 0;
    }

    private static int PrintDevelopmentToken(WebApplicationBuilder builder)
    {
        // A token signed with the configured key is a real credential; only Development may mint one this way.
        if (!builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException("dev-token works only with ASPNETCORE_ENVIRONMENT=Development.");
        }

        var auth = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        var user = builder.Configuration["user"] ?? "dev-user";
        var roles = Roles(builder.Configuration["role"]);
        var hours = double.TryParse(builder.Configuration["hours"], System.Globalization.CultureInfo.InvariantCulture, out var h) ? h : 24;
        Console.WriteLine(DevelopmentTokens.Create(auth, user, TimeSpan.FromHours(hours), TimeProvider.System, roles));
        return 0;
    }

    // A misspelt role would mint a token every role-gated route refuses; better to say so here.
    private static string[] Roles(string? option)
    {
        if (option is null)
        {
            return [AuthSetup.AdminRole];
        }

        var roles = option.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (roles is ["none"])
        {
            return [];
        }

        return roles.Length > 0 && roles.All(AuthSetup.Roles.Contains)
            ? roles
            : throw new ArgumentException($"--role takes {string.Join(", ", AuthSetup.Roles)} (comma-separated) or none, not '{option}'.");
    }
}
