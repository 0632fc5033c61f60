using Connectra.Backend.Api.Auth;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.Api.Http;
using Connectra.Backend.Application.SalesNavigator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Connectra.Backend.Api.Controllers;

/// <summary>The Sales Navigator import (docs/sales-navigator.md). Parsing is open to every user; saving needs a writer.</summary>
[ApiController, Route("api/v3/sales-navigator"), Produces("application/json")]
// Metered as a write whether or not it saves: parsing a page costs far more than any query.
[Authorize(Policy = AuthSetup.ReaderPolicy), EnableRateLimiting(RateLimiting.Writes)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
public sealed class SalesNavigatorController(SalesNavigatorService salesNavigator, IAuthorizationService authorization) : ControllerBase
{
    /// <summary>
    /// Reads the leads of a Sales Navigator results page; with <c>save: true</c> also stores them as contacts and
    /// companies, searchable within seconds once the outbox has delivered them.
    /// </summary>
    [HttpPost("scrape"), LargeBody] // a saved results page runs to a few MiB, more once JSON-escaped
    [ProducesResponseType<SalesNavigatorScrapeResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<ActionResult<SalesNavigatorScrapeResponse>> Scrape(SalesNavigatorScrapeRequest request, CancellationToken ct)
    {
        if (request.Save && !(await authorization.AuthorizeAsync(User, AuthSetup.WriterPolicy)).Succeeded)
        {
            return Problem(statusCode: StatusCodes.Status403Forbidden, type: ProblemTypes.Forbidden, title: "Forbidden",
                detail: "You do not have permission to perform this action. A writer or admin role is required to save (save: true); any user may scrape without saving.");
        }

        return await salesNavigator.ScrapeAsync(request, ct);
    }
}
