using Connectra.Backend.Application.Contacts;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Persistence;

internal sealed class ContactRepository(BackendDbContext db, TimeProvider clock) : IContactRepository
{
    public Task UpsertAsync(IReadOnlyList<(Contact Contact, ContactMetadata Metadata)> contacts, CancellationToken ct) =>
        db.UpsertWithMetadataAsync(contacts, clock.GetUtcNow(), ct);

    [Obsolete("Contacts are read through Connectra (IConnectraApi); PostgreSQL is the write side only.")]
    public Task<Contact?> FindAsync(string uuid, CancellationToken ct) =>
        db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Uuid == uuid, ct);
}
