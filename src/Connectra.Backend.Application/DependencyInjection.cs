using Connectra.Backend.Application.Changes;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Importing;
using Connectra.Backend.Application.LinkedIn;
using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Reading;
using Connectra.Backend.Application.SalesNavigator;
using Connectra.Backend.Application.SavedSearches;
using Connectra.Backend.Application.Upstream;
using Connectra.Backend.Application.Filters;
using Connectra.Backend.Application.Writing;
using Connectra.Backend.Application.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Connectra.Backend.Application;

public static class DependencyInjection
{
    /// <summary>Services are scoped: they take the transient Refit client and live for one request.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddOptions<PagingOptions>().BindConfiguration(PagingOptions.SectionName);
        services.AddOptions<RequestLimits>().BindConfiguration(RequestLimits.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CursorCodec>();
        services.AddSingleton<PagedSearch>();
        services.AddScoped<ConnectraCall>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FilterCatalogueCache>();
        services.AddSingleton(ConnectraEntities.Contacts);
        services.AddSingleton(ConnectraEntities.Companies);
        services.AddScoped(typeof(EntityReader<>));
        services.AddScoped<ContactsService>();
        services.AddScoped<CompaniesService>();
        services.AddScoped<LinkedInService>();
        services.AddScoped<SalesNavigatorImporter>();
        services.AddScoped<SalesNavigatorService>();
        services.AddOptions<SalesNavigatorOptions>().BindConfiguration(SalesNavigatorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ScrapeSlots>();

        services.AddOptions<ExportOptions>().BindConfiguration(ExportOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ExportSignal>();
        services.AddScoped<ExportService>();
        services.AddScoped<ExportRunner>();
        services.AddSingleton<ExportMetrics>();

        services.AddOptions<SavedSearchOptions>().BindConfiguration(SavedSearchOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ScheduleSignal>();
        services.AddScoped<SavedSearchService>();
        services.AddScoped<ScheduleRunner>();
        services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.HeartbeatInterval < o.LeaseDuration * 0.5, "Imports:HeartbeatInterval must be under half of Imports:LeaseDuration, so a lease is renewed before it can pass.")
            .ValidateOnStart();
        services.AddSingleton<ImportSignal>();
        services.AddScoped<ImportService>();
        services.AddScoped<ImportRunner>();
        services.AddOptions<ChangeFeedOptions>().BindConfiguration(ChangeFeedOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ChangeFeedService>();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.LeaseDuration > o.Timeout * 2, "Webhooks:LeaseDuration must be over twice Webhooks:Timeout, so a request ends well before its lease can pass.")
            .ValidateOnStart();
        services.AddSingleton<WebhookSignal>();
        services.TryAddSingleton<IWebhookResolver, DnsWebhookResolver>();
        services.AddScoped<WebhookService>();
        services.AddScoped<WebhookDeliveryRunner>();

        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<ConnectraRecovery>();
        services.AddScoped(typeof(ConnectraDelivery<>));
        services.AddScoped<OutboxDispatcher>();
        services.AddSingleton<OutboxMetrics>();
        services.AddSingleton<IWriteRules<Company, CompanyMetadata>, CompanyWriteRules>();
        services.AddScoped<IWriteRules<Contact, ContactMetadata>, ContactWriteRules>();
        services.AddScoped(typeof(WriteService<,>));
        services.AddScoped(typeof(RecordWriter<,>));
        return services;
    }
}
