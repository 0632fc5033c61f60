using System.Text.Json.Serialization.Metadata;
using Connectra.Backend.Application.Vql;
using Connectra.Client;
using Connectra.Client.Filters;
using Connectra.Client.Records;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Reading;

/// <summary>
/// Everything that differs between reading contacts and reading companies in Connectra: the public fields, the
/// wire calls, the filter service name and what a client is told when Connectra cannot answer.
/// </summary>
public sealed class ConnectraEntity<T>
    where T : class, IConnectraRecord
{
    public required FieldCatalogue Catalogue { get; init; }

    /// <summary>The <c>{service}</c> of Connectra's filter routes: <see cref="ConnectraService.Contact"/> or <see cref="ConnectraService.Company"/>.</summary>
    public required string Service { get; init; }

    /// <summary>The 503 detail, e.g. "Contact service temporarily unavailable".</summary>
    public required string Unavailable { get; init; }

    /// <summary>The 404 detail, e.g. "Contact not found".</summary>
    public required string NotFound { get; init; }

    public required Func<IConnectraApi, VqlQuery, CancellationToken, Task<ConnectraList<T>>> Search { get; init; }

    /// <summary>The same search with its answer left unread, asking for the given Accept-Encoding (export pages).</summary>
    public required Func<IConnectraApi, VqlQuery, string, CancellationToken, Task<HttpContent>> SearchPage { get; init; }

    public required Func<IConnectraApi, VqlQuery, CancellationToken, Task<ConnectraCount>> Count { get; init; }

    /// <summary>The batch upsert (at most 100 records) the outbox delivers writes with.</summary>
    public required Func<IConnectraApi, IReadOnlyList<T>, CancellationToken, Task<ConnectraAck>> Upsert { get; init; }

    /// <summary>Reads a record from the JSON the outbox keeps it in.</summary>
    public required JsonTypeInfo<T> Json { get; init; }

    /// <summary>The keyword field that marks a deleted record (<see cref="Tombstones"/>).</summary>
    public required string TombstoneField { get; init; }

    /// <summary>Cleans a record as read: a contact loses a company that was deleted.</summary>
    public Func<T, T> Scrub { get; init; } = record => record;

    /// <summary>"contacts" or "companies", for messages and cursor fingerprints.</summary>
    public string Name => Catalogue.Entity;
}

public static class ConnectraEntities
{
    public static ConnectraEntity<ConnectraContact> Contacts { get; } = new()
    {
        Catalogue = FieldCatalogue.Contacts,
        Service = ConnectraService.Contact,
        Unavailable = "Contact service temporarily unavailable",
        NotFound = "Contact not found",
        Search = (api, query, ct) => api.SearchContactsAsync(query, ct),
        SearchPage = (api, query, encoding, ct) => api.SearchContactsPageAsync(query, encoding, ct),
        Count = (api, query, ct) => api.CountContactsAsync(query, ct),
        Upsert = (api, records, ct) => api.UpsertContactsAsync(records, ct),
        Json = ConnectraJsonContext.Default.ConnectraContact,
        TombstoneField = Tombstones.ContactField,
        Scrub = contact => Tombstones.IsTombstone(contact.Company) ? contact with { Company = null } : contact,
    };

    public static ConnectraEntity<ConnectraCompany> Companies { get; } = new()
    {
        Catalogue = FieldCatalogue.Companies,
        Service = ConnectraService.Company,
        Unavailable = "Company service temporarily unavailable",
        NotFound = "Company not found",
        Search = (api, query, ct) => api.SearchCompaniesAsync(query, ct),
        SearchPage = (api, query, encoding, ct) => api.SearchCompaniesPageAsync(query, encoding, ct),
        Count = (api, query, ct) => api.CountCompaniesAsync(query, ct),
        Upsert = (api, records, ct) => api.UpsertCompaniesAsync(records, ct),
        Json = ConnectraJsonContext.Default.ConnectraCompany,
        TombstoneField = Tombstones.CompanyField,
    };
}
