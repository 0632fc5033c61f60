using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.UnitTests.Vql;

public sealed class CompanyContactQueryTests
{
    private const string Company = "ef20a8cd-59f0-5ac5-b084-cf739f4bfccb";

    private static Dictionary<string, IReadOnlyList<string>> Query(params (string Key, string Value)[] pairs) =>
        pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(p => p.Value).ToList());

    private static CompanyContactQuery Parse(params (string Key, string Value)[] pairs) =>
        CompanyContactQuery.Parse(Query(pairs));

    private static string? Text(CompanyContactQuery query, string name) => query.Filter(name)?.Text;

    private static IReadOnlyList<string> List(CompanyContactQuery query, string name) => query.Filter(name)?.List ?? [];

    private static DateTimeOffset? Date(CompanyContactQuery query, string name) => query.Filter(name)?.Date;

    private static string Where(params (string Key, string Value)[] pairs) =>
        VqlJson.Native(VqlConverter.CompanyContactsWhere(Company, Parse(pairs)));

    private static void AssertNothingGiven(CompanyContactQuery p)
    {
        Assert.Empty(p.Filters);
        Assert.Equal((null, null, false, null, null, null, null), (p.Ordering, p.Cursor, p.Distinct, p.Page, p.PageSize, p.Limit, p.Offset));
    }

    [Fact]
    public void An_empty_query_string_gives_empty_parameters()
    {
        AssertNothingGiven(Parse());
    }

    [Fact]
    public void Documented_keys_and_aliases_are_read_case_insensitively_and_unknown_keys_ignored()
    {
        var p = Parse(("First_Name", " Jane "), ("department", "engineering"), ("text_search", "paris"),
            ("person_linkedin_url", "https://linkedin.com/in/jane"), ("limit", "10"), ("offset", "5"), ("foo", "bar"),
            ("ordering", "-email"), ("cursor", "bz0xMA=="), ("page", "2"), ("page_size", "50"), ("search", "x"));

        Assert.Equal("Jane", Text(p, "first_name"));
        Assert.Equal("engineering", Text(p, "departments"));
        Assert.Equal("paris", Text(p, "contact_location"));
        Assert.Equal("https://linkedin.com/in/jane", Text(p, "person_linkedin_url"));
        Assert.Equal(("-email", "bz0xMA==", 2, 50, "x"), (p.Ordering, p.Cursor, p.Page, p.PageSize, Text(p, "search")));
        Assert.Equal((10, 5), (p.Limit, p.Offset));
    }

    [Fact]
    public void Blank_values_count_as_not_given()
    {
        AssertNothingGiven(Parse(("title", "  "), ("page", ""), ("exclude_titles", " , ,"), ("exclude_departments", "[]")));
    }

    [Fact]
    public void A_single_valued_key_repeated_with_the_same_value_is_accepted()
    {
        Assert.Equal("vp", Text(Parse(("seniority", "vp"), ("seniority", " vp")), "seniority"));
    }

    [Theory]
    [InlineData("seniority", "vp", "seniority", "director", "seniority")]
    [InlineData("departments", "sales", "department", "legal", "departments")]
    public void A_single_valued_key_given_twice_with_different_values_is_refused(
        string key1, string value1, string key2, string value2, string location)
    {
        var error = Assert.Throws<VqlValidationException>(() => Parse((key1, value1), (key2, value2)));

        Assert.Equal(location, error.Field);
        Assert.Contains("given more than once with different values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exclusion_lists_accept_repeated_keys_json_arrays_and_commas()
    {
        var p = Parse(
            ("exclude_titles", "Intern, Assistant"), ("exclude_titles", "[\"intern\",\" Trainee \"]"), ("exclude_titles", "Trainee"),
            ("exclude_seniorities", "VP,vp"), ("exclude_seniorities", "[\"vp\", \"\"]"),
            ("exclude_departments", " legal ,hr,,legal"),
            ("exclude_contact_locations", "[\"Paris\"]"));

        Assert.Equal(["Intern", "Assistant", "Trainee"], List(p, "exclude_titles"));
        Assert.Equal(["VP", "vp"], List(p, "exclude_seniorities"));
        Assert.Equal(["legal", "hr"], List(p, "exclude_departments"));
        Assert.Equal(["Paris"], List(p, "exclude_contact_locations"));
    }

    [Theory]
    [InlineData("exclude_titles", "[\"a\",", "not a JSON array of strings")]
    [InlineData("exclude_departments", "[1,2]", "not a JSON array of strings")]
    [InlineData("page", "0", "page must be an integer of at least 1, not '0'")]
    [InlineData("page", "two", "page must be an integer of at least 1")]
    [InlineData("page_size", "-3", "page_size must be an integer of at least 1")]
    [InlineData("limit", "0", "limit must be an integer of at least 1, not '0'")]
    [InlineData("limit", "ten", "limit must be an integer of at least 1")]
    [InlineData("offset", "-1", "offset must be an integer of at least 0, not '-1'")]
    [InlineData("created_at_after", "yesterday", "created_at_after must be an ISO-8601 date")]
    [InlineData("created_at_before", "now-7d", "must be an ISO-8601 date")]
    [InlineData("updated_at_before", "2025-13-01", "must be an ISO-8601 date")]
    public void Malformed_values_are_refused_naming_the_parameter(string key, string value, string reason)
    {
        var error = Assert.Throws<VqlValidationException>(() => Parse((key, value)));

        Assert.Equal(key, error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dates_are_inclusive_and_converted_to_utc()
    {
        var p = Parse(("created_at_after", "2025-01-31"), ("created_at_before", "2025-02-28"),
            ("updated_at_after", "2025-01-31T10:00:00+02:00"), ("updated_at_before", "2025-01-31T10:00:00"));

        Assert.Equal(new DateTimeOffset(2025, 1, 31, 0, 0, 0, TimeSpan.Zero), Date(p, "created_at_after"));
        Assert.Equal(new DateTimeOffset(2025, 2, 28, 23, 59, 59, 999, TimeSpan.Zero), Date(p, "created_at_before"));
        Assert.Equal(new DateTimeOffset(2025, 1, 31, 8, 0, 0, TimeSpan.Zero), Date(p, "updated_at_after"));
        Assert.Equal(new DateTimeOffset(2025, 1, 31, 10, 0, 0, TimeSpan.Zero), Date(p, "updated_at_before"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("YES", true)]
    [InlineData("y", true)]
    [InlineData("on", true)]
    [InlineData("false", false)]
    [InlineData("off", false)]
    [InlineData("maybe", false)]
    public void Distinct_reads_the_documented_spellings(string value, bool expected)
    {
        Assert.Equal(expected, Parse(("distinct", value)).Distinct);
    }

    [Fact]
    public void Without_parameters_the_filter_is_the_company_alone()
    {
        Assert.Equal(VqlJson.Normalise($"{{'keyword_match':{{'must':{{'company_id':'{Company}'}}}}}}"), Where());
    }

    [Fact]
    public void Every_supported_parameter_becomes_the_clause_of_its_field_kind()
    {
        var where = Where(
            ("first_name", "jane"), ("last_name", "doe"), ("title", "vp engineering"), ("seniority", "vp"),
            ("departments", "engineering"), ("email_status", "verified"), ("email", "jane@acme.com"),
            ("mobile_phone", "+15550100"), ("city", "paris"), ("state", "idf"), ("country", "france"),
            ("person_linkedin_url", "https://linkedin.com/in/jane"),
            ("exclude_titles", "Intern,Assistant"), ("exclude_seniorities", "junior"), ("exclude_departments", "legal,hr"),
            ("created_at_after", "2025-01-01"), ("created_at_before", "2025-01-31T12:00:00Z"),
            ("distinct", "true"), ("ordering", "-email"), ("page", "2"), ("page_size", "10"), ("cursor", "abc"));

        static string Shuffle(string field, string text) =>
            $"{{'text_value':'{text}','filter_key':'{field}','search_type':'shuffle','operator':'and','fuzzy':false}}";
        static string Exact(string text) =>
            $"{{'text_value':'{text}','filter_key':'title','search_type':'exact','slop':0}}";
        Assert.Equal(VqlJson.Normalise(
            "{'text_matches':{'must':[" + Shuffle("first_name", "jane") + "," + Shuffle("last_name", "doe") + "," + Shuffle("title", "vp engineering") + "]," +
            "'must_not':[" + Exact("Intern") + "," + Exact("Assistant") + "]}," +
            $"'keyword_match':{{'must':{{'company_id':'{Company}','seniority':'vp','departments':'engineering','email_status':'verified'," +
            "'email':'jane@acme.com','mobile_phone':'+15550100','city':'paris','state':'idf','country':'france'," +
            "'linkedin_url':'https://linkedin.com/in/jane'}," +
            "'must_not':{'seniority':'junior','departments':['legal','hr']}}," +
            "'range_query':{'must':{'created_at':{'gte':'2025-01-01T00:00:00Z','lte':'2025-01-31T12:00:00Z'}}}}"),
            where);
    }

    [Fact]
    public void A_date_alone_as_the_upper_bound_reaches_the_end_of_that_day()
    {
        Assert.Equal(VqlJson.Normalise(
            $"{{'keyword_match':{{'must':{{'company_id':'{Company}'}}}},'range_query':{{'must':{{'created_at':{{'lte':'2025-01-31T23:59:59.999Z'}}}}}}}}"),
            Where(("created_at_before", "2025-01-31")));
    }

    [Fact]
    public void A_title_with_a_star_is_a_fragment_search()
    {
        Assert.Equal(VqlJson.Normalise(
            $"{{'text_matches':{{'must':[{{'text_value':'engineer','filter_key':'title','search_type':'substring','operator':'and','fuzzy':false}}]}},'keyword_match':{{'must':{{'company_id':'{Company}'}}}}}}"),
            Where(("title", "engineer*")));
    }

    [Theory]
    [InlineData("status", "active", "status", "Connectra has no contact status")]
    [InlineData("contact_location", "paris", "contact_location", "no free-text location field")]
    [InlineData("text_search", "paris", "contact_location", "no free-text location field")]
    [InlineData("exclude_contact_locations", "paris", "exclude_contact_locations", "no free-text location field")]
    [InlineData("work_direct_phone", "1", "work_direct_phone", "does not index it for search")]
    [InlineData("home_phone", "1", "home_phone", "does not index it for search")]
    [InlineData("other_phone", "1", "other_phone", "does not index it for search")]
    [InlineData("website", "https://jane.dev", "website", "does not index it for search")]
    [InlineData("facebook_url", "x", "facebook_url", "does not index it for search")]
    [InlineData("twitter_url", "x", "twitter_url", "does not index it for search")]
    [InlineData("stage", "lead", "stage", "does not index it for search")]
    [InlineData("updated_at_after", "2025-01-01", "updated_at_after", "does not index updated_at")]
    [InlineData("updated_at_before", "2025-01-01", "updated_at_before", "does not index updated_at")]
    [InlineData("search", "jane", "search", "an OR across fields")]
    [InlineData("title", "***", "title", "has no letters or digits")]
    [InlineData("title", "eng*", "title", "at least 5 characters")]
    public void Parameters_connectra_cannot_filter_are_refused_by_name(string key, string value, string location, string reason)
    {
        var error = Assert.Throws<VqlValidationException>(() => Where((key, value)));

        Assert.Equal(location, error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_blank_company_uuid_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => VqlConverter.CompanyContactsWhere(" ", Parse()));
    }

    [Fact]
    public void Every_parameter_of_the_table_names_a_contact_field_or_says_why_it_is_refused()
    {
        Assert.All(CompanyContactQuery.Parameters, parameter =>
            Assert.True(parameter.Refusal is not null || FieldCatalogue.Contacts.Resolve(parameter.Field) is not null, parameter.Name));
        Assert.Equal(CompanyContactQuery.Parameters.Count, CompanyContactQuery.Parameters.Select(p => p.Name).Distinct().Count());
    }

    [Theory]
    [InlineData("limit=10", 10, null)]
    [InlineData("page_size=500", 100, null)]
    [InlineData("page=3&page_size=20", 20, 40)]
    [InlineData("page=3", null, 50)]
    [InlineData("page=3&page_size=20&offset=7", 20, 7)]
    [InlineData("limit=10&page_size=20&page=2", 10, 10)]
    [InlineData("offset=0", null, null)]
    public void Paging_parameters_resolve_to_one_page(string queryString, int? limit, int? offset)
    {
        var pairs = queryString.Split('&').Select(p => p.Split('=')).Select(kv => (kv[0], kv[1])).ToArray();

        var page = Parse(pairs).RequestedPage();

        Assert.Equal((limit, offset), (page.Limit, page.Offset));
    }
}
