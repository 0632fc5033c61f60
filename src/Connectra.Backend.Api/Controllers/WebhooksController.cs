using System.ComponentModel.DataAnnotations;
using Connectra.Backend.Api.Auth;
using Connectra.Backend.Api.Http;
using Connectra.Backend.Application.SavedSearches;
using Connectra.Backend.Application.Webhooks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Connectra.Backend.Api.Controllers;

/// <summary>
/// Webhook subscriptions, their delivery log, replay and test ping (docs/webhooks.md#subscriptions). Administrators
/// manage every subscription; writers their own (another's is not found); readers none.
/// </summary>
[ApiController, Route("api/v3/webhooks"), Produces("application/json")]
[Authorize(Policy = AuthSetup.WriterPolicy), EnableRateLimiting(RateLimiting.Writes)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class WebhooksController(WebhookService webhooks) : ControllerBase
{
    private Caller Caller => new(User.CallerId(), User.IsInRole(AuthSetup.AdminRole));

    /// <summary>Subscribes a URL to event types; the answer carries the signing secret, shown this once.</summary>
    [HttpPost(""), Consumes("application/json")]
    [ProducesResponseType<WebhookCreated>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<WebhookCreated>> Create(WebhookRequest request, CancellationToken ct)
    {
        var created = await webhooks.CreateAsync(Caller, request, ct);
        return Created($"/api/v3/webhooks/{created.Webhook.Id}", created);
    }

    /// <summary>The subscriptions the caller manages, newest first.</summary>
    [HttpGet("")]
    [ProducesResponseType<WebhookList>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<WebhookList> List(
        [FromQuery(Name = "page"), Range(1, 100_000)] int page = 1,
        [FromQuery(Name = "page_size"), Range(1, 100)] int pageSize = 25,
        CancellationToken ct = default) =>
        webhooks.ListAsync(Caller, page, pageSize, ct);

    /// <summary>One subscription, with its status (active or disabled, and why).</summary>
    [HttpGet("{id}")]
    [ProducesResponseType<WebhookView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<WebhookView> Get(string id, CancellationToken ct) => webhooks.GetAsync(Caller, id, ct);

    /// <summary>Replaces url, event types, enabled and description; enabling a disabled subscription resumes its delivery.</summary>
    [HttpPut("{id}"), Consumes("application/json")]
    [ProducesResponseType<WebhookView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    public Task<WebhookView> Replace(string id, WebhookRequest request, CancellationToken ct) => webhooks.ReplaceAsync(Caller, id, request, ct);

    /// <summary>Deletes a subscription with its pending deliveries and its log.</summary>
    [HttpDelete("{id}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<NoContentResult> Delete(string id, CancellationToken ct)
    {
        await webhooks.DeleteAsync(Caller, id, ct);
        return NoContent();
    }

    /// <summary>A new signing secret, shown this once; the old one keeps signing beside it for Webhooks:RotationOverlap.</summary>
    [HttpPost("{id}/rotate-secret")]
    [ProducesResponseType<WebhookSecretRotated>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<WebhookSecretRotated> RotateSecret(string id, CancellationToken ct) => webhooks.RotateSecretAsync(Caller, id, ct);

    /// <summary>The delivery log, newest attempt first: status code, latency, error, the answer's first bytes, next attempt.</summary>
    [HttpGet("{id}/deliveries")]
    [ProducesResponseType<WebhookAttemptList>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<WebhookAttemptList> Deliveries(
        string id,
        [FromQuery(Name = "page"), Range(1, 100_000)] int page = 1,
        [FromQuery(Name = "page_size"), Range(1, 100)] int pageSize = 25,
        CancellationToken ct = default) =>
        webhooks.DeliveriesAsync(Caller, id, page, pageSize, ct);

    /// <summary>Delivers the subscription's events again from a change-feed sequence on (410 once the feed no longer has them).</summary>
    [HttpPost("{id}/replay"), Consumes("application/json")]
    [ProducesResponseType<WebhookReplayAccepted>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    public async Task<AcceptedResult> Replay(string id, WebhookReplayRequest request, CancellationToken ct) =>
        Accepted((string?)null, await webhooks.ReplayAsync(Caller, id, request, ct));

    /// <summary>Sends a webhook.test ping now, once, and answers how the receiver took it.</summary>
    [HttpPost("{id}/test")]
    [ProducesResponseType<WebhookAttemptView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<WebhookAttemptView> Test(string id, CancellationToken ct) => webhooks.TestAsync(Caller, id, ct);
}
