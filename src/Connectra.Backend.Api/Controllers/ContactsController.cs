using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Filters;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Vql;
using Microsoft.AspNetCore.Mvc;

namespace Connectra.Backend.Api.Controllers;

/// <summary>Contacts (C1–C6). Every read goes to Connectra; 400 names the field Connectra could not take.</summary>
[ApiController, Route("api/v3/contacts"), Produces("application/json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
public sealed class ContactsController(ContactsService contacts) : ControllerBase
{
    /// <summary>Searches contacts with the client VQL dialect; page on with the returned <c>next</c> token.</summary>
    [HttpPost("query")]
    [ProducesResponseType<CursorPage<ContactListItem>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<CursorPage<ContactListItem>> Query(VqlSearchRequest request, CancellationToken ct) =>
        contacts.SearchAsync(request, ct);

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

    /// <summary>One contact with its company and metadata; 404 when Connectra has no such uuid.</summary>
    [HttpGet("{contactUuid}/")]
    [ProducesResponseType<ContactDetail>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<ContactDetail> Get(string contactUuid, CancellationToken ct) => contacts.GetAsync(contactUuid, ct);
}
