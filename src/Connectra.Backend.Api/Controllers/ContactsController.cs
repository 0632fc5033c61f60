using System.Text.Json;
using Connectra.Backend.Api.Auth;
using Connectra.Backend.Api.Http;
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
/// Contacts (C1–C6) and their writes. Every read goes to Connectra; writes go to PostgreSQL and reach Connectra through
/// the outbox. 400 names the field at fault.
/// </summary>
[ApiController, Route("api/v3/contacts"), Produces("application/json")]
[Authorize(Policy = AuthSetup.ReaderPolicy), EnableRateLimiting(RateLimiting.Reads)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
public sealed class ContactsController(ContactsService contacts) : ControllerBase
{
    /// <summary>Searches contacts with the client VQL dialect; page on with the returned <c>next</c> token.</summary>
    [HttpPost("query")]
    [ProducesResponseType<CursorPage<ContactListItem>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<CursorPage<ContactListRow>> Query(VqlSearchRequest request, CancellationToken ct) =>
        contacts.QueryRowsAsync(request, ct);

    /// <summary>Counts the contacts the filters match (exact).</summary>
    [HttpPost("count")]
    [ProducesResponseType<CountResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<CountResponse> Count(VqlSearchRequest request, CancellationToken ct) => contacts.CountAsync(request, ct);

    /// <summary>The contact filter catalogue, as Connectra publishes it.</summary>
    [HttpGet("filters")]
    [ProducesResponseType<FilterCatalogue>(StatusCodes.Status200OK)]
    public Task<FilterCatalogue> Filters(CancellationToken ct) => contacts.GetFiltersAsync(ct);

    /// <summary>Values of one contact filter, searchable and paged.</summary>
    [HttpPost("filters/data")]
    [ProducesResponseType<FilterValuesPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<FilterValuesPage> FilterValues(FilterValuesRequest request, CancellationToken ct) =>
        contacts.GetFilterValuesAsync(request, ct);

    /// <summary>The uuids of contacts whose LinkedIn URL is exactly one of those given.</summary>
    [HttpPost("linkedin/search")]
    [ProducesResponseType<LinkedInContactIds>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<LinkedInContactIds> LinkedInSearch(LinkedInUrlsRequest request, CancellationToken ct) =>
        contacts.FindByLinkedInUrlsAsync(request, ct);

    /// <summary>
    /// Creates a contact (201 with its Location). With a uuid in the body the call is idempotent: the same body again
    /// answers 200 with the stored contact. Searchable within seconds, once the outbox has delivered it.
    /// </summary>
    [HttpPost(""), Authorize(Policy = AuthSetup.WriterPolicy), EnableRateLimiting(RateLimiting.Writes), Consumes("application/json")]
    [ProducesResponseType<StoredContact>(StatusCodes.Status201Created)]
    [ProducesResponseType<StoredContact>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<StoredContact>> Create([FromBody] JsonElement body, CancellationToken ct) =>
        Answer(await contacts.CreateAsync(body, ct));

    /// <summary>Replaces a contact: fields the body leaves out become empty. If-Match makes it conditional.</summary>
    [HttpPut("{contactUuid}/"), Authorize(Policy = AuthSetup.WriterPolicy), EnableRateLimiting(RateLimiting.Writes), Consumes("application/json")]
    [ProducesResponseType<StoredContact>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<StoredContact>> Replace(string contactUuid, [FromBody] JsonElement body, CancellationToken ct) =>
        Answer(await contacts.ReplaceAsync(contactUuid, body, ETags.IfMatch(Request), ct));

    /// <summary>Changes the fields the body names (JSON merge patch: null clears one). If-Match makes it conditional.</summary>
    [HttpPatch("{contactUuid}/"), Authorize(Policy = AuthSetup.WriterPolicy), EnableRateLimiting(RateLimiting.Writes), Consumes("application/merge-patch+json", "application/json")]
    [ProducesResponseType<StoredContact>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<StoredContact>> Patch(string contactUuid, [FromBody] JsonElement body, CancellationToken ct) =>
        Answer(await contacts.PatchAsync(contactUuid, body, ETags.IfMatch(Request), ct));

    /// <summary>Deletes a contact: it leaves every read within seconds (docs/writes.md#deletes).</summary>
    [HttpDelete("{contactUuid}/"), Authorize(Policy = AuthSetup.WriterPolicy), EnableRateLimiting(RateLimiting.Writes)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    public async Task<NoContentResult> Delete(string contactUuid, CancellationToken ct)
    {
        await contacts.DeleteAsync(contactUuid, ETags.IfMatch(Request), ct);
        return NoContent();
    }

    private ActionResult<StoredContact> Answer(Written<StoredContact> written) =>
        WrittenResults.Answer(this, written, $"/api/v3/contacts/{written.Record.Uuid}/");

    /// <summary>One contact with its company and metadata; 404 when Connectra has no such uuid.</summary>
    [HttpGet("{contactUuid}/")]
    [ProducesResponseType<ContactDetail>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<ContactDetail> Get(string contactUuid, CancellationToken ct) => contacts.GetAsync(contactUuid, ct);
}
