using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Writing;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Persistence;

internal sealed class ContactRepository(BackendDbContext db) : IContactRepository
{
    public Task<(Contact Row, ContactMetadata Metadata)?> FindForWriteAsync(string uuid, CancellationToken ct) =>
        RecordStore.FindForWriteAsync<Contact, ContactMetadata>(db, uuid, u => new ContactMetadata { Uuid = u }, ct);

    public Task<IReadOnlyDictionary<string, (Contact Row, ContactMetadata Metadata)>> LockForWriteAsync(IReadOnlyCollection<string> uuids, CancellationToken ct)
    {
        var keys = uuids.Distinct().ToArray();
        return RecordStore.LockForWriteAsync(db,
            db.Contacts.FromSql($"SELECT * FROM contacts WHERE uuid = ANY({keys}) ORDER BY uuid FOR UPDATE"),
            keys, u => new ContactMetadata { Uuid = u }, ct);
    }

    public Task SaveAsync(IReadOnlyList<RecordWrite<Contact, ContactMetadata>> writes, CancellationToken ct) =>
        RecordStore.SaveAsync(db, writes, ct);

    [Obsolete("Contacts are read through Connectra (IConnectraApi); PostgreSQL is the write side only.")]
    public Task<Contact?> FindAsync(string uuid, CancellationToken ct) =>
        db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Uuid == uuid, ct);
}
