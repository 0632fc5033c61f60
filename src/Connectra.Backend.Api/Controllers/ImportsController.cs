using System.ComponentModel.DataAnnotations;
using Connectra.Backend.Api.Auth;
using Connectra.Backend.Api.Http;
using Connectra.Backend.Application.Importing;
using Connectra.Backend.Application.Vql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Connectra.Backend.Api.Controllers;

/// <summary>CSV imports (docs/imports.md): jobs run in the background; poll the status, then read the errors.</summary>
[ApiController, Route("api/v3/imports"), Produces("application/json")]
[Authorize(Policy = AuthSetup.WriterPolicy), EnableRateLimiting(RateLimiting.Writes)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class ImportsController(ImportService imports, IOptions<ImportOptions> options) : ControllerBase
{
    /// <summary>Largest <c>options</c> part of a multipart upload.</summary>
    private const int MaxOptionsBytes = 64 * 1024;

    /// <summary>Imports contacts from a CSV file: a raw text/csv body (options as query parameters) or multipart with file and options parts.</summary>
    [HttpPost("contacts"), ImportBody]
    [ProducesResponseType<ImportCreated>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public Task<ActionResult<ImportCreated>> ImportContacts(CancellationToken ct) => CreateAsync(ImportEntity.Contacts, ct);

    /// <summary>Imports companies from a CSV file, as contacts are imported.</summary>
    [HttpPost("companies"), ImportBody]
    [ProducesResponseType<ImportCreated>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public Task<ActionResult<ImportCreated>> ImportCompanies(CancellationToken ct) => CreateAsync(ImportEntity.Companies, ct);

    /// <summary>The caller's imports, newest first.</summary>
    [HttpGet("")]
    [ProducesResponseType<ImportList>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<ImportList> List(
        [FromQuery(Name = "status")] ImportState? status,
        [FromQuery(Name = "entity")] ImportEntity? entity,
        [FromQuery(Name = "created_at_after")] DateTimeOffset? createdAfter,
        [FromQuery(Name = "created_at_before")] DateTimeOffset? createdBefore,
        [FromQuery(Name = "page"), Range(1, 100_000)] int page = 1,
        [FromQuery(Name = "page_size"), Range(1, 100)] int pageSize = 25,
        CancellationToken ct = default) =>
        imports.ListAsync(User.CallerId(), new ImportListQuery(status, entity, createdAfter, createdBefore, page, pageSize), ct);

    /// <summary>Where the import stands: state, counters, progress and ETA.</summary>
    [HttpGet("{importId}")]
    [ProducesResponseType<ImportStatusResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<ImportStatusResponse> Status(string importId, CancellationToken ct) => imports.GetStatusAsync(User.CallerId(), importId, ct);

    /// <summary>The import's row errors in file order: line, column, rejected value and what to fix.</summary>
    [HttpGet("{importId}/errors")]
    [ProducesResponseType<ImportErrorPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<ImportErrorPage> Errors(
        string importId,
        [FromQuery(Name = "page"), Range(1, 1_000_000)] int page = 1,
        [FromQuery(Name = "page_size"), Range(1, 1000)] int pageSize = 100,
        CancellationToken ct = default) =>
        imports.ErrorsAsync(User.CallerId(), importId, page, pageSize, ct);

    /// <summary>The rejected rows as they were, with an error column: fix them and upload the file again.</summary>
    [HttpGet("{importId}/errors.csv")]
    [Produces("text/csv", "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> ErrorFile(string importId, CancellationToken ct)
    {
        var (stream, fileName) = await imports.ErrorFileAsync(User.CallerId(), importId, ct);
        return File(stream, "text/csv; charset=utf-8", fileName);
    }

    /// <summary>Cancels a pending or running import before its next batch; batches already written stay written.</summary>
    [HttpDelete("{importId}/cancel")]
    [ProducesResponseType<ImportCancelled>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<ImportCancelled> Cancel(string importId, CancellationToken ct) => imports.CancelAsync(User.CallerId(), importId, ct);

    /// <summary>
    /// Streams the upload to storage as it arrives — the request body is read once, never buffered — then checks the
    /// header and makes the job (docs/imports.md#uploading).
    /// </summary>
    private async Task<ActionResult<ImportCreated>> CreateAsync(ImportEntity entity, CancellationToken ct)
    {
        var userId = User.CallerId();
        if (!MediaTypeHeaderValue.TryParse(Request.ContentType, out var media))
        {
            throw Unsupported();
        }

        ImportCreated created;
        if (media.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            if (media.Charset.HasValue && !IsUnicode(media.Charset.Value))
            {
                throw new ImportRefusedException(ImportRefusal.UnsupportedMediaType,
                    $"charset={media.Charset.Value} is not accepted: send the file as UTF-8 (or UTF-16 with a byte-order mark)");
            }

            var settings = ImportSettings.FromQuery(entity, Request.Query.Select(q => new KeyValuePair<string, string?>(
                q.Key, q.Value.Count == 1 ? q.Value[0] : throw new VqlValidationException(q.Key, "is given twice"))));
            await imports.EnsureRoomAsync(userId, ct);
            var file = await imports.StoreAsync(Request.Body, null, ct);
            created = await imports.CreateAsync(userId, entity, settings, file, ct);
        }
        else if (media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            created = await CreateFromPartsAsync(userId, entity, media, ct);
        }
        else
        {
            throw Unsupported();
        }

        return Created(created.StatusUrl, created);
    }

    private async Task<ImportCreated> CreateFromPartsAsync(string userId, ImportEntity entity, MediaTypeHeaderValue media, CancellationToken ct)
    {
        if (Request.Query.Count > 0)
        {
            throw new VqlValidationException(Request.Query.Keys.First(), "with a multipart body, options go in its options part, not the query string");
        }

        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 256)
        {
            throw new VqlValidationException("Content-Type", "a multipart body needs a boundary of at most 256 characters");
        }

        var reader = new MultipartReader(boundary, Request.Body) { BodyLengthLimit = options.Value.MaxFileBytes };
        ImportSettings? settings = null;
        UploadedFile? file = null;
        try
        {
            await imports.EnsureRoomAsync(userId, ct);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                var disposition = section.GetContentDispositionHeader();
                var name = HeaderUtilities.RemoveQuotes(disposition?.Name ?? default).Value;
                switch (name)
                {
                    case "file" when file is null:
                        file = await imports.StoreAsync(section.Body, HeaderUtilities.RemoveQuotes(disposition!.FileName).Value, ct);
                        break;
                    case "options" when settings is null:
                        settings = ImportSettings.FromJson(entity, await ReadSmallAsync(section.Body, ct));
                        break;
                    case "file" or "options":
                        throw new VqlValidationException(name, "is given twice");
                    default:
                        throw new VqlValidationException(name ?? "", "is not a part of an import; send a file part and, optionally, an options part");
                }
            }

            if (file is null)
            {
                throw new VqlValidationException("file", "is missing: send the CSV in a part named file");
            }

            var made = await imports.CreateAsync(userId, entity, settings ?? ImportSettings.FromQuery(entity, []), file, ct);
            file = null;
            return made;
        }
        finally
        {
            if (file is not null)
            {
                // Refused after the file was stored (options after it, a second part): it must not linger.
                await imports.DiscardAsync(file, CancellationToken.None);
            }
        }
    }

    private static async Task<byte[]> ReadSmallAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxOptionsBytes)
            {
                throw new VqlValidationException("options", $"is larger than {MaxOptionsBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool IsUnicode(string charset) =>
        charset.Trim('"').ToLowerInvariant() is "utf-8" or "utf8" or "utf-16" or "utf-16le" or "utf-16be";

    private static ImportRefusedException Unsupported() => new(ImportRefusal.UnsupportedMediaType,
        "An import takes the CSV file as a text/csv body (options as query parameters) or as multipart/form-data with a file part and an options part.");
}
