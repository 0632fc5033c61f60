using Connectra.Backend.Application.Changes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Connectra.Backend.Infrastructure.Persistence.Configurations;

internal sealed class ChangeEventConfiguration : IEntityTypeConfiguration<ChangeEvent>
{
    public void Configure(EntityTypeBuilder<ChangeEvent> builder)
    {
        builder.ToTable("change_events");
        builder.HasKey(e => e.Sequence);
        // Numbers are drawn under the feed's lock, so they follow commit order (docs/webhooks.md#ordering).
        builder.Property(e => e.Sequence).UseIdentityAlwaysColumn();
        builder.HasIndex(e => e.EventId).IsUnique();
        builder.Property(e => e.Type).HasMaxLength(32);
        builder.Property(e => e.Uuid).HasMaxLength(64);
        builder.Property(e => e.OwnerId).HasMaxLength(256);
        // The purge deletes by age.
        builder.HasIndex(e => e.OccurredAt);
    }
}

internal sealed class ChangeFeedHorizonConfiguration : IEntityTypeConfiguration<ChangeFeedHorizon>
{
    public void Configure(EntityTypeBuilder<ChangeFeedHorizon> builder)
    {
        builder.ToTable("change_feed_horizon");
        builder.Property(h => h.Id).ValueGeneratedNever();
        builder.HasData(new ChangeFeedHorizon { Id = ChangeFeedHorizon.TheRow, PurgedThrough = 0 });
    }
}
