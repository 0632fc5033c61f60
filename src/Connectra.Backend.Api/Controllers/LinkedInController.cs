using Connectra.Backend.Api.Auth;
using Connectra.Backend.Api.Http;
using Connectra.Backend.Application.LinkedIn;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Connectra.Backend.Api.Controllers;

[ApiController, Route("api/v3/linkedin"), Produces("application/json")]
[Authorize(Policy = AuthSetup.ReaderPolicy), EnableRateLimiting(RateLimiting.Reads)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
public sealed class LinkedInController(LinkedInService linkedIn) : ControllerBase
{
    /// <summary>Contacts (with their company) and companies (with their contacts) that have exactly this LinkedIn URL.</summary>
    [HttpPost("")]
    [ProducesResponseType<LinkedInSearchResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<LinkedInSearchResponse> Search(LinkedInSearchRequest request, CancellationToken ct) =>
        linkedIn.SearchAsync(request, ct);
}
