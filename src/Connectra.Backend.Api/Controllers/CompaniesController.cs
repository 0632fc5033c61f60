using System.Text.Json;
using Connectra.Backend.Api.Auth;
using Connectra.Backend.Api.Http;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Filters;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Vql;
using Connectra.Backend.Application.Writing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Connectra.Backend.Api.Controllers;

/// <summary>
/// Companies (K1–K5), their writes, and the contacts of one company (S1–S4). Reads come from Connectra; writes go to
/// PostgreSQL and reach Connectra through the outbox.
/// </summary>
[ApiController, Route("api/v3/companies"), Produces("application/json")]
[Authorize(Policy = AuthSetup.ReaderPolicy), EnableRateLimiting(RateLimiting.Reads)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
public sealed class CompaniesController(CompaniesService companies, ContactsService contacts) : ControllerBase
{
    /// <summary>Searches companies with the client VQL dialect; page on with the returned <c>next</c> token.</summary>
    [HttpPost("query")]
    [ProducesResponseType<CursorPage<CompanyListItem>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<CursorPage<CompanyListItem>> Query(VqlSearchRequest request, CancellationToken ct) =>
        companies.SearchAsync(request, ct);

    /// <summary>Counts the companies the filters match (exact).</summary>
    [HttpPost("count")]
    [ProducesResponseType<CountResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<CountResponse> Count(VqlSearchRequest request, CancellationToken ct) => companies.CountAsync(request, ct);

    /// <summary>The company filter catalogue, as Connectra publishes it.</summary>
    [HttpGet("filters")]
    [ProducesResponseType<FilterCatalogue>(StatusCodes.Status200OK)]
    public Task<FilterCatalogue> Filters(CancellationToken ct) => companies.GetFiltersAsync(ct);

    /// <summary>Values of one company filter, searchable and paged.</summary>
    [HttpPost("filters/data")]
    [ProducesResponseType<FilterValuesPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<FilterValuesPage> FilterValues(FilterValuesRequest request, CancellationToken ct) =>
        companies.GetFilterValuesAsync(request, ct);

    /// <summary>
    /// Creates a company (201 with its Location). With a uuid in the body the call is idempotent: the same body again
    /// answers 200 with the stored company.
    /// </summary>
    [HttpPost(""), Authorize(Policy = AuthSetup.WriterPolicy), EnableRateLimiting(RateLimiting.Writes), Consumes("application/json")]
    [ProducesResponseType<StoredCompany>(StatusCodes.Status201Created)]
    [ProducesResponseType<StoredCompany>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<StoredCompany>> Create([FromBody] JsonElement body, CancellationToken ct) =>
        Answer(await companies.CreateAsync(body, ct));

    /// <summary>Replaces a company; its contacts' copies of it follow. If-Match makes it conditional.</summary>
    [HttpPut("{companyUuid}/"), Authorize(Policy = AuthSetup.WriterPolicy), EnableRateLimiting(RateLimiting.Writes), Consumes("application/json")]
    [ProducesResponseType<StoredCompany>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    public async Task<ActionResult<StoredCompany>> Replace(string companyUuid, [FromBody] JsonElement body, CancellationToken ct) =>
        Answer(await companies.ReplaceAsync(companyUuid, body, ETags.IfMatch(Request), ct));

    /// <summary>Changes the fields the body names (JSON merge patch); its contacts' copies follow.</summary>
    [HttpPatch("{companyUuid}/"), Authorize(Policy = AuthSetup.WriterPolicy), EnableRateLimiting(RateLimiting.Writes), Consumes("application/merge-patch+json", "application/json")]
    [ProducesResponseType<StoredCompany>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    public async Task<ActionResult<StoredCompany>> Patch(string companyUuid, [FromBody] JsonElement body, CancellationToken ct) =>
        Answer(await companies.PatchAsync(companyUuid, body, ETags.IfMatch(Request), ct));

    /// <summary>Deletes a company: it leaves every read, and its contacts no longer show it (docs/writes.md#deletes).</summary>
    [HttpDelete("{companyUuid}/"), Authorize(Policy = AuthSetup.WriterPolicy), EnableRateLimiting(RateLimiting.Writes)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    public async Task<NoContentResult> Delete(string companyUuid, CancellationToken ct)
    {
        await companies.DeleteAsync(companyUuid, ETags.IfMatch(Request), ct);
        return NoContent();
    }

    private ActionResult<StoredCompany> Answer(Written<StoredCompany> written) =>
        WrittenResults.Answer(this, written, $"/api/v3/companies/{written.Record.Uuid}/");

    /// <summary>One company; 404 when Connectra has no such uuid.</summary>
    [HttpGet("{companyUuid}/")]
    [ProducesResponseType<CompanyDetail>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<CompanyDetail> Get(string companyUuid, CancellationToken ct) => companies.GetAsync(companyUuid, ct);

    /// <summary>
    /// The company's contacts, filtered by query parameters (first_name, title, seniority, exclude_titles, …;
    /// docs/vql.md), paged by limit/offset or by the <c>cursor</c> the previous page returned.
    /// </summary>
    [HttpGet("company/{companyUuid}/contacts/")]
    [ProducesResponseType<CursorPage<ContactListItem>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<CursorPage<ContactListItem>> CompanyContacts(string companyUuid, CancellationToken ct) =>
        contacts.ListForCompanyAsync(companyUuid, QueryString(), ct);

    /// <summary>How many of the company's contacts match the query parameters.</summary>
    [HttpGet("company/{companyUuid}/contacts/count/")]
    [ProducesResponseType<CountResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<CountResponse> CompanyContactsCount(string companyUuid, CancellationToken ct) =>
        contacts.CountForCompanyAsync(companyUuid, QueryString(), ct);

    /// <summary>The contact filter catalogue, for an existing company.</summary>
    [HttpGet("company/{companyUuid}/contacts/filters")]
    [ProducesResponseType<FilterCatalogue>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<FilterCatalogue> CompanyContactFilters(string companyUuid, CancellationToken ct) =>
        contacts.GetFiltersForCompanyAsync(companyUuid, ct);

    /// <summary>The distinct values of one contact field among the company's contacts.</summary>
    [HttpPost("company/{companyUuid}/contacts/filters/data")]
    [ProducesResponseType<FilterValuesPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<FilterValuesPage> CompanyContactFilterValues(
        string companyUuid, FilterValuesRequest request, CancellationToken ct) =>
        contacts.GetFilterValuesForCompanyAsync(companyUuid, request, ct);

    private Dictionary<string, IReadOnlyList<string>> QueryString() =>
        Request.Query.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value.OfType<string>()], StringComparer.Ordinal);
}
