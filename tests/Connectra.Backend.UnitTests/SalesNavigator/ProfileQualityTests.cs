using Connectra.Backend.Application.SalesNavigator;

namespace Connectra.Backend.UnitTests.SalesNavigator;

public sealed class ProfileQualityTests
{
    private static readonly SalesNavigatorProfile Full = new()
    {
        Name = "n", Title = "t", Company = "c", Location = "l", ProfileUrl = "https://p", ImageUrl = "https://i", ConnectionDegree = "2nd",
        LeadId = "id", CompanyId = "1", About = "a", TimeInRole = "1 year", TimeInCompany = "2 years", LeadUrn = "urn", SearchType = "NAME_SEARCH",
        SearchId = "s", CompanyUrl = "https://c", IsPremiumMember = true, IsReachable = true, LastActive = "now", IsViewed = true,
        MutualConnectionsCount = 1, IsRecentlyHired = true, RecentlyHiredCompanyLogo = "https://logo", RecentPostsCount = 1,
        SharedGroups = ["g"],
    };

    [Fact]
    public void The_weights_are_nine_required_and_sixteen_optional_fields()
    {
        Assert.Equal(9, ProfileQuality.Required.Count);
        Assert.Equal(16, ProfileQuality.Optional.Count);
        Assert.Equal(100, ProfileQuality.Score(Full).DataQualityScore);
        Assert.Equal(0, ProfileQuality.Score(new SalesNavigatorProfile()).DataQualityScore);
    }

    [Fact]
    public void Every_mix_of_present_fields_scores_seventy_and_thirty_points_pro_rata_truncated()
    {
        // Take fields away one by one, required and optional alike, and compare with the formula at each step.
        var all = ProfileQuality.Required.Select(f => (f.Name, Required: true)).Concat(ProfileQuality.Optional.Select(f => (f.Name, Required: false))).ToList();
        for (var dropRequired = 0; dropRequired <= 9; dropRequired++)
        {
            for (var dropOptional = 0; dropOptional <= 16; dropOptional++)
            {
                var profile = Without(Full, [.. all.Where(f => f.Required).Take(dropRequired).Select(f => f.Name),
                    .. all.Where(f => !f.Required).Take(dropOptional).Select(f => f.Name)]);

                var scored = ProfileQuality.Score(profile);

                var expected = (int)Math.Floor((70m * (9 - dropRequired) / 9) + (30m * (16 - dropOptional) / 16));
                Assert.Equal(expected, scored.DataQualityScore);
                Assert.Equal(all.Where(f => f.Required).Take(dropRequired).Select(f => f.Name), scored.MissingFields);
            }
        }
    }

    private static SalesNavigatorProfile Without(SalesNavigatorProfile p, IReadOnlyCollection<string> fields) => p with
    {
        Name = fields.Contains("name") ? null : p.Name,
        Title = fields.Contains("title") ? null : p.Title,
        Company = fields.Contains("company") ? null : p.Company,
        Location = fields.Contains("location") ? null : p.Location,
        ProfileUrl = fields.Contains("profile_url") ? null : p.ProfileUrl,
        ImageUrl = fields.Contains("image_url") ? null : p.ImageUrl,
        ConnectionDegree = fields.Contains("connection_degree") ? null : p.ConnectionDegree,
        LeadId = fields.Contains("lead_id") ? null : p.LeadId,
        CompanyId = fields.Contains("company_id") ? null : p.CompanyId,
        About = fields.Contains("about") ? null : p.About,
        TimeInRole = fields.Contains("time_in_role") ? null : p.TimeInRole,
        TimeInCompany = fields.Contains("time_in_company") ? null : p.TimeInCompany,
        LeadUrn = fields.Contains("lead_urn") ? null : p.LeadUrn,
        SearchType = fields.Contains("search_type") ? null : p.SearchType,
        SearchId = fields.Contains("search_id") ? null : p.SearchId,
        CompanyUrl = fields.Contains("company_url") ? null : p.CompanyUrl,
        IsPremiumMember = !fields.Contains("is_premium_member") && p.IsPremiumMember,
        IsReachable = !fields.Contains("is_reachable") && p.IsReachable,
        LastActive = fields.Contains("last_active") ? null : p.LastActive,
        IsViewed = !fields.Contains("is_viewed") && p.IsViewed,
        MutualConnectionsCount = fields.Contains("mutual_connections_count") ? null : p.MutualConnectionsCount,
        IsRecentlyHired = !fields.Contains("is_recently_hired") && p.IsRecentlyHired,
        RecentlyHiredCompanyLogo = fields.Contains("recently_hired_company_logo") ? null : p.RecentlyHiredCompanyLogo,
        RecentPostsCount = fields.Contains("recent_posts_count") ? null : p.RecentPostsCount,
        SharedGroups = fields.Contains("shared_groups") ? [] : p.SharedGroups,
    };
}
