using Connectra.Backend.Api.Auth;
using Connectra.Backend.Api.Http;
using Connectra.Backend.Application.Changes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Connectra.Backend.Api.Controllers;

/// <summary>The change feed: every committed write of a contact or company, in commit order (docs/webhooks.md#change-feed).</summary>
[ApiController, Route("api/v3/changes"), Produces("application/json")]
[Authorize(Policy = AuthSetup.ReaderPolicy), EnableRateLimiting(RateLimiting.Reads)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class ChangesController(ChangeFeedService feed) : ControllerBase
{
    /// <summary>Change events after a cursor, oldest first; pass the answer's next as after to continue.</summary>
    [HttpGet("")]
    [ProducesResponseType<ChangePage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    public Task<ChangePage> List(
        [FromQuery(Name = "after")] string? after,
        [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "types")] string? types,
        CancellationToken ct) =>
        feed.ReadAsync(after, limit, types, ct);
}
