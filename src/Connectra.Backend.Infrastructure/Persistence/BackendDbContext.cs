using Connectra.Backend.Application.Webhooks;
using Connectra.Backend.Application.Changes;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Importing;
using Connectra.Backend.Application.Outbox;
using Connectra.Backend.Application.SavedSearches;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Persistence;

/// <summary>The write side: contacts and companies as written, the outbox to Connectra, and export jobs. Never a read path for contact data.</summary>
public sealed class BackendDbContext(DbContextOptions<BackendDbContext> options) : DbContext(options)
{
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<ContactMetadata> ContactsMetadata => Set<ContactMetadata>();
    public DbSet<Company> Companies => Set<Company>();
    public DbSet<CompanyMetadata> CompaniesMetadata => Set<CompanyMetadata>();
    public DbSet<UserExport> UserExports => Set<UserExport>();
    public DbSet<UserImport> UserImports => Set<UserImport>();
    public DbSet<ImportRowError> ImportRowErrors => Set<ImportRowError>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<SavedSearch> SavedSearches => Set<SavedSearch>();
    public DbSet<SavedSearchSchedule> SavedSearchSchedules => Set<SavedSearchSchedule>();
    public DbSet<ScheduleFiring> ScheduleFirings => Set<ScheduleFiring>();
    public DbSet<ChangeEvent> ChangeEvents => Set<ChangeEvent>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BackendDbContext).Assembly);
}
