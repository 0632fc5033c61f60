using System.ComponentModel.DataAnnotations;

namespace Connectra.Backend.Application.Changes;

/// <summary>The change feed (section <c>ChangeFeed</c>; docs/webhooks.md#change-feed).</summary>
public sealed class ChangeFeedOptions
{
    public const string SectionName = "ChangeFeed";

    /// <summary>How long events stay readable; a cursor older than this is answered 410 with how to resync.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often a replica deletes the events past the retention.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Events one page answers at most (the <c>limit</c> parameter's ceiling).</summary>
    [Range(1, 1000)]
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>Off only for hosts that must not delete (command-line verbs, tests that watch the table).</summary>
    public bool PurgeEnabled { get; set; } = true;
}
