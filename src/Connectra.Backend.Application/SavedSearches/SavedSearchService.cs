using System.Text.Json;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Vql;
using Connectra.Backend.Application.Writing;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Application.SavedSearches;

/// <summary>Who is asking: the token's <c>sub</c>, and whether it carries the admin role.</summary>
public sealed record Caller(string Id, bool Admin);

/// <summary>
/// Saved searches and their schedules (docs/saved-searches.md). A search is read by its owner, by everyone when shared,
/// and by administrators; only its owner or an administrator changes it. Another user's private search is not found.
/// Running, counting and exporting go through the query routes' own services and <see cref="ExportService"/>.
/// </summary>
public sealed class SavedSearchService(
    ISavedSearchStore store,
    ContactsService contacts,
    CompaniesService companies,
    ExportService exports,
    IOptions<SavedSearchOptions> options,
    TimeProvider clock)
{
    public const string NotFound = "Saved search not found or access denied";
    public const string ScheduleNotFound = "Schedule not found";

    private SavedSearchOptions Options => options.Value;

    public async Task<SavedSearchView> CreateAsync(Caller caller, SavedSearchRequest request, CancellationToken ct)
    {
        var (entity, query) = Check(request);
        if (await store.CountOwnedAsync(caller.Id, ct) >= Options.MaxPerUser)
        {
            throw new WriteRefusedException(WriteRefusal.Conflict, "",
                $"you own {Options.MaxPerUser} saved searches, the most allowed (SavedSearches:MaxPerUser); delete one first");
        }

        var now = clock.GetUtcNow();
        var search = new SavedSearch
        {
            SavedSearchId = Guid.NewGuid().ToString("D"),
            OwnerId = caller.Id,
            Name = request.Name!,
            Description = request.Description,
            Entity = entity,
            QueryJson = JsonSerializer.Serialize(query, ExportJson.Default.VqlSearchRequest),
            QueryFormatVersion = QueryFormat.Current,
            Visibility = request.Visibility,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        await store.AddAsync(search, ct);
        return View(search);
    }

    public async Task<SavedSearchView> GetAsync(Caller caller, string id, CancellationToken ct) => View(await ReadableAsync(caller, id, ct));

    /// <summary>Replaces the search; <paramref name="ifMatch"/> makes it conditional (412 on another version).</summary>
    public async Task<SavedSearchView> ReplaceAsync(Caller caller, string id, SavedSearchRequest request, long? ifMatch, CancellationToken ct)
    {
        var search = await ChangeableAsync(caller, id, ifMatch, ct);
        var (entity, query) = Check(request);
        var version = search.Version;
        search.Name = request.Name!;
        search.Description = request.Description;
        search.Entity = entity;
        search.QueryJson = JsonSerializer.Serialize(query, ExportJson.Default.VqlSearchRequest);
        search.QueryFormatVersion = QueryFormat.Current;
        search.Visibility = request.Visibility;
        search.UpdatedAt = clock.GetUtcNow();
        search.Version = version + 1;
        if (!await store.UpdateAsync(search, version, ct))
        {
            throw Stale(ifMatch);
        }

        return View(search);
    }

    public async Task DeleteAsync(Caller caller, string id, long? ifMatch, CancellationToken ct)
    {
        var search = await ChangeableAsync(caller, id, ifMatch, ct);
        if (!await store.DeleteAsync(search.SavedSearchId, search.Version, ct))
        {
            throw Stale(ifMatch);
        }
    }

    public async Task<SavedSearchList> ListAsync(Caller caller, SavedSearchListQuery query, CancellationToken ct)
    {
        var (page, total) = await store.ListAsync(caller.Id, caller.Admin, query, ct);
        var more = (long)query.Page * query.PageSize < total;
        return new SavedSearchList([.. page.Select(View)], total, query.Page, query.PageSize, more ? query.Page + 1 : null);
    }

    /// <summary>Exactly the query route's answer for the stored body, paged with <paramref name="run"/>.</summary>
    public async Task<object> RunAsync(Caller caller, string id, SavedSearchRunRequest run, CancellationToken ct)
    {
        var search = await ReadableAsync(caller, id, ct);
        var query = Runnable(search) with { Limit = run.Limit ?? Runnable(search).Limit, Cursor = run.Cursor };
        return search.Entity == SavedSearchEntity.Contacts
            ? await contacts.SearchAsync(query, ct)
            : await companies.SearchAsync(query, ct);
    }

    public async Task<CountResponse> CountAsync(Caller caller, string id, CancellationToken ct)
    {
        var search = await ReadableAsync(caller, id, ct);
        var query = Runnable(search);
        return search.Entity == SavedSearchEntity.Contacts ? await contacts.CountAsync(query, ct) : await companies.CountAsync(query, ct);
    }

    /// <summary>An export of every row the search matches, owned by the caller and naming the search.</summary>
    public async Task<ExportCreated> ExportAsync(Caller caller, string id, SavedSearchExportRequest request, CancellationToken ct)
    {
        var search = await ReadableAsync(caller, id, ct);
        return await ExportAsync(caller.Id, search, request.Columns, exportId: null, ct);
    }

    /// <summary>The one way a saved search becomes an export, by hand or on a schedule.</summary>
    internal async Task<ExportCreated> ExportAsync(
        string ownerId, SavedSearch search, IReadOnlyList<string>? columns, string? exportId, CancellationToken ct)
    {
        var query = ForExport(Runnable(search));
        var origin = new ExportOrigin(search.SavedSearchId, search.Name, exportId);
        return search.Entity == SavedSearchEntity.Contacts
            ? await exports.CreateContactExportAsync(ownerId, new ContactExportRequest { Query = query, Columns = columns }, ct, origin)
            : await exports.CreateCompanyExportAsync(ownerId, new CompanyExportRequest { Query = query, Columns = columns }, ct, origin);
    }

    public async Task<ScheduleList> SchedulesAsync(Caller caller, string id, CancellationToken ct)
    {
        var search = await ReadableAsync(caller, id, ct);
        return new ScheduleList([.. (await store.SchedulesAsync(search.SavedSearchId, ct)).Select(ViewOf)]);
    }

    public async Task<ScheduleView> AddScheduleAsync(Caller caller, string id, ScheduleRequest request, CancellationToken ct)
    {
        var search = await ChangeableAsync(caller, id, ifMatch: null, ct);
        var now = clock.GetUtcNow();
        var schedule = new SavedSearchSchedule
        {
            ScheduleId = Guid.NewGuid().ToString("D"),
            SavedSearchId = search.SavedSearchId,
            Cron = "",
            TimeZone = "",
            CreatedAt = now,
        };
        Apply(search, schedule, request, now);
        if ((await store.SchedulesAsync(search.SavedSearchId, ct)).Count >= Options.MaxSchedulesPerSearch)
        {
            throw new WriteRefusedException(WriteRefusal.Conflict, "",
                $"a saved search carries at most {Options.MaxSchedulesPerSearch} schedules (SavedSearches:MaxSchedulesPerSearch)");
        }

        await store.AddScheduleAsync(schedule, ct);
        return ViewOf(schedule);
    }

    public async Task<ScheduleView> ReplaceScheduleAsync(Caller caller, string id, string scheduleId, ScheduleRequest request, CancellationToken ct)
    {
        var search = await ChangeableAsync(caller, id, ifMatch: null, ct);
        var schedule = await store.FindScheduleAsync(search.SavedSearchId, scheduleId, ct) ?? throw new ResourceNotFoundException(ScheduleNotFound);
        Apply(search, schedule, request, clock.GetUtcNow());
        await store.UpdateScheduleAsync(schedule, ct);
        return ViewOf(schedule);
    }

    public async Task DeleteScheduleAsync(Caller caller, string id, string scheduleId, CancellationToken ct)
    {
        var search = await ChangeableAsync(caller, id, ifMatch: null, ct);
        if (!await store.DeleteScheduleAsync(search.SavedSearchId, scheduleId, ct))
        {
            throw new ResourceNotFoundException(ScheduleNotFound);
        }
    }

    /// <summary>A schedule's history, newest firing first.</summary>
    public async Task<FiringList> RunsAsync(Caller caller, string id, string scheduleId, int page, int pageSize, CancellationToken ct)
    {
        var search = await ReadableAsync(caller, id, ct);
        var schedule = await store.FindScheduleAsync(search.SavedSearchId, scheduleId, ct) ?? throw new ResourceNotFoundException(ScheduleNotFound);
        var (firings, total) = await store.FiringsAsync(schedule.ScheduleId, page, pageSize, ct);
        var more = (long)page * pageSize < total;
        return new FiringList(
            [.. firings.Select(f => new FiringView(f.FireAt, f.Status, f.ExportId, f.RowCount, f.Reason, f.CompletedAt))],
            total, page, pageSize, more ? page + 1 : null);
    }

    /// <summary>The stored query, refused with 409 naming a field the query format has retired since.</summary>
    internal VqlSearchRequest Runnable(SavedSearch search)
    {
        var query = JsonSerializer.Deserialize(search.QueryJson, ExportJson.Default.VqlSearchRequest)
            ?? throw new InvalidOperationException($"saved search {search.SavedSearchId} holds no query");
        QueryFormat.EnsureRunnable(search.Entity, query, Options.RetiredFields);
        return query;
    }

    /// <summary>An export takes every row: the stored page size and columns of the query route do not apply.</summary>
    internal static VqlSearchRequest ForExport(VqlSearchRequest query) =>
        query with { Limit = null, Offset = null, Cursor = null, SelectColumns = null, CompanyConfig = null, ContactConfig = null };

    private void Apply(SavedSearch search, SavedSearchSchedule schedule, ScheduleRequest request, DateTimeOffset now)
    {
        var cron = CronSchedule.Parse(request.Cron, request.TimeZone, "schedule");
        cron.EnsureInterval(Options.MinimumInterval, now, "schedule");
        List<string> columns = request.Columns is null ? []
            : search.Entity == SavedSearchEntity.Contacts
                ? [.. ExportColumns.Choose(ExportColumns.Contacts, request.Columns, "columns").Select(c => c.Name)]
                : [.. ExportColumns.Choose(ExportColumns.Companies, request.Columns, "columns").Select(c => c.Name)];
        schedule.Cron = request.Cron!;
        schedule.TimeZone = cron.Zone.Id;
        schedule.Columns = columns;
        schedule.Enabled = request.Enabled;
        schedule.SkipIfUnchanged = request.SkipIfUnchanged;
        schedule.NextFireAt = request.Enabled ? cron.Next(now) : null;
        schedule.UpdatedAt = now;
    }

    private (SavedSearchEntity Entity, VqlSearchRequest Query) Check(SavedSearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entity = request.Entity ?? throw new VqlValidationException("entity", "contacts or companies");
        var query = request.Query ?? throw new VqlValidationException("query", "the body of the entity's query route");
        foreach (var (given, key) in new (object? Value, string Key)[] { (query.Offset, "offset"), (query.Cursor, "cursor") })
        {
            if (given is not null)
            {
                throw new VqlValidationException($"query.{key}", $"a saved query starts at its first page; leave out {key} (page a run with its own cursor)");
            }
        }

        try
        {
            if (entity == SavedSearchEntity.Contacts)
            {
                contacts.Check(query);
            }
            else
            {
                companies.Check(query);
            }
        }
        catch (VqlValidationException invalid)
        {
            throw new VqlValidationException(invalid.Field.Length == 0 ? "query" : $"query.{invalid.Field}", invalid.Message);
        }

        return (entity, query);
    }

    private async Task<SavedSearch> ReadableAsync(Caller caller, string id, CancellationToken ct)
    {
        var search = id.Length <= SavedSearchLimits.Id && Guid.TryParse(id, out var parsed)
            ? await store.FindAsync(parsed.ToString("D"), ct)
            : null;
        return search is not null && (caller.Admin || search.OwnerId == caller.Id || search.Visibility == SavedSearchVisibility.Shared)
            ? search
            : throw new ResourceNotFoundException(NotFound);
    }

    private async Task<SavedSearch> ChangeableAsync(Caller caller, string id, long? ifMatch, CancellationToken ct)
    {
        var search = await ReadableAsync(caller, id, ct);
        if (!caller.Admin && search.OwnerId != caller.Id)
        {
            throw new ForbiddenException("Only the owner of a shared saved search or an administrator may change it.");
        }

        if (ifMatch is { } expected && expected != search.Version)
        {
            throw Stale(ifMatch);
        }

        return search;
    }

    private static WriteRefusedException Stale(long? ifMatch) => ifMatch is null
        ? new WriteRefusedException(WriteRefusal.Conflict, "", "the saved search changed meanwhile; read it again and retry")
        : new WriteRefusedException(WriteRefusal.PreconditionFailed, "If-Match", "the saved search is at another version; read it again for its ETag");

    private static SavedSearchView View(SavedSearch s) => new(
        s.SavedSearchId, s.Name, s.Description, s.Entity,
        JsonSerializer.Deserialize(s.QueryJson, ExportJson.Default.VqlSearchRequest)!, s.QueryFormatVersion, s.Visibility, s.OwnerId,
        s.CreatedAt, s.UpdatedAt, s.Version);

    private static ScheduleView ViewOf(SavedSearchSchedule s) => new(
        s.ScheduleId, s.SavedSearchId, s.Cron, s.TimeZone, s.Columns, s.Enabled, s.SkipIfUnchanged, s.NextFireAt, s.CreatedAt, s.UpdatedAt);
}
