using Connectra.Backend.Application.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Connectra.Backend.Infrastructure.Persistence.Configurations;

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("webhook_subscriptions");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.OwnerId).HasMaxLength(256);
        builder.Property(s => s.Url).HasMaxLength(WebhookLimits.Url);
        builder.Property(s => s.Description).HasMaxLength(WebhookLimits.Description);
        builder.Property(s => s.DisabledReason).HasMaxLength(500);
        // "My subscriptions, newest first" is the only listing.
        builder.HasIndex(s => new { s.OwnerId, s.CreatedAt });
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries", t =>
            t.HasCheckConstraint("ck_webhook_deliveries_status", "status IN ('pending', 'processing', 'delivered', 'failed')"));
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Ignore(d => d.WebhookId);
        builder.Property(d => d.Status).HasConversion(LowerCaseEnum.Converter<WebhookDeliveryStatus>()).HasMaxLength(16);
        builder.Property(d => d.LeaseOwner).HasMaxLength(256);
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        // The claim looks for a subscription's oldest open delivery; the fan-out for subscriptions with none.
        builder.HasIndex(d => new { d.SubscriptionId, d.Status, d.CreatedAt });
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.ToTable("webhook_attempts");
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Outcome).HasMaxLength(16);
        builder.Property(a => a.Error).HasMaxLength(1000);
        builder.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(a => a.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        // The delivery log pages one subscription's attempts, newest first.
        builder.HasIndex(a => new { a.SubscriptionId, a.Id });
    }
}
