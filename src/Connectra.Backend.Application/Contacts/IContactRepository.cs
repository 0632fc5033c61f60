using Connectra.Backend.Application.Writing;

namespace Connectra.Backend.Application.Contacts;

/// <summary>
/// Writes contacts to PostgreSQL. Reads belong to Connectra (docs/architecture.md#read-path); the read members exist only for the
/// write path's own bookkeeping and are obsolete for serving data.
/// </summary>
public interface IContactRepository : IRecordStore<Contact, ContactMetadata>
{
    [Obsolete("Contacts are read through Connectra (IConnectraApi); PostgreSQL is the write side only.")]
    Task<Contact?> FindAsync(string uuid, CancellationToken ct);
}
