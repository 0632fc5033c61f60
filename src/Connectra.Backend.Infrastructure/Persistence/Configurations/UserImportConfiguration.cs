using Connectra.Backend.Application.Importing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Connectra.Backend.Infrastructure.Persistence.Configurations;

internal sealed class UserImportConfiguration : IEntityTypeConfiguration<UserImport>
{
    public void Configure(EntityTypeBuilder<UserImport> builder)
    {
        builder.ToTable("user_imports", t =>
        {
            t.HasCheckConstraint("ck_user_imports_status", "status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')");
            t.HasCheckConstraint("ck_user_imports_phase", "phase IN ('validating', 'processing')");
        });
        builder.Property(i => i.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(i => i.ImportId).IsUnique();
        // "My imports, newest first" is the only listing; the worker picks pending rows.
        builder.HasIndex(i => new { i.UserId, i.CreatedAt });
        builder.HasIndex(i => i.Status);
        // Stored as the lower-case words the API speaks, so the column reads the same in psql as on the wire.
        builder.Property(i => i.Entity).HasConversion(LowerCaseEnum.Converter<ImportEntity>());
        builder.Property(i => i.Status).HasConversion(LowerCaseEnum.Converter<ImportStatus>());
        builder.Property(i => i.Phase).HasConversion(LowerCaseEnum.Converter<ImportPhase>());
        builder.Property(i => i.Mode).HasConversion(LowerCaseEnum.Converter<ImportMode>());
        builder.Property(i => i.MatchOn).HasConversion(LowerCaseEnum.Converter<ImportMatchKey>());
        builder.Property(i => i.BlankValues).HasConversion(LowerCaseEnum.Converter<ImportBlankValues>());
        builder.Property(i => i.MappingJson).HasColumnType("jsonb");
        builder.Property(i => i.CreatedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class ImportRowErrorConfiguration : IEntityTypeConfiguration<ImportRowError>
{
    public void Configure(EntityTypeBuilder<ImportRowError> builder)
    {
        builder.ToTable("user_import_errors");
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        // The errors route pages one import's errors in file order.
        builder.HasIndex(e => new { e.ImportId, e.Line });
        builder.HasOne<UserImport>().WithMany().HasForeignKey(e => e.ImportId).HasPrincipalKey(i => i.ImportId).OnDelete(DeleteBehavior.Cascade);
    }
}
