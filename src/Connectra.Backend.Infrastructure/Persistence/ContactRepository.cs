using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.Infrastructure.Persistence;

internal sealed class ContactRepository(BackendDbContext db, TimeProvider clock) : IContactRepository
{
    public Task UpsertAsync(IReadOnlyList<(Contact Contact, ContactMetadata Metadata)> contacts, CancellationToken ct)
    {
        var now = UuidUpsert.StoredPrecision(clock.GetUtcNow());
        return db.UpsertWithMetadataAsync(contacts, now, (contact, metadata, _) => ConnectraRecords.For(contact, metadata, now), ct);
    }

    public Task<(Contact Row, ContactMetadata Metadata)?> FindForWriteAsync(string uuid, CancellationToken ct) =>
        RecordStore.FindForWriteAsync<Contact, ContactMetadata>(db, uuid, u => new ContactMetadata { Uuid = u }, ct);

    public Task<IReadOnlyDictionary<string, (Contact Row, ContactMetadata Metadata)>> LockForWriteAsync(IReadOnlyCollection<string> uuids, CancellationToken ct)
    {
        var keys = uuids.Distinct().ToArray();
        return RecordStore.LockForWriteAsync(db,
            db.Contacts.FromSql($"SELECT * FROM contacts WHERE uuid = ANY({keys}) ORDER BY uuid FOR UPDATE"),
            keys, u => new ContactMetadata { Uuid = u }, ct);
    }

    public Task SaveAsync(Contact row, ContactMetadata metadata, long? expectedVersion, IReadOnlyList<OutboxMessage> outbox, CancellationToken ct) =>
        RecordStore.SaveAsync(db, row, metadata, expectedVersion, outbox, ct);

    [Obsolete("Contacts are read through Connectra (IConnectraApi); PostgreSQL is the write side only.")]
    public Task<Contact?> FindAsync(string uuid, CancellationToken ct) =>
        db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Uuid == uuid, ct);
}
