using Connectra.Client.Filters;
using Connectra.Client.Records;
using Connectra.Client.Vql;
using Refit;

namespace Connectra.Client;

/// <summary>
/// Connectra's HTTP API, current build (docs/connectra.md#endpoints). Non-2xx answers throw
/// <see cref="ApiException"/>; no answer at all (refused, timed out, circuit open) throws
/// <see cref="ApiRequestException"/>.
/// </summary>
public interface IConnectraApi
{
    // IApiResponse: for a probe, a non-2xx answer is data, not an exception.
    [Get("/health")]
    Task<IApiResponse<ConnectraHealth>> GetHealthAsync(CancellationToken ct);

    // The list routes need the trailing slash; without it Connectra answers 307.
    [Post("/contacts/")]
    Task<ConnectraList<ConnectraContact>> SearchContactsAsync([Body] VqlQuery query, CancellationToken ct);

    /// <summary>
    /// The same search, its answer left unread: the caller owns (and disposes) the buffered body and checks it
    /// against the contract itself (docs/exports.md#reading-pages). Non-2xx answers throw as for every call.
    /// </summary>
    /// <param name="query">The search.</param>
    /// <param name="acceptEncoding"><c>identity</c> for an uncompressed answer, <c>gzip</c> for a compressed one.</param>
    /// <param name="ct">Cancels the call.</param>
    [Post("/contacts/")]
    Task<HttpContent> SearchContactsPageAsync([Body] VqlQuery query, [Header("Accept-Encoding")] string acceptEncoding, CancellationToken ct);

    [Post("/contacts/count")]
    Task<ConnectraCount> CountContactsAsync([Body] VqlQuery query, CancellationToken ct);

    [Post("/companies/")]
    Task<ConnectraList<ConnectraCompany>> SearchCompaniesAsync([Body] VqlQuery query, CancellationToken ct);

    /// <inheritdoc cref="SearchContactsPageAsync"/>
    [Post("/companies/")]
    Task<HttpContent> SearchCompaniesPageAsync([Body] VqlQuery query, [Header("Accept-Encoding")] string acceptEncoding, CancellationToken ct);

    [Post("/companies/count")]
    Task<ConnectraCount> CountCompaniesAsync([Body] VqlQuery query, CancellationToken ct);

    /// <summary>At most 100 rows, each with its uuid set: Connectra generates none (docs/connectra.md#x7).</summary>
    [Post("/contacts/batch-upsert")]
    Task<ConnectraAck> UpsertContactsAsync([Body] IReadOnlyList<ConnectraContact> contacts, CancellationToken ct);

    /// <summary>At most 100 rows, each with its uuid set.</summary>
    [Post("/companies/batch-upsert")]
    Task<ConnectraAck> UpsertCompaniesAsync([Body] IReadOnlyList<ConnectraCompany> companies, CancellationToken ct);

    /// <summary>1 to 100 CSV-style rows; Connectra cleans them and derives the uuids (docs/connectra.md#row-batch-upsert, docs/connectra.md#identifiers).</summary>
    [Post("/common/batch-upsert")]
    Task<ConnectraAck> UpsertRowsAsync([Body] ConnectraRowBatch rows, CancellationToken ct);

    /// <param name="service"><see cref="ConnectraService.Contact"/> or <see cref="ConnectraService.Company"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    [Get("/common/{service}/filters")]
    Task<ConnectraList<ConnectraFilter>> GetFiltersAsync(string service, CancellationToken ct);

    /// <param name="service"><see cref="ConnectraService.Contact"/> or <see cref="ConnectraService.Company"/>.</param>
    /// <param name="request">Filter key, optional search text, page and limit (≤ 100).</param>
    /// <param name="ct">Cancels the call.</param>
    [Post("/common/{service}/filters/data")]
    Task<ConnectraList<ConnectraFilterValue>> GetFilterValuesAsync(
        string service, [Body] ConnectraFilterValuesRequest request, CancellationToken ct);
}
