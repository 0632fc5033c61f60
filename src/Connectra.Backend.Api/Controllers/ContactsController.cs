using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Filters;
using Microsoft.AspNetCore.Mvc;

namespace Connectra.Backend.Api.Controllers;

[ApiController, Route("api/v3/contacts"), Produces("application/json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
public sealed class ContactsController(ContactsService contacts) : ControllerBase
{
    /// <summary>The contact filter catalogue, as Connectra publishes it.</summary>
    [HttpGet("filters")]
    [ProducesResponseType<FilterCatalogue>(StatusCodes.Status200OK)]
    public Task<FilterCatalogue> Filters(CancellationToken ct) => contacts.GetFiltersAsync(ct);
}
