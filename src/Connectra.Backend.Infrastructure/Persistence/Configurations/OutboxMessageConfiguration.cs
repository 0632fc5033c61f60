using Connectra.Backend.Application.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Connectra.Backend.Infrastructure.Persistence.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public const string Table = "connectra_outbox";

    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable(Table);
        builder.Property(m => m.Id).UseIdentityAlwaysColumn();
        builder.Property(m => m.Entity).HasMaxLength(32);
        builder.Property(m => m.Uuid).HasMaxLength(64);
        builder.Property(m => m.DependsOn).HasMaxLength(64);
        builder.Property(m => m.LastError).HasMaxLength(OutboxMessage.MaxErrorLength);
        // The outbox's own SQL inserts rows too (a company's contacts sent again) and must not have to name it.
        builder.Property(m => m.WaitingForConnectra).HasDefaultValue(false);
        // The dispatcher only ever looks at undelivered rows; delivered ones wait for the purge. Partial indexes keep
        // its queries as cheap with a year of history as with none (docs/outbox.md#table).
        // The claim's filter and order in one index, so a claim reads one entity's due rows in order and stops at its
        // batch, whatever the backlog. With the entity first the planner has no cheaper index for the claim even before
        // statistics exist: after a bulk import, an index of (next_attempt_at, id) lost to the pending-record index
        // (it has the entity) plus a sort of the whole backlog, ~2 s a claim for 100,000 rows (docs/outbox.md#table).
        builder.HasIndex(m => new { m.Entity, m.NextAttemptAt, m.Id }).HasFilter("delivered_at IS NULL").HasDatabaseName("ix_connectra_outbox_due");
        builder.HasIndex(m => new { m.Entity, m.Uuid, m.Id }).HasFilter("delivered_at IS NULL").HasDatabaseName("ix_connectra_outbox_pending_record");
        builder.HasIndex(m => m.DeliveredAt).HasFilter("delivered_at IS NOT NULL").HasDatabaseName("ix_connectra_outbox_delivered");
    }
}
