using Connectra.Backend.Application.Exports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Connectra.Backend.Infrastructure.Persistence.Configurations;

internal sealed class UserExportConfiguration : IEntityTypeConfiguration<UserExport>
{
    public void Configure(EntityTypeBuilder<UserExport> builder)
    {
        builder.ToTable("user_exports", t =>
        {
            t.HasCheckConstraint("ck_user_exports_export_type", "export_type IN ('contacts', 'companies', 'emails')");
            t.HasCheckConstraint(
                "ck_user_exports_status", "status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')");
            t.HasCheckConstraint("ck_user_exports_kind", "kind IN ('uuids', 'query', 'chunked')");
        });
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(e => e.ExportId).IsUnique();
        // "My exports, newest first" is the only listing; the worker picks pending rows; the purge looks at expiry.
        builder.HasIndex(e => new { e.UserId, e.CreatedAt });
        builder.HasIndex(e => e.Status);
        builder.HasIndex(e => e.ExpiresAt);
        // A chunked export finds its chunks; the worker's claim asks whether any chunk is still running.
        builder.HasIndex(e => e.ParentExportId);
        // Stored as the lower-case words the API speaks, so the column reads the same in psql as on the wire.
        builder.Property(e => e.ExportType).HasConversion(LowerCaseEnum.Converter<ExportType>());
        builder.Property(e => e.Status).HasConversion(LowerCaseEnum.Converter<ExportStatus>());
        builder.Property(e => e.Kind).HasConversion(LowerCaseEnum.Converter<ExportKind>()).HasDefaultValue(ExportKind.Uuids);
        builder.Property(e => e.QueryJson).HasColumnType("jsonb");
        builder.Property(e => e.Checkpoint).HasColumnType("jsonb");
        // Rows that existed before these lists did get empty ones.
        builder.Property(e => e.Columns).HasDefaultValueSql("'{}'::text[]");
        builder.Property(e => e.MissingUuids).HasDefaultValueSql("'{}'::text[]");
        builder.Property(e => e.CreatedAt).HasDefaultValueSql("now()");
    }
}
