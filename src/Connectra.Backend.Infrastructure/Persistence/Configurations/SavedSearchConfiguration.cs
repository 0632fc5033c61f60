using Connectra.Backend.Application.SavedSearches;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Connectra.Backend.Infrastructure.Persistence.Configurations;

internal sealed class SavedSearchConfiguration : IEntityTypeConfiguration<SavedSearch>
{
    public void Configure(EntityTypeBuilder<SavedSearch> builder)
    {
        builder.ToTable("saved_searches", t =>
        {
            t.HasCheckConstraint("ck_saved_searches_entity", "entity IN ('contacts', 'companies')");
            t.HasCheckConstraint("ck_saved_searches_visibility", "visibility IN ('private', 'shared')");
        });
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(e => e.SavedSearchId).IsUnique();
        // The list: the caller's own searches and the shared ones, most recently changed first.
        builder.HasIndex(e => new { e.OwnerId, e.UpdatedAt });
        builder.HasIndex(e => new { e.Visibility, e.UpdatedAt });
        builder.Property(e => e.Entity).HasConversion(LowerCaseEnum.Converter<SavedSearchEntity>());
        builder.Property(e => e.Visibility).HasConversion(LowerCaseEnum.Converter<SavedSearchVisibility>());
        builder.Property(e => e.QueryJson).HasColumnType("jsonb");
        builder.Property(e => e.Name).HasMaxLength(SavedSearchLimits.Name);
        builder.Property(e => e.Description).HasMaxLength(SavedSearchLimits.Description);
    }
}

internal sealed class SavedSearchScheduleConfiguration : IEntityTypeConfiguration<SavedSearchSchedule>
{
    public void Configure(EntityTypeBuilder<SavedSearchSchedule> builder)
    {
        builder.ToTable("saved_search_schedules");
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(e => e.ScheduleId).IsUnique();
        builder.HasIndex(e => e.SavedSearchId);
        // The scheduler's poll: enabled schedules whose next occurrence has come.
        builder.HasIndex(e => e.NextFireAt).HasFilter("enabled");
        builder.Property(e => e.Cron).HasMaxLength(CronSchedule.MaxLength);
        builder.Property(e => e.TimeZone).HasMaxLength(CronSchedule.MaxTimeZoneLength);
    }
}

internal sealed class ScheduleFiringConfiguration : IEntityTypeConfiguration<ScheduleFiring>
{
    public void Configure(EntityTypeBuilder<ScheduleFiring> builder)
    {
        builder.ToTable("schedule_firings", t => t.HasCheckConstraint(
            "ck_schedule_firings_status", "status IN ('pending', 'processing', 'completed', 'skipped', 'failed')"));
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        // One firing per occurrence, whichever replica plans it first: the guarantee of one export per firing.
        builder.HasIndex(e => new { e.ScheduleId, e.FireAt }).IsUnique();
        builder.HasIndex(e => e.Status);
        builder.Property(e => e.Status).HasConversion(LowerCaseEnum.Converter<FiringStatus>());
        builder.Property(e => e.CreatedAt).HasDefaultValueSql("now()");
    }
}
