using System.Globalization;
using Connectra.Backend.Application.Vql;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Application.Changes;

/// <summary>One event as the feed and webhooks show it.</summary>
public sealed record ChangeEventView(
    Guid EventId, long Sequence, string Type, string Uuid, DateTimeOffset OccurredAt, long Version, IReadOnlyList<string>? ChangedFields)
{
    public static ChangeEventView From(ChangeEvent e) =>
        new(e.EventId, e.Sequence, e.Type, e.Uuid, e.OccurredAt, e.Version, e.ChangedFields);
}

/// <summary>
/// A page of the feed. <paramref name="Next"/> is the cursor to pass as <c>after</c> next time, also when the page
/// is empty (it then repeats the one given); <paramref name="HasMore"/> says whether to ask again at once.
/// </summary>
public sealed record ChangePage(IReadOnlyList<ChangeEventView> Data, string Next, bool HasMore);

/// <summary>The change feed's table (EF Core on PostgreSQL).</summary>
public interface IChangeFeedStore
{
    /// <summary>Up to <paramref name="limit"/> events after <paramref name="after"/>, in sequence order, of those types (all when empty).</summary>
    Task<IReadOnlyList<ChangeEvent>> ReadAsync(long after, int limit, IReadOnlyCollection<string> types, CancellationToken ct);

    /// <summary>The highest sequence purged so far (0 when none was): a cursor below it may have missed events.</summary>
    Task<long> PurgedThroughAsync(CancellationToken ct);

    /// <summary>The highest sequence committed so far (0 when none).</summary>
    Task<long> HeadAsync(CancellationToken ct);

    /// <summary>Deletes the events that occurred before <paramref name="cutoff"/>, records how far it went, and answers how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken ct);
}

/// <summary>The cursor names a point the retention has already purged: reading on would skip events (410).</summary>
public sealed class ChangeCursorExpiredException(long head, string message) : Exception(message)
{
    public ChangeCursorExpiredException(long head, TimeSpan retention)
        : this(head, $"the cursor is older than the change feed's retention ({Days(retention)} days), so events after it were deleted. " +
            $"Resync: read the records you keep through the search routes, then follow the feed with after={head.ToString(CultureInfo.InvariantCulture)} " +
            "(taken before the resync, so changes made during it are read again rather than missed).")
    {
    }

    /// <summary>The feed's head when refused: the cursor to follow after a resync.</summary>
    public long Head { get; } = head;

    public static string Days(TimeSpan retention) => retention.TotalDays.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Reads the change feed (GET /api/v3/changes; docs/webhooks.md#change-feed).</summary>
public sealed class ChangeFeedService(IChangeFeedStore store, IOptionsMonitor<ChangeFeedOptions> options)
{
    /// <summary>The most types one request may name.</summary>
    public const int MaxTypes = 16;

    public async Task<ChangePage> ReadAsync(string? after, int? limit, string? types, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var from = ParseCursor(after);
        var size = limit ?? 100;
        if (size < 1 || size > settings.MaxPageSize)
        {
            throw new VqlValidationException("limit", $"limit must be between 1 and {settings.MaxPageSize}");
        }

        var wanted = ParseTypes(types);
        // Checked before reading: a purge between the two would otherwise let an expired cursor through once.
        if (from > 0 && from < await store.PurgedThroughAsync(ct))
        {
            throw new ChangeCursorExpiredException(await store.HeadAsync(ct), settings.Retention);
        }

        // Events of users' jobs (export.completed and the like) go to their owners' webhooks only, never to the feed.
        var events = await store.ReadAsync(from, size + 1, wanted.Count > 0 ? wanted : ChangeTypes.Record, ct);
        var page = events.Take(size).Select(ChangeEventView.From).ToList();
        var next = page.Count > 0 ? page[^1].Sequence : from;
        return new ChangePage(page, next.ToString(CultureInfo.InvariantCulture), events.Count > size);
    }

    /// <summary>A cursor is the sequence of the last event read; absent means from the oldest kept event.</summary>
    public static long ParseCursor(string? after)
    {
        if (string.IsNullOrEmpty(after))
        {
            return 0;
        }

        if (after.Length > 19 || !long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new VqlValidationException("after", "after must be a cursor from a previous page's next (a non-negative integer)");
        }

        return value;
    }

    private static List<string> ParseTypes(string? types)
    {
        if (string.IsNullOrEmpty(types))
        {
            return [];
        }

        if (types.Length > 512)
        {
            throw new VqlValidationException("types", "types is at most 512 characters");
        }

        var names = types.Split(',', StringSplitOptions.TrimEntries);
        if (names.Length > MaxTypes)
        {
            throw new VqlValidationException("types", $"types names at most {MaxTypes} types");
        }

        foreach (var name in names)
        {
            if (!ChangeTypes.Record.Contains(name, StringComparer.Ordinal))
            {
                throw new VqlValidationException("types", $"unknown type '{name}'; known: {string.Join(", ", ChangeTypes.Record)}");
            }
        }

        return names.Distinct(StringComparer.Ordinal).ToList();
    }
}
