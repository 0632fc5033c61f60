using System.Text.Json;
using Connectra.Backend.Application.Background;
using Connectra.Backend.Application.Reading;
using Connectra.Backend.Application.Vql;
using Connectra.Client.Records;
using Connectra.Client.Vql;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Application.Exports;

/// <summary>
/// CSV exports for analysts (E1–E8, docs/exports.md): requests become rows in <c>user_exports</c> that the export
/// worker runs; every read of a job goes through Connectra. Everything here is scoped to the caller: another user's
/// export is not found.
/// </summary>
public sealed class ExportService(
    IExportRepository exports,
    IExportStorage storage,
    IDownloadTokens tokens,
    EntityReader<ConnectraContact> contacts,
    EntityReader<ConnectraCompany> companies,
    ExportSignal signal,
    IOptions<ExportOptions> options,
    TimeProvider clock)
{
    public const string NotFound = "Export not found or access denied";

    private ExportOptions Options => options.Value;

    /// <summary>E1.</summary>
    /// <param name="origin">Set for an export of a saved search: it is named in the owner's export list.</param>
    public async Task<ExportCreated> CreateContactExportAsync(
        string userId, ContactExportRequest request, CancellationToken ct, ExportOrigin? origin = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var columns = ExportColumns.Choose(ExportColumns.Contacts, request.Columns, "columns").Select(c => c.Name).ToList();
        var export = await NewExportAsync(
            userId, ExportType.Contacts, request.ContactUuids, "contact_uuids", request.Query, contacts, columns, ct);
        return await AddAsync(Stamp(export, origin), ct);
    }

    /// <summary>E2.</summary>
    public async Task<ExportCreated> CreateCompanyExportAsync(
        string userId, CompanyExportRequest request, CancellationToken ct, ExportOrigin? origin = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var columns = ExportColumns.Choose(ExportColumns.Companies, request.Columns, "columns").Select(c => c.Name).ToList();
        var export = await NewExportAsync(
            userId, ExportType.Companies, request.CompanyUuids, "company_uuids", request.Query, companies, columns, ct);
        return await AddAsync(Stamp(export, origin), ct);
    }

    private static UserExport Stamp(UserExport export, ExportOrigin? origin)
    {
        if (origin is not null)
        {
            export.SavedSearchId = origin.SavedSearchId;
            export.SavedSearchName = origin.SavedSearchName;
            export.ExportId = origin.ExportId ?? export.ExportId;
        }

        return export;
    }

    /// <summary>E3: one job per non-empty chunk, and the export that groups (and, by default, merges) them.</summary>
    public async Task<ChunkedExportCreated> CreateChunkedExportAsync(string userId, ChunkedExportRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var columns = ExportColumns.Choose(ExportColumns.Contacts, request.Columns, "columns").Select(c => c.Name).ToList();
        var chunks = request.Chunks ?? [];
        if (chunks.Count > Options.MaxChunks)
        {
            throw new VqlValidationException("chunks", $"at most {Options.MaxChunks} chunks per export (Exports:MaxChunks), not {chunks.Count}");
        }

        var parsed = new List<List<string>>();
        var total = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            if (chunks[i] is null)
            {
                throw new VqlValidationException($"chunks[{i}]", "a chunk is a list of contact uuids, not null");
            }

            if (chunks[i].Count > Options.MaxChunkSize)
            {
                throw new VqlValidationException($"chunks[{i}]",
                    $"at most {Options.MaxChunkSize} uuids per chunk (Exports:MaxChunkSize), not {chunks[i].Count}");
            }

            total += chunks[i].Count;
            if (total > Options.MaxUuids)
            {
                throw new VqlValidationException("chunks", $"at most {Options.MaxUuids} uuids per export (Exports:MaxUuids)");
            }

            parsed.Add(Distinct(chunks[i], $"chunks[{i}]"));
        }

        if (total == 0)
        {
            throw new VqlValidationException("chunks", "At least one contact UUID is required across all chunks");
        }

        await EnsureRoomAsync(userId, ct);
        var now = clock.GetUtcNow();
        var main = NewRow(userId, ExportType.Contacts, ExportKind.Chunked, columns, now);
        main.Merge = request.Merge;
        main.ContactUuids = [.. parsed.SelectMany(c => c)];
        main.ContactCount = main.TotalRecords = main.ContactUuids.Count;
        var rows = new List<UserExport> { main };
        foreach (var (chunk, index) in parsed.Select((c, i) => (c, i)).Where(c => c.c.Count > 0))
        {
            var row = NewRow(userId, ExportType.Contacts, ExportKind.Uuids, columns, now);
            row.ParentExportId = main.ExportId;
            row.ChunkIndex = index;
            row.ContactUuids = chunk;
            row.ContactCount = row.TotalRecords = chunk.Count;
            rows.Add(row);
        }

        await exports.AddAsync(rows, ct);
        signal.Notify();
        return new ChunkedExportCreated(
            main.ExportId, [.. rows.Skip(1).Select(r => r.ExportId)], main.ContactCount, main.Status, main.Merge, StatusUrl(main.ExportId));
    }

    /// <summary>E4.</summary>
    public async Task<ExportList> ListAsync(string userId, ExportListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (page, total) = await exports.ListAsync(userId, query, ct);
        var now = clock.GetUtcNow();
        var more = (long)query.Page * query.PageSize < total;
        return new ExportList([.. page.Select(e => Describe(e, [], now))], total, query.Page, query.PageSize, more ? query.Page + 1 : null);
    }

    /// <summary>E5.</summary>
    public async Task<ExportStatusResponse> GetStatusAsync(string userId, string exportId, CancellationToken ct)
    {
        var export = await FindAsync(userId, exportId, ct);
        var chunks = export.Kind == ExportKind.Chunked ? await exports.ChunksAsync(export.ExportId, ct) : [];
        return Describe(export, [.. chunks.Select(c => c.ExportId)], clock.GetUtcNow());
    }

    /// <summary>E7: honoured by the worker before its next batch; a completion that comes later does not undo it.</summary>
    public Task<ExportCancelled> CancelAsync(string userId, string exportId, CancellationToken ct) =>
        JobCancellation.CancelAsync(
            c => FindAsync(userId, exportId, c),
            export => export.Status switch
            {
                ExportStatus.Completed or ExportStatus.Failed => JobCancelState.Ended,
                ExportStatus.Cancelled => JobCancelState.Cancelled,
                _ => JobCancelState.Open,
            },
            (export, c) => exports.CancelAsync(export.ExportId, userId, "Export cancelled by user", c),
            (export, now) => new ExportCancelled(now ? "Export cancelled successfully" : "Export is already cancelled", export.ExportId, ExportStatus.Cancelled),
            export => new ExportRefusedException(ExportRefusal.InvalidState, $"Cannot cancel a {export.Status.ToString().ToLowerInvariant()} export"),
            ct);

    /// <summary>
    /// E6, in the documented order: the download token (401), that it names this export and this user (403), the
    /// export (404), its expiry (410), its state (400), its file (404).
    /// </summary>
    public async Task<ExportDownload> AuthorizeDownloadAsync(string userId, string exportId, string? token, CancellationToken ct)
    {
        var named = string.IsNullOrEmpty(token) ? null : await tokens.ReadAsync(token);
        if (named is null)
        {
            throw new ExportRefusedException(ExportRefusal.InvalidToken, "Invalid or expired download token");
        }

        if (!string.Equals(named.Value.ExportId, exportId, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(named.Value.UserId, userId, StringComparison.Ordinal))
        {
            throw new ExportRefusedException(ExportRefusal.TokenMismatch, "Token does not match export or user");
        }

        var export = await FindAsync(userId, exportId, ct);
        if (export.ExpiresAt is { } expires && expires <= clock.GetUtcNow())
        {
            throw new ExportRefusedException(ExportRefusal.Expired, "Export has expired");
        }

        if (export.Status != ExportStatus.Completed)
        {
            throw new ExportRefusedException(
                ExportRefusal.InvalidState, $"Export is not ready (status: {export.Status.ToString().ToLowerInvariant()})");
        }

        if (export.FilePath is not { Length: > 0 } path)
        {
            throw new ResourceNotFoundException(export.Kind == ExportKind.Chunked
                ? "Export file not found: this export was not merged; download each of its chunks"
                : "Export file not found");
        }

        var length = await storage.LengthAsync(path, ct) ?? throw new ResourceNotFoundException("Export file not found");
        return new ExportDownload(path, export.FileName ?? $"export_{export.ExportId}.csv", length);
    }

    /// <summary>E8 (administrators): deletes every expired file and expired row now.</summary>
    public Task<ExportsPurged> PurgeExpiredAsync(CancellationToken ct) => PurgeAsync(TimeSpan.Zero, Options.LeaseDuration * 2, ct);

    /// <summary>
    /// Deletes the files of expired exports, the rows that expired more than <paramref name="rowRetention"/> ago, and
    /// files no export refers to any more (left by a crash) once they are older than <paramref name="orphansOlderThan"/>.
    /// </summary>
    public async Task<ExportsPurged> PurgeAsync(TimeSpan rowRetention, TimeSpan orphansOlderThan, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (files, rows) = await exports.ExpireAsync(now, now - rowRetention, ct);
        var deleted = 0;
        foreach (var file in files)
        {
            if (await storage.LengthAsync(file, ct) is not null)
            {
                await storage.DeleteAsync(file, ct);
                deleted++;
            }
        }

        var referenced = await exports.ReferencedExportIdsAsync(ct);
        foreach (var (name, modified) in await storage.ListAsync(ct))
        {
            if (modified < now - orphansOlderThan && !referenced.Contains(name.Split('.')[0]))
            {
                await storage.DeleteAsync(name, ct);
                deleted++;
            }
        }

        return new ExportsPurged("CSV files deleted successfully", deleted, rows);
    }

    /// <summary>The caller's export; a malformed id, another user's export and a missing one are alike: not found.</summary>
    private async Task<UserExport> FindAsync(string userId, string exportId, CancellationToken ct) =>
        Guid.TryParse(exportId, out var id)
            ? await exports.FindAsync(id.ToString("D"), userId, ct) ?? throw new ResourceNotFoundException(NotFound)
            : throw new ResourceNotFoundException(NotFound);

    private async Task<UserExport> NewExportAsync<T>(
        string userId, ExportType type, IReadOnlyList<string>? uuids, string uuidsField, VqlSearchRequest? query,
        EntityReader<T> reader, List<string> columns, CancellationToken ct)
        where T : class, IConnectraRecord
    {
        if ((uuids is null) == (query is null))
        {
            throw new VqlValidationException(uuids is null ? uuidsField : "query",
                $"send either {uuidsField} (the rows to export) or query (every row it matches), not {(uuids is null ? "neither" : "both")}");
        }

        var now = clock.GetUtcNow();
        UserExport export;
        if (uuids is not null)
        {
            if (uuids.Count > Options.MaxUuids)
            {
                throw new VqlValidationException(uuidsField, $"at most {Options.MaxUuids} uuids per export (Exports:MaxUuids), not {uuids.Count}");
            }

            var distinct = Distinct(uuids, uuidsField);
            if (distinct.Count == 0)
            {
                throw new VqlValidationException(uuidsField, "list at least one uuid");
            }

            export = NewRow(userId, type, ExportKind.Uuids, columns, now);
            if (type == ExportType.Contacts)
            {
                (export.ContactUuids, export.ContactCount) = (distinct, distinct.Count);
            }
            else
            {
                (export.CompanyUuids, export.CompanyCount) = (distinct, distinct.Count);
            }

            export.TotalRecords = distinct.Count;
        }
        else
        {
            var total = await CountQueryAsync(reader, query!, ct);
            if (total > Options.MaxRows)
            {
                throw new VqlValidationException("query",
                    $"the query matches {total} rows; an export holds at most {Options.MaxRows} (Exports:MaxRows). Narrow the filters");
            }

            export = NewRow(userId, type, ExportKind.Query, columns, now);
            export.QueryJson = JsonSerializer.Serialize(query, ExportJson.Default.VqlSearchRequest);
            export.TotalRecords = (int)total;
            // The count of the export's own kind, as for an export by uuid; the other kind stays 0.
            if (type == ExportType.Contacts)
            {
                export.ContactCount = (int)total;
            }
            else
            {
                export.CompanyCount = (int)total;
            }
        }

        await EnsureRoomAsync(userId, ct);
        return export;
    }

    /// <summary>
    /// An export takes every row the filters match, in the order of sort_by: paging and column keys of the query
    /// routes mean nothing here and are refused rather than ignored (columns are chosen with <c>columns</c>).
    /// </summary>
    private static async Task<long> CountQueryAsync<T>(EntityReader<T> reader, VqlSearchRequest query, CancellationToken ct)
        where T : class, IConnectraRecord
    {
        foreach (var (given, key) in new (object? Value, string Key)[]
        {
            (query.Limit, "limit"), (query.Offset, "offset"), (query.Cursor, "cursor"), (query.SelectColumns, "select_columns"),
            (query.CompanyConfig, "company_config"), (query.ContactConfig, "contact_config"),
        })
        {
            if (given is not null)
            {
                throw new VqlValidationException($"query.{key}",
                    $"an export takes every row the filters match; leave out {key} (choose CSV columns with 'columns')");
            }
        }

        var spec = Prefixed("query", () => reader.Plan(query, companyConfig: null));
        return await reader.CountAsync(spec.Where, ct);
    }

    private static T Prefixed<T>(string prefix, Func<T> plan)
    {
        try
        {
            return plan();
        }
        catch (VqlValidationException invalid)
        {
            throw new VqlValidationException(invalid.Field.Length == 0 ? prefix : $"{prefix}.{invalid.Field}", invalid.Message);
        }
    }

    private async Task EnsureRoomAsync(string userId, CancellationToken ct)
    {
        if (await exports.CountActiveAsync(userId, ct) >= Options.MaxActivePerUser)
        {
            throw new ExportRefusedException(ExportRefusal.TooMany,
                $"You have {Options.MaxActivePerUser} exports pending or running, the most allowed (Exports:MaxActivePerUser); " +
                "wait for one to finish or cancel one.", Options.PollInterval * 10);
        }
    }

    private async Task<ExportCreated> AddAsync(UserExport export, CancellationToken ct)
    {
        await exports.AddAsync([export], ct);
        signal.Notify();
        return new ExportCreated(
            export.ExportId, export.ExportType, export.Status,
            export.ExportType == ExportType.Contacts ? export.ContactCount : null,
            export.ExportType == ExportType.Companies ? export.CompanyCount : null,
            export.TotalRecords, export.CreatedAt, export.ExpiresAt!.Value, null, StatusUrl(export.ExportId));
    }

    private UserExport NewRow(string userId, ExportType type, ExportKind kind, List<string> columns, DateTimeOffset now) => new()
    {
        ExportId = Guid.NewGuid().ToString("D"),
        UserId = userId,
        ExportType = type,
        Kind = kind,
        Columns = columns.Count == (type == ExportType.Contacts ? ExportColumns.Contacts.Count : ExportColumns.Companies.Count) ? [] : columns,
        Status = ExportStatus.Pending,
        CreatedAt = now,
        ExpiresAt = now + Options.FileLifetime,
    };

    /// <summary>Canonical uuids, each once, in the order first given; a value that is not a uuid is refused by index.</summary>
    private static List<string> Distinct(IReadOnlyList<string> uuids, string field)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var distinct = new List<string>(uuids.Count);
        for (var i = 0; i < uuids.Count; i++)
        {
            var uuid = uuids[i] is { } text ? Uuids.Parse(text, $"{field}[{i}]") : throw new VqlValidationException($"{field}[{i}]", "null is not a uuid");
            if (seen.Add(uuid))
            {
                distinct.Add(uuid);
            }
        }

        return distinct;
    }

    private ExportStatusResponse Describe(UserExport e, IReadOnlyList<string> chunkIds, DateTimeOffset now)
    {
        var expired = e.ExpiresAt <= now;
        var downloadable = e.Status == ExportStatus.Completed && !expired && e.FilePath is { Length: > 0 };
        var progress = e.ProgressPercentage ?? (e.TotalRecords > 0 ? Math.Min(100, 100.0 * e.RecordsProcessed / e.TotalRecords) : null);
        return new ExportStatusResponse(
            e.ExportId, e.ExportType, e.Status, progress is null ? null : Math.Round(progress.Value, 1), e.EstimatedTimeRemaining,
            e.RecordsProcessed, e.TotalRecords, e.ContactCount, e.CompanyCount, e.MissingCount, e.MissingUuids,
            e.Status == ExportStatus.Failed ? e.ErrorMessage ?? "Export processing failed" : e.ErrorMessage, e.Notice,
            e.FileName, e.FileSize, downloadable ? DownloadUrl(e, now) : null, e.CreatedAt, e.StartedAt, e.CompletedAt, e.ExpiresAt,
            expired, chunkIds, e.SavedSearchId, e.SavedSearchName);
    }

    private string DownloadUrl(UserExport export, DateTimeOffset now)
    {
        var notAfter = Min(now + Options.DownloadTokenLifetime, export.ExpiresAt ?? now);
        var token = tokens.Create(export.ExportId, export.UserId, notAfter);
        return Url($"/api/v3/exports/{export.ExportId}/download?token={Uri.EscapeDataString(token)}");
    }

    private string StatusUrl(string exportId) => Url($"/api/v3/exports/{exportId}/status");

    private string Url(string path) => Options.PublicBaseUrl is { } root ? new Uri(root, path).ToString() : path;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
