using Connectra.Backend.Application.Companies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Connectra.Backend.Infrastructure.Persistence.Configurations;

internal sealed class CompanyConfiguration : IEntityTypeConfiguration<Company>
{
    public void Configure(EntityTypeBuilder<Company> builder)
    {
        builder.ToTable("companies");
        builder.Property(c => c.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(c => c.Uuid).IsUnique(); // contacts.company_id points here
        builder.Property(c => c.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(c => c.Version).IsConcurrencyToken();
    }
}

internal sealed class CompanyMetadataConfiguration : IEntityTypeConfiguration<CompanyMetadata>
{
    public void Configure(EntityTypeBuilder<CompanyMetadata> builder)
    {
        builder.ToTable("companies_metadata");
        builder.Property(m => m.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(m => m.Uuid).IsUnique();
        // The Sales Navigator ingest matches an existing company by its LinkedIn URL before minting a new uuid (docs/sales-navigator.md#matching).
        builder.HasIndex(m => m.LinkedinUrl);
    }
}
