using System.ComponentModel.DataAnnotations;
using Connectra.Backend.Api.Auth;
using Connectra.Backend.Api.Http;
using Connectra.Backend.Application.Exports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Connectra.Backend.Api.Controllers;

/// <summary>CSV exports (E1–E8): jobs run in the background; poll the status, then download with its URL.</summary>
[ApiController, Route("api/v3/exports"), Produces("application/json")]
[Authorize(Policy = AuthSetup.ReaderPolicy), EnableRateLimiting(RateLimiting.Reads)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class ExportsController(ExportService exports) : ControllerBase
{
    /// <summary>Exports contacts, by uuid or by query, to a CSV file; answers at once with the job to poll.</summary>
    [HttpPost("contacts/export"), EnableRateLimiting(RateLimiting.Exports)]
    [LargeBody]
    [ProducesResponseType<ExportCreated>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<ActionResult<ExportCreated>> ExportContacts(ContactExportRequest request, CancellationToken ct)
    {
        var created = await exports.CreateContactExportAsync(User.CallerId(), request, ct);
        return Created(created.StatusUrl, created);
    }

    /// <summary>Exports companies, by uuid or by query, to a CSV file.</summary>
    [HttpPost("companies/export"), EnableRateLimiting(RateLimiting.Exports)]
    [LargeBody]
    [ProducesResponseType<ExportCreated>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<ActionResult<ExportCreated>> ExportCompanies(CompanyExportRequest request, CancellationToken ct)
    {
        var created = await exports.CreateCompanyExportAsync(User.CallerId(), request, ct);
        return Created(created.StatusUrl, created);
    }

    /// <summary>Exports contact uuids in chunks, one job each, merged into one file unless merge is false.</summary>
    [HttpPost("contacts/export/chunked"), EnableRateLimiting(RateLimiting.Exports)]
    [LargeBody]
    [ProducesResponseType<ChunkedExportCreated>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<ActionResult<ChunkedExportCreated>> ExportContactChunks(ChunkedExportRequest request, CancellationToken ct)
    {
        var created = await exports.CreateChunkedExportAsync(User.CallerId(), request, ct);
        return Created(created.StatusUrl, created);
    }

    /// <summary>The caller's exports, newest first.</summary>
    [HttpGet("")]
    [ProducesResponseType<ExportList>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<ExportList> List(
        [FromQuery(Name = "status")] ExportStatus? status,
        [FromQuery(Name = "export_type")] ExportType? exportType,
        [FromQuery(Name = "created_at_after")] DateTimeOffset? createdAfter,
        [FromQuery(Name = "created_at_before")] DateTimeOffset? createdBefore,
        [FromQuery(Name = "page"), Range(1, 100_000)] int page = 1,
        [FromQuery(Name = "page_size"), Range(1, 100)] int pageSize = 25,
        CancellationToken ct = default) =>
        exports.ListAsync(User.CallerId(), new ExportListQuery(status, exportType, createdAfter, createdBefore, page, pageSize), ct);

    /// <summary>Where the job stands; once done, a download URL with a short-lived token.</summary>
    [HttpGet("{exportId}/status")]
    [ProducesResponseType<ExportStatusResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<ExportStatusResponse> Status(string exportId, CancellationToken ct) => exports.GetStatusAsync(User.CallerId(), exportId, ct);

    /// <summary>The CSV file: needs the bearer token and the download token of the status's URL; supports Range and gzip.</summary>
    [HttpGet("{exportId}/download"), SingleByteRange]
    [Produces("text/csv", "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status206PartialContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    public async Task<IActionResult> Download(
        string exportId, [FromQuery(Name = "token"), Required, StringLength(4096)] string token,
        [FromServices] IExportStorage storage, CancellationToken ct)
    {
        var file = await exports.AuthorizeDownloadAsync(User.CallerId(), exportId, token, ct);
        var stream = await storage.OpenReadAsync(file.StorageName, ct);
        return File(stream, "text/csv; charset=utf-8", file.FileName, enableRangeProcessing: true);
    }

    /// <summary>Cancels a pending or running export; a cancelled export is never completed afterwards.</summary>
    [HttpDelete("{exportId}/cancel")]
    [ProducesResponseType<ExportCancelled>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<ExportCancelled> Cancel(string exportId, CancellationToken ct) => exports.CancelAsync(User.CallerId(), exportId, ct);

    /// <summary>Administrators: deletes every expired export file and row now.</summary>
    [HttpDelete("files")]
    [Authorize(Policy = AuthSetup.AdminPolicy), EnableRateLimiting(RateLimiting.Writes)]
    [ProducesResponseType<ExportsPurged>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public Task<ExportsPurged> PurgeFiles(CancellationToken ct) => exports.PurgeExpiredAsync(ct);
}
