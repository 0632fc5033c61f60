using System.ComponentModel.DataAnnotations;
using Connectra.Backend.Api.Auth;
using Connectra.Backend.Api.Http;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.SavedSearches;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Connectra.Backend.Api.Controllers;

/// <summary>
/// Saved searches and their schedules (docs/saved-searches.md). Every reader may save, run and share searches; another
/// user's private search is not found; only the owner or an administrator changes one.
/// </summary>
[ApiController, Route("api/v3/saved-searches"), Produces("application/json")]
[Authorize(Policy = AuthSetup.ReaderPolicy), EnableRateLimiting(RateLimiting.Reads)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class SavedSearchesController(SavedSearchService searches) : ControllerBase
{
    private Caller Caller => new(User.CallerId(), User.IsInRole(AuthSetup.AdminRole));

    /// <summary>Saves a query of the contacts or companies query route under a name.</summary>
    [HttpPost(""), Consumes("application/json")]
    [ProducesResponseType<SavedSearchView>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<SavedSearchView>> Create(SavedSearchRequest request, CancellationToken ct)
    {
        var created = await searches.CreateAsync(Caller, request, ct);
        Response.Headers.ETag = ETags.Of(created.Version);
        return Created($"/api/v3/saved-searches/{created.Id}", created);
    }

    /// <summary>The searches the caller may read, most recently changed first.</summary>
    [HttpGet("")]
    [ProducesResponseType<SavedSearchList>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<SavedSearchList> List(
        [FromQuery(Name = "entity")] SavedSearchEntity? entity,
        [FromQuery(Name = "owner_id"), StringLength(256)] string? ownerId,
        [FromQuery(Name = "name"), StringLength(SavedSearchLimits.NameSearch)] string? name,
        [FromQuery(Name = "page"), Range(1, 100_000)] int page = 1,
        [FromQuery(Name = "page_size"), Range(1, 100)] int pageSize = 25,
        CancellationToken ct = default) =>
        searches.ListAsync(Caller, new SavedSearchListQuery(entity, ownerId, name, page, pageSize), ct);

    /// <summary>One saved search, with its version as the ETag.</summary>
    [HttpGet("{id}")]
    [ProducesResponseType<SavedSearchView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<SavedSearchView> Get(string id, CancellationToken ct)
    {
        var search = await searches.GetAsync(Caller, id, ct);
        Response.Headers.ETag = ETags.Of(search.Version);
        return search;
    }

    /// <summary>Replaces a saved search; If-Match makes it conditional (412 on another version).</summary>
    [HttpPut("{id}"), Consumes("application/json")]
    [ProducesResponseType<SavedSearchView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    public async Task<SavedSearchView> Replace(string id, SavedSearchRequest request, CancellationToken ct)
    {
        var replaced = await searches.ReplaceAsync(Caller, id, request, ETags.IfMatch(Request), ct);
        Response.Headers.ETag = ETags.Of(replaced.Version);
        return replaced;
    }

    /// <summary>Deletes a saved search with its schedules and their history; its exports stay.</summary>
    [HttpDelete("{id}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    public async Task<NoContentResult> Delete(string id, CancellationToken ct)
    {
        await searches.DeleteAsync(Caller, id, ETags.IfMatch(Request), ct);
        return NoContent();
    }

    /// <summary>Runs the saved query: exactly the query route's answer for it, paged with limit and cursor.</summary>
    [HttpPost("{id}/run"), Consumes("application/json")]
    [ProducesResponseType<CursorPage<ContactListItem>>(StatusCodes.Status200OK)]
    [ProducesResponseType<CursorPage<CompanyListItem>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> Run(string id, SavedSearchRunRequest request, CancellationToken ct) =>
        Ok(await searches.RunAsync(Caller, id, request, ct));

    /// <summary>Counts the rows the saved query matches (exact).</summary>
    [HttpPost("{id}/count")]
    [ProducesResponseType<CountResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<CountResponse> Count(string id, CancellationToken ct) => searches.CountAsync(Caller, id, ct);

    /// <summary>Exports every row the saved query matches to CSV, as the export routes do; the export names the search.</summary>
    [HttpPost("{id}/export"), EnableRateLimiting(RateLimiting.Exports), Consumes("application/json")]
    [ProducesResponseType<ExportCreated>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<ActionResult<ExportCreated>> Export(string id, SavedSearchExportRequest request, CancellationToken ct)
    {
        var created = await searches.ExportAsync(Caller, id, request, ct);
        return Created(created.StatusUrl, created);
    }

    /// <summary>The schedules of a saved search.</summary>
    [HttpGet("{id}/schedules")]
    [ProducesResponseType<ScheduleList>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<ScheduleList> Schedules(string id, CancellationToken ct) => searches.SchedulesAsync(Caller, id, ct);

    /// <summary>Adds a schedule: a five-field cron in an IANA time zone, at most as often as the configured minimum interval.</summary>
    [HttpPost("{id}/schedules"), Consumes("application/json")]
    [ProducesResponseType<ScheduleView>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<ScheduleView>> AddSchedule(string id, ScheduleRequest request, CancellationToken ct)
    {
        var created = await searches.AddScheduleAsync(Caller, id, request, ct);
        return Created($"/api/v3/saved-searches/{created.SavedSearchId}/schedules/{created.Id}", created);
    }

    /// <summary>Replaces a schedule; its next firing is computed afresh.</summary>
    [HttpPut("{id}/schedules/{scheduleId}"), Consumes("application/json")]
    [ProducesResponseType<ScheduleView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<ScheduleView> ReplaceSchedule(string id, string scheduleId, ScheduleRequest request, CancellationToken ct) =>
        searches.ReplaceScheduleAsync(Caller, id, scheduleId, request, ct);

    /// <summary>Deletes a schedule and its history; its exports stay.</summary>
    [HttpDelete("{id}/schedules/{scheduleId}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<NoContentResult> DeleteSchedule(string id, string scheduleId, CancellationToken ct)
    {
        await searches.DeleteScheduleAsync(Caller, id, scheduleId, ct);
        return NoContent();
    }

    /// <summary>A schedule's firings, newest first: fire time, export, status, row count, or why it was skipped.</summary>
    [HttpGet("{id}/schedules/{scheduleId}/runs")]
    [ProducesResponseType<FiringList>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<FiringList> Runs(
        string id, string scheduleId,
        [FromQuery(Name = "page"), Range(1, 100_000)] int page = 1,
        [FromQuery(Name = "page_size"), Range(1, 100)] int pageSize = 25,
        CancellationToken ct = default) =>
        searches.RunsAsync(Caller, id, scheduleId, page, pageSize, ct);
}
