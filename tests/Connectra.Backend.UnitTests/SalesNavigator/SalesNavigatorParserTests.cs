using Connectra.Backend.Application.SalesNavigator;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.UnitTests.SalesNavigator;

public sealed class SalesNavigatorParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static SalesNavigatorPage Results() => SalesNavigatorParser.Parse(SalesNavigatorPages.Load("results-page.html"), Now, TestContext.Current.CancellationToken);

    private static SalesNavigatorPage Parse(string html) => SalesNavigatorParser.Parse(html, Now, TestContext.Current.CancellationToken);

    [Fact]
    public void Every_lead_block_is_one_profile_and_markup_in_scripts_and_comments_is_not()
    {
        var page = Results();

        Assert.Equal(["Ada Lovelace", "Charles Babbage", "Mary'Jane O'Neil-Smith", "No Link Person"], page.Profiles.Select(p => p.Name));
    }

    [Fact]
    public void A_complete_lead_has_every_field_read_from_its_markup()
    {
        var ada = Results().Profiles[0];

        Assert.Equal("Director of Engineering", ada.Title);
        Assert.Equal("Northwind Analytics", ada.Company);
        Assert.Equal("Lyon, Auvergne-Rhône-Alpes, France", ada.Location);
        Assert.Equal("https://www.linkedin.com/sales/lead/ACwAAA1001,NAME_SEARCH,q7Xc", ada.ProfileUrl);
        Assert.Equal("https://media.licdn.com/dms/image/v2/C4E03AQ/profile-displayphoto-shrink_100_100/0/1600000000000?e=1767225600&v=beta&t=abc", ada.ImageUrl);
        Assert.Equal("2nd", ada.ConnectionDegree);
        Assert.Equal("Builds data platforms on AWS, Kubernetes and PostgreSQL. Python & Rust.", ada.About);
        Assert.Equal("3 years 2 months", ada.TimeInRole);
        Assert.Equal("5 years 1 month", ada.TimeInCompany);
        Assert.Equal("ACwAAA1001", ada.LeadId);
        Assert.Equal("urn:li:fs_salesProfile:(ACwAAA1001,NAME_SEARCH,q7Xc)", ada.LeadUrn);
        Assert.Equal("NAME_SEARCH", ada.SearchType);
        Assert.Equal("7712", ada.SearchId);
        Assert.Equal("2001", ada.CompanyId);
        Assert.Equal("https://www.linkedin.com/sales/company/2001", ada.CompanyUrl);
        Assert.True(ada.IsPremiumMember);
        Assert.True(ada.IsReachable);
        Assert.True(ada.IsViewed);
        Assert.Equal("2 days ago", ada.LastActive);
        Assert.Equal(12, ada.MutualConnectionsCount);
        Assert.Equal(["Grace Hopper", "Alan Turing"], ada.MutualConnections);
        Assert.False(ada.IsRecentlyHired);
        Assert.Null(ada.RecentlyHiredCompanyLogo);
        Assert.Equal(3, ada.RecentPostsCount);
        Assert.Equal([new SharedGroup("Data Engineering Europe", "https://www.linkedin.com/groups/1234/")], ada.SharedGroupsDetails);
        Assert.Equal(["Data Engineering Europe"], ada.SharedGroups);
        Assert.Empty(ada.MissingFields);
        // 9 of 9 required, 14 of 16 optional (not recently hired, so no logo): 70 + 26.25.
        Assert.Equal(96, ada.DataQualityScore);
    }

    [Fact]
    public void Missing_and_unsafe_fields_are_null_listed_as_missing_and_lower_the_score()
    {
        var profiles = Results().Profiles;
        var charles = profiles[1];
        var mary = profiles[2];
        var noLink = profiles[3];

        Assert.Null(charles.ImageUrl); // a javascript: URL is no image
        Assert.Equal("3rd+", charles.ConnectionDegree);
        Assert.Equal("Vice President, Sales & Business Development", charles.Title);
        Assert.True(charles.IsRecentlyHired);
        Assert.Equal("https://media.licdn.com/company-logo.png", charles.RecentlyHiredCompanyLogo);
        Assert.Equal("urn:li:fs_salesProfile:(ACwAAA1002,NAME_SEARCH,w2Er)", charles.LeadUrn);
        Assert.Equal(["image_url"], charles.MissingFields);
        Assert.Equal(75, charles.DataQualityScore); // 70·8/9 + 30·7/16 = 75.3

        Assert.Equal("Chrome Platform Developer", mary.Title);
        Assert.Equal(["company", "location", "image_url", "connection_degree", "company_id"], mary.MissingFields);

        Assert.Null(noLink.ProfileUrl);
        Assert.Null(noLink.LeadId);
        Assert.Equal("Berlin", noLink.Location);
        Assert.Equal(["profile_url", "image_url", "connection_degree", "lead_id"], noLink.MissingFields);
    }

    [Fact]
    public void Page_metadata_comes_from_meta_tags_the_canonical_url_and_the_pagination_text()
    {
        var page = Results();

        Assert.Equal(new ExtractionMetadata(Now, "2.0", "api_request"), page.ExtractionMetadata);
        Assert.Equal(new Pagination(2, 40, 4), page.PageMetadata.Pagination);
        Assert.Equal("7712", page.PageMetadata.SearchContext.SearchId);
        Assert.Equal("Zm9vYmFy==", page.PageMetadata.SearchContext.SessionId);
        Assert.Equal(new Dictionary<string, string> { ["query"] = "(keywords:data)", ["viewAllFilters"] = "true" }, page.PageMetadata.SearchContext.SearchFilters);
        Assert.Equal(new UserInfo("urn:li:member:48151623", "Grace Viewer"), page.PageMetadata.UserInfo);
        Assert.Equal(new ApplicationInfo("2.0.6123", "8c2d3f4e-1111-4a2b-9c3d-5e6f7a8b9c0d", "fr", "k3VtQ1ZyT0+abc==", "AAYx9zPq1RkQ=="), page.PageMetadata.ApplicationInfo);
    }

    [Fact]
    public void A_page_without_leads_has_no_profiles_and_is_page_one_of_one()
    {
        var page = Parse(SalesNavigatorPages.Load("no-results.html"));

        Assert.Empty(page.Profiles);
        Assert.Equal(new Pagination(1, 1, 0), page.PageMetadata.Pagination);
        Assert.Equal(new UserInfo(null, null), page.PageMetadata.UserInfo);
        Assert.Empty(page.PageMetadata.SearchContext.SearchFilters);
    }

    private static string Lead(string name, string inside = "") =>
        $"<div data-x-search-result=\"LEAD\"><a href=\"/sales/lead/ACwAAA9,NAME_SEARCH,z\"><span data-anonymize=\"person-name\">{name}</span></a>{inside}</div>";

    [Fact]
    public void Leads_inside_noscript_are_not_read_as_they_are_not_shown()
    {
        var html = "<html><head><noscript><div data-x-search-result=\"LEAD\">in head</div></noscript></head><body>"
            + Lead("Shown Lead")
            + "<noscript>" + Lead("Hidden Lead") + "<p>Page 3 of 9</p></noscript>"
            + "<noscript><div><noscript></div></noscript>" + Lead("After Nested") + "</body></html>";

        var page = Parse(html);

        Assert.Equal(["Shown Lead", "After Nested"], page.Profiles.Select(p => p.Name));
        Assert.Equal(new Pagination(1, 1, 2), page.PageMetadata.Pagination);
    }

    [Fact]
    public void Badges_inside_noscript_are_not_read()
    {
        var page = Parse(Lead("Ada Lovelace", "<noscript><span>Reachable</span><span>12 mutual connections</span></noscript>"));

        var ada = Assert.Single(page.Profiles);
        Assert.False(ada.IsReachable);
        Assert.Null(ada.MutualConnectionsCount);
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "", "no HTML element" },
        { "just some words, no markup at all", "no HTML element" },
        { "{\"html\": 1}", "no HTML element" },
        { "<div>\0</div>", "control character U+0000" },
        { "<div>\u0007</div>", "control character U+0007" },
        { "<div>\ud800</div>", "lone surrogate" },
        { string.Concat(Enumerable.Repeat("<div>", 300)), "more than 256 levels" },
        // <div/> is no self-closing tag in HTML: the parser nests these.
        { string.Concat(Enumerable.Repeat("<div/>", 300)), "more than 256 levels" },
        { string.Concat(Enumerable.Repeat("<section><li>", 150)), "more than 256 levels" },
        // Formatting elements closed by their parent's end tag are reopened by the parser, so they still count.
        { "<p>" + string.Concat(Enumerable.Range(0, 300).Select(i => $"<b id={i}>")) + "</p>x", "more than 256 levels" },
        { "<p>" + new string('x', SalesNavigatorLimits.MaxHtmlChars) + "</p>", $"at most {SalesNavigatorLimits.MaxHtmlChars}" },
        { string.Concat(Enumerable.Repeat("<div data-x-search-result=\"LEAD\"></div>", SalesNavigatorLimits.MaxProfiles + 1)), $"holds {SalesNavigatorLimits.MaxProfiles + 1} leads" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Html_that_is_not_a_page_or_is_over_a_limit_is_refused_naming_html(string html, string reason)
    {
        var refused = Assert.Throws<VqlValidationException>(() => Parse(html));

        Assert.Equal("html", refused.Field);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Accepted => new()
    {
        string.Concat(Enumerable.Repeat("<div>", 250)),
        // Siblings, however many, are no depth.
        string.Concat(Enumerable.Repeat("<div><span>x</span></div>", 50_000)),
        "<ul>" + string.Concat(Enumerable.Repeat("<li>item", 5_000)) + "</ul>",
        string.Concat(Enumerable.Repeat("<p>para", 5_000)),
        "<table>" + string.Concat(Enumerable.Repeat("<tr><td>cell<td>cell", 2_000)) + "</table>",
        "<svg>" + string.Concat(Enumerable.Repeat("<path d=\"M0 0\"/>", 5_000)) + "</svg>",
        "<script>" + string.Concat(Enumerable.Repeat("<div>", 5_000)) + "</script><p>x</p>",
        "<!--" + string.Concat(Enumerable.Repeat("<div>", 5_000)) + "--><p>x</p>",
        "<div title=\"a > b <div><div>\">" + string.Concat(Enumerable.Repeat("<b>x</b>", 5_000)) + "</div>",
        string.Concat(Enumerable.Repeat("</div></span>", 5_000)) + "<p>x</p>",
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Wide_or_well_closed_markup_passes_the_depth_guard(string html) => Assert.Empty(Parse(html).Profiles);

    [Fact]
    public void The_depth_guard_and_parser_stay_fast_on_the_largest_hostile_page()
    {
        // Deep nesting at the size limit is refused by the linear pre-scan, before the parser could go quadratic.
        var html = string.Concat(Enumerable.Repeat("<div>", SalesNavigatorLimits.MaxHtmlChars / 5));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        Assert.Throws<VqlValidationException>(() => Parse(html));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"{watch.Elapsed}");
    }
}
