using Connectra.Backend.Application.Importing;
using Npgsql;

namespace Connectra.Backend.Infrastructure.Importing;

/// <summary>
/// Finds live records by an import's match key (docs/imports.md#matching), one statement per batch, each served by
/// an index (<c>contacts.email</c>, the metadata <c>linkedin_url</c> columns, and the website-domain expression).
/// </summary>
internal sealed class ImportLookup(NpgsqlDataSource database) : IImportLookup
{
    /// <summary>The host of a website URL, lower-case, without <c>www.</c>: the same expression as the index on it.</summary>
    public const string WebsiteDomain =
        "lower(regexp_replace(substring(m.website from '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#@]+)'), '^www\\.', '', 'i'))";

    public async Task<IReadOnlyDictionary<string, List<string>>> FindAsync(
        ImportEntity entity, ImportMatchKey key, IReadOnlyCollection<string> values, CancellationToken ct)
    {
        var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (values.Count == 0)
        {
            return found;
        }

        var sql = (entity, key) switch
        {
            (ImportEntity.Contacts, ImportMatchKey.Email) =>
                "SELECT r.email, r.uuid FROM contacts r WHERE r.deleted_at IS NULL AND r.email = ANY(@keys)",
            (ImportEntity.Contacts, ImportMatchKey.LinkedinUrl) =>
                "SELECT m.linkedin_url, r.uuid FROM contacts_metadata m JOIN contacts r ON r.uuid = m.uuid WHERE r.deleted_at IS NULL AND m.linkedin_url = ANY(@keys)",
            (ImportEntity.Companies, ImportMatchKey.LinkedinUrl) =>
                "SELECT m.linkedin_url, r.uuid FROM companies_metadata m JOIN companies r ON r.uuid = m.uuid WHERE r.deleted_at IS NULL AND m.linkedin_url = ANY(@keys)",
            (ImportEntity.Companies, ImportMatchKey.Website) =>
                $"SELECT {WebsiteDomain}, r.uuid FROM companies_metadata m JOIN companies r ON r.uuid = m.uuid WHERE r.deleted_at IS NULL AND {WebsiteDomain} = ANY(@keys)",
            _ => throw new ArgumentException($"{key} is not a lookup key of {entity}", nameof(key)),
        };
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue("keys", values.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var value = reader.GetString(0);
            if (!found.TryGetValue(value, out var uuids))
            {
                found[value] = uuids = [];
            }

            uuids.Add(reader.GetString(1));
        }

        return found;
    }

    public async Task<IReadOnlySet<string>> LiveCompaniesAsync(IReadOnlyCollection<string> uuids, CancellationToken ct)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        if (uuids.Count == 0)
        {
            return live;
        }

        await using var command = database.CreateCommand("SELECT uuid FROM companies WHERE deleted_at IS NULL AND uuid = ANY(@uuids)");
        command.Parameters.AddWithValue("uuids", uuids.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            live.Add(reader.GetString(0));
        }

        return live;
    }
}
