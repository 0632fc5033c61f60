using Connectra.Backend.Application.Contacts;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Persistence;

internal sealed class ContactRepository(BackendDbContext db, TimeProvider clock) : IContactRepository
{
    public async Task UpsertAsync(IReadOnlyList<(Contact Contact, ContactMetadata Metadata)> contacts, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Contacts.UpsertByUuidAsync(
            [.. contacts.Select(c => c.Contact)],
            c => c.Uuid,
            (incoming, stored) =>
            {
                incoming.Id = stored?.Id ?? 0;
                incoming.CreatedAt = stored?.CreatedAt ?? now;
                incoming.UpdatedAt = now;
            },
            ct);
        await db.ContactsMetadata.UpsertByUuidAsync(
            [.. contacts.Select(c => c.Metadata)], m => m.Uuid, (incoming, stored) => incoming.Id = stored?.Id ?? 0, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    [Obsolete("Contacts are read through Connectra (IConnectraApi); PostgreSQL is the write side only.")]
    public Task<Contact?> FindAsync(string uuid, CancellationToken ct) =>
        db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Uuid == uuid, ct);
}
