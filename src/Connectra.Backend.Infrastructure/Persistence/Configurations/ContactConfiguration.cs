using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Connectra.Backend.Infrastructure.Persistence.Configurations;

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.ToTable("contacts");
        builder.Property(c => c.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(c => c.Uuid).IsUnique(); // Connectra identifies contacts by uuid
        builder.Property(c => c.Email).HasMaxLength(320);
        builder.Property(c => c.Seniority).HasDefaultValue(Contact.Unknown);
        builder.Property(c => c.Status).HasDefaultValue(Contact.Unknown);
        builder.Property(c => c.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(c => c.Version).IsConcurrencyToken();
        // Imports match contacts by e-mail address (docs/imports.md#matching).
        builder.HasIndex(c => c.Email);
        // The original's read indexes (names, titles, trigram search…) are left out on purpose: reads go to
        // Connectra, and every index here only slows the ingest down (docs/decisions/0002).
        builder.HasOne<Company>()
            .WithMany()
            .HasForeignKey(c => c.CompanyId)
            .HasPrincipalKey(c => c.Uuid)
            .OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ContactMetadataConfiguration : IEntityTypeConfiguration<ContactMetadata>
{
    public void Configure(EntityTypeBuilder<ContactMetadata> builder)
    {
        builder.ToTable("contacts_metadata");
        builder.Property(m => m.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(m => m.Uuid).IsUnique();
        // Imports match contacts by LinkedIn URL (docs/imports.md#matching).
        builder.HasIndex(m => m.LinkedinUrl);
        foreach (var property in builder.Metadata.GetProperties().Where(p => p.ClrType == typeof(string) && p.Name != nameof(ContactMetadata.Uuid)))
        {
            property.SetDefaultValue(Contact.Unknown);
        }
    }
}
