using Connectra.Backend.Application.Changes;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Infrastructure.Changes;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Importing;
using Connectra.Backend.Infrastructure.Exports;
using Connectra.Backend.Infrastructure.Importing;
using Connectra.Backend.Infrastructure.Outbox;
using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.Writing;
using Connectra.Backend.Infrastructure.Persistence;
using Connectra.Backend.Application.SavedSearches;
using Connectra.Backend.Infrastructure.SavedSearches;
using Connectra.Backend.Application.Webhooks;
using Connectra.Backend.Infrastructure.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Connectra.Backend.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "Backend";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>()
            .Configure<IConfiguration>((o, configuration) => o.ConnectionString = configuration.GetConnectionString(ConnectionStringName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NpgsqlPoolMetrics>();
        services.AddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString);
            builder.Name = "backend";
            // No DISCARD ALL on every return to the pool: the backend keeps no session state (settings are SET LOCAL,
            // temporary tables drop at commit), and the reset also threw away the plans PostgreSQL had cached for the
            // change feed's commit trigger, which every write runs (docs/writes.md#one-write-path).
            builder.ConnectionStringBuilder.NoResetOnClose = true;
            return builder.Build();
        });
        services.AddDbContextPool<BackendDbContext>((sp, options) => Configure(options, sp.GetRequiredService<NpgsqlDataSource>()));

        services.AddScoped<IContactRepository, ContactRepository>();
        services.AddScoped<ICompanyRepository, CompanyRepository>();
        services.AddScoped<IRecordStore<Contact, ContactMetadata>>(sp => sp.GetRequiredService<IContactRepository>());
        services.AddScoped<IRecordStore<Company, CompanyMetadata>>(sp => sp.GetRequiredService<ICompanyRepository>());
        services.AddScoped<IOutboxStore, OutboxStore>();
        services.AddScoped<IWriteTransaction, WriteTransaction>();
        services.AddScoped<IChangeFeedStore, ChangeFeedStore>();

        services.AddScoped<IExportRepository, ExportRepository>();
        services.AddSingleton<IExportStorage, LocalExportStorage>();
        services.AddScoped<ISavedSearchStore, SavedSearchStore>();

        services.AddScoped<IImportRepository, ImportRepository>();
        services.AddSingleton<IImportLookup, ImportLookup>();
        services.AddSingleton<IImportStorage, LocalImportStorage>();

        services.AddScoped<IWebhookStore, WebhookStore>();
        services.AddSingleton<IWebhookSender, WebhookSender>();
        return services;
    }

    /// <summary>The background workers: only in the serving host, never in command-line verbs such as migrate.</summary>
    public static IServiceCollection AddBackgroundWorkers(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue("Exports:WorkerEnabled", true))
        {
            services.AddHostedService<ExportWorker>();
        }

        if (configuration.GetValue("SavedSearches:SchedulerEnabled", true))
        {
            services.AddHostedService<ScheduleWorker>();
        }

        if (configuration.GetValue("Imports:WorkerEnabled", true))
        {
            services.AddHostedService<ImportWorker>();
        }

        if (configuration.GetValue("ChangeFeed:PurgeEnabled", true))
        {
            services.AddHostedService<ChangeFeedPurger>();
        }

        if (configuration.GetValue("Webhooks:WorkerEnabled", true))
        {
            services.AddHostedService<WebhookWorker>();
        }

        if (configuration.GetValue("Outbox:DispatcherEnabled", true))
        {
            services.AddHostedService<OutboxWorker>();
        }

        return services;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource).UseSnakeCaseNamingConvention();
}
