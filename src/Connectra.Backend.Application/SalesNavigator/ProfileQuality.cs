namespace Connectra.Backend.Application.SalesNavigator;

/// <summary>
/// How complete a profile is (docs/sales-navigator.md#data-quality-score): required fields weigh 70 points between
/// them, optional ones 30, and the score is truncated to a whole number.
/// </summary>
public static class ProfileQuality
{
    /// <summary>The fields a usable lead has; those absent are listed in <c>missing_fields</c>.</summary>
    public static IReadOnlyList<(string Name, Func<SalesNavigatorProfile, bool> Present)> Required { get; } =
    [
        ("name", p => p.Name is not null),
        ("title", p => p.Title is not null),
        ("company", p => p.Company is not null),
        ("location", p => p.Location is not null),
        ("profile_url", p => p.ProfileUrl is not null),
        ("image_url", p => p.ImageUrl is not null),
        ("connection_degree", p => p.ConnectionDegree is not null),
        ("lead_id", p => p.LeadId is not null),
        ("company_id", p => p.CompanyId is not null),
    ];

    /// <summary>
    /// The rest, each counting when it says something: a flag when true, a list when not empty. Lists that only
    /// detail another field (mutual connections, shared group links) do not count twice.
    /// </summary>
    public static IReadOnlyList<(string Name, Func<SalesNavigatorProfile, bool> Present)> Optional { get; } =
    [
        ("about", p => p.About is not null),
        ("time_in_role", p => p.TimeInRole is not null),
        ("time_in_company", p => p.TimeInCompany is not null),
        ("lead_urn", p => p.LeadUrn is not null),
        ("search_type", p => p.SearchType is not null),
        ("search_id", p => p.SearchId is not null),
        ("company_url", p => p.CompanyUrl is not null),
        ("is_premium_member", p => p.IsPremiumMember),
        ("is_reachable", p => p.IsReachable),
        ("last_active", p => p.LastActive is not null),
        ("is_viewed", p => p.IsViewed),
        ("mutual_connections_count", p => p.MutualConnectionsCount is not null),
        ("is_recently_hired", p => p.IsRecentlyHired),
        ("recently_hired_company_logo", p => p.RecentlyHiredCompanyLogo is not null),
        ("recent_posts_count", p => p.RecentPostsCount is not null),
        ("shared_groups", p => p.SharedGroups.Count > 0),
    ];

    /// <summary>The profile with its score and missing required fields filled in.</summary>
    public static SalesNavigatorProfile Score(SalesNavigatorProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var missing = Required.Where(f => !f.Present(profile)).Select(f => f.Name).ToList();
        var required = Required.Count - missing.Count;
        var optional = Optional.Count(f => f.Present(profile));
        // 70·r/R + 30·o/O over the common denominator R·O, so the truncation is exact.
        var score = ((70 * Optional.Count * required) + (30 * Required.Count * optional)) / (Required.Count * Optional.Count);
        return profile with { DataQualityScore = score, MissingFields = missing };
    }
}
