using Connectra.Backend.Application;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.UnitTests.Vql;

/// <summary>Nested and/or: normalisation, what folds into Connectra's per-field slots, and what cannot.</summary>
public sealed class VqlConverterGroupTests
{
    private const string TitleEngineer = "{'field':'title','operator':'contains','value':'engineer'}";
    private const string TitleSenior = "{'field':'title','operator':'contains','value':'senior'}";
    private const string CountryUsa = "{'field':'country','operator':'eq','value':'usa'}";
    private const string CountryUk = "{'field':'country','operator':'eq','value':'uk'}";

    private static string Shuffle(string field, string text) =>
        $"{{'text_value':'{text}','filter_key':'{field}','search_type':'shuffle','operator':'and','fuzzy':false}}";

    private static string Exact(string field, string text) =>
        $"{{'text_value':'{text}','filter_key':'{field}','search_type':'exact','slop':0}}";

    [Fact]
    public void No_filters_means_no_where()
    {
        Assert.Null(VqlConverter.ToWhere(FieldCatalogue.Contacts, null));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{'and':[]}")]
    [InlineData("{'or':[]}")]
    [InlineData("{'and':null,'or':null}")]
    [InlineData("{'and':[{'and':[]},{'or':[]}]}")]
    [InlineData("{'or':[{'and':[{'and':[]}]}]}")]
    public void Empty_groups_mean_no_where(string filters)
    {
        Assert.Equal("null", VqlJson.Where("contacts", filters));
    }

    [Theory]
    [InlineData("{'and':[{'and':[" + TitleEngineer + ",{'and':[" + CountryUsa + "]}]},{'and':[]}]}")]
    [InlineData("{'or':[{'and':[" + TitleEngineer + "," + CountryUsa + "]}]}")]
    [InlineData("{'and':[{'or':[" + TitleEngineer + "]}],'or':[{'and':[" + CountryUsa + "]}]}")]
    [InlineData("{'and':[" + TitleEngineer + "," + CountryUsa + "]}")]
    public void Nested_and_groups_and_single_child_groups_flatten_to_the_same_query(string filters)
    {
        var expected = $"{{'text_matches':{{'must':[{Shuffle("title", "engineer")}]}},'keyword_match':{{'must':{{'country':'usa'}}}}}}";

        Assert.Equal(VqlJson.Normalise(expected), VqlJson.Where("contacts", filters));
    }

    [Fact]
    public void A_single_negative_condition_inside_or_is_just_that_condition()
    {
        var where = VqlJson.Where("contacts", "{'or':[{'field':'country','operator':'ne','value':'usa'}]}");

        Assert.Equal(VqlJson.Normalise("{'keyword_match':{'must_not':{'country':'usa'}}}"), where);
    }

    [Fact]
    public void Or_of_equalities_on_one_keyword_field_becomes_one_terms_list()
    {
        var where = VqlJson.Where("contacts",
            "{'or':[" + CountryUsa + ",{'field':'country','operator':'in','value':['uk','usa','fr']}]}");

        Assert.Equal(VqlJson.Normalise("{'keyword_match':{'must':{'country':['usa','uk','fr']}}}"), where);
    }

    [Fact]
    public void Or_of_equalities_on_one_number_field_becomes_one_terms_list()
    {
        var where = VqlJson.Where("companies",
            "{'or':[{'field':'employees','operator':'eq','value':10},{'field':'employees_count','operator':'in','value':[20,'10']}]}");

        Assert.Equal(VqlJson.Normalise("{'keyword_match':{'must':{'employees_count':[10,20]}}}"), where);
    }

    [Fact]
    public void Or_of_conditions_on_one_list_field_becomes_one_any_of_list()
    {
        var where = VqlJson.Where("contacts",
            "{'or':[{'field':'departments','operator':'contains','value':'engineering'},{'field':'department','operator':'eq','value':'product'}]}");

        Assert.Equal(VqlJson.Normalise("{'keyword_match':{'must':{'departments':['engineering','product']}}}"), where);
    }

    [Fact]
    public void Or_of_conditions_on_one_text_field_becomes_several_must_entries_on_that_key()
    {
        var where = VqlJson.Where("contacts",
            "{'or':[" + TitleEngineer + ",{'field':'title','operator':'in','value':['Data Scientist','CTO']}]}");

        var expected = $"{{'text_matches':{{'must':[{Shuffle("title", "engineer")},{Exact("title", "Data Scientist")},{Exact("title", "CTO")}]}}}}";
        Assert.Equal(VqlJson.Normalise(expected), where);
    }

    [Fact]
    public void And_of_word_searches_on_one_text_field_merges_into_one_search_for_all_words()
    {
        var where = VqlJson.Where("contacts", "{'and':[" + TitleSenior + "," + TitleEngineer + "," + TitleSenior + "]}");

        Assert.Equal(VqlJson.Normalise($"{{'text_matches':{{'must':[{Shuffle("title", "senior engineer")}]}}}}"), where);
    }

    [Fact]
    public void And_of_fragment_searches_on_one_text_field_merges_into_one_fragment_search()
    {
        var where = VqlJson.Where("companies",
            "{'and':[{'field':'website','operator':'contains','value':'acme.com'},{'field':'domain','operator':'contains','value':'about'}]}");

        Assert.Equal(VqlJson.Normalise(
            "{'text_matches':{'must':[{'text_value':'acme.com about','filter_key':'website','search_type':'substring','operator':'and','fuzzy':false}]}}"),
            where);
    }

    [Fact]
    public void And_distributes_over_an_or_of_word_searches_on_the_same_field()
    {
        var where = VqlJson.Where("contacts",
            "{'and':[" + TitleSenior + ",{'or':[" + TitleEngineer + ",{'field':'title','operator':'contains','value':'developer'}]}]}");

        var expected = $"{{'text_matches':{{'must':[{Shuffle("title", "senior engineer")},{Shuffle("title", "senior developer")}]}}}}";
        Assert.Equal(VqlJson.Normalise(expected), where);
    }

    [Fact]
    public void An_and_group_inside_an_or_on_one_text_field_is_one_alternative()
    {
        var where = VqlJson.Where("contacts",
            "{'or':[{'and':[" + TitleSenior + "," + TitleEngineer + "]},{'field':'title','operator':'eq','value':'CTO'}]}");

        var expected = $"{{'text_matches':{{'must':[{Shuffle("title", "senior engineer")},{Exact("title", "CTO")}]}}}}";
        Assert.Equal(VqlJson.Normalise(expected), where);
    }

    [Fact]
    public void Positive_and_negative_text_conditions_on_one_field_use_must_and_must_not()
    {
        var where = VqlJson.Where("contacts",
            "{'and':[" + TitleEngineer + ",{'field':'title','operator':'ne','value':'Intern'},{'field':'title','operator':'ncontains','value':'junior'},{'field':'title','operator':'ne','value':'Intern'}]}");

        var expected = $"{{'text_matches':{{'must':[{Shuffle("title", "engineer")}],'must_not':[{Exact("title", "Intern")},{Shuffle("title", "junior")}]}}}}";
        Assert.Equal(VqlJson.Normalise(expected), where);
    }

    [Theory]
    [InlineData("{'and':[{'field':'title','operator':'eq','value':'CTO'},{'field':'title','operator':'eq','value':'CEO'}]}",
        "filters.and[1]", "'exact \"CTO\"' AND 'exact \"CEO\"' cannot be sent as two conditions")]
    [InlineData("{'and':[" + TitleEngineer + ",{'field':'title','operator':'contains','value':'develop*'}]}",
        "filters.and[1]", "Connectra ORs all text conditions on one field")]
    [InlineData("{'and':[" + TitleEngineer + ",{'field':'title','operator':'in','value':['CTO','CEO']}]}",
        "filters.and[1]", "only 'contains' conditions of the same kind")]
    [InlineData("{'and':[{'or':[" + TitleEngineer + ",{'field':'title','operator':'eq','value':'CTO'}]}," + TitleSenior + "]}",
        "filters.and[1]", "'exact \"CTO\"' AND 'shuffle \"senior\"'")]
    public void And_of_text_conditions_that_cannot_share_one_group_is_refused(string filters, string location, string reason)
    {
        var error = Assert.Throws<VqlValidationException>(() => VqlJson.Where("contacts", filters));

        Assert.Equal(location, error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void And_that_multiplies_text_alternatives_past_the_limit_is_refused()
    {
        static string Words(string prefix) =>
            "{'or':[" + string.Join(",", Enumerable.Range(0, 8).Select(i => $"{{'field':'title','operator':'contains','value':'{prefix}{i}'}}")) + "]}";
        var filters = "{'and':[" + Words("a") + "," + Words("b") + "]}";

        var error = Assert.Throws<VqlValidationException>(() => VqlJson.Where("contacts", filters));

        Assert.Equal("filters.and[1].or", error.Field);
        Assert.Contains($"needs 64 alternatives (at most {RequestLimits.Default.MaxTextAlternatives}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void And_of_any_of_lists_on_one_keyword_field_keeps_their_intersection()
    {
        var where = VqlJson.Where("contacts",
            "{'and':[{'field':'country','operator':'in','value':['usa','uk','fr']},{'field':'country','operator':'in','value':['fr','de','uk']}]}");

        Assert.Equal(VqlJson.Normalise("{'keyword_match':{'must':{'country':['uk','fr']}}}"), where);
    }

    [Fact]
    public void And_of_different_equalities_on_one_keyword_field_is_refused_as_a_contradiction()
    {
        var error = Assert.Throws<VqlValidationException>(() =>
            VqlJson.Where("contacts", "{'and':[" + CountryUsa + "," + CountryUk + "]}"));

        Assert.Equal("filters.and[1]", error.Field);
        Assert.Contains("contradictory conditions on country: no single value is one of [\"usa\"] and one of [\"uk\"]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void And_of_different_equalities_on_one_number_field_is_refused_as_a_contradiction()
    {
        var error = Assert.Throws<VqlValidationException>(() => VqlJson.Where("companies",
            "{'and':[{'field':'employees','operator':'eq','value':1},{'field':'employees','operator':'eq','value':2}]}"));

        Assert.Contains("no single value is one of [1] and one of [2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void And_of_list_conditions_keeps_the_narrower_list_when_one_contains_the_other()
    {
        var where = VqlJson.Where("contacts",
            "{'and':[{'field':'departments','operator':'in','value':['engineering','product']},{'field':'departments','operator':'contains','value':'engineering'}]}");

        Assert.Equal(VqlJson.Normalise("{'keyword_match':{'must':{'departments':'engineering'}}}"), where);
    }

    [Fact]
    public void And_of_unrelated_list_conditions_on_one_field_is_refused()
    {
        var error = Assert.Throws<VqlValidationException>(() => VqlJson.Where("contacts",
            "{'and':[{'field':'departments','operator':'contains','value':'engineering'},{'field':'departments','operator':'contains','value':'management'}]}"));

        Assert.Equal("filters.and[1]", error.Field);
        Assert.Contains("'has one of [\"engineering\"]' AND 'has one of [\"management\"]' cannot be expressed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void And_of_exclusions_on_one_field_becomes_one_must_not_list()
    {
        var where = VqlJson.Where("contacts",
            "{'and':[{'field':'country','operator':'ne','value':'usa'},{'field':'country','operator':'nin','value':['uk','usa']},{'field':'departments','operator':'ncontains','value':'legal'},{'field':'departments','operator':'nin','value':['hr']}]}");

        Assert.Equal(VqlJson.Normalise("{'keyword_match':{'must_not':{'country':['usa','uk'],'departments':['legal','hr']}}}"), where);
    }

    [Fact]
    public void Equality_exclusion_and_range_on_one_keyword_field_fill_their_own_slots()
    {
        var where = VqlJson.Where("contacts",
            "{'and':[{'field':'city','operator':'in','value':['paris','lyon']},{'field':'city','operator':'ne','value':'lyon'},{'field':'city','operator':'gte','value':'m'}]}");

        Assert.Equal(VqlJson.Normalise(
            "{'keyword_match':{'must':{'city':['paris','lyon']},'must_not':{'city':'lyon'}},'range_query':{'must':{'city':{'gte':'m'}}}}"),
            where);
    }

    [Theory]
    [InlineData("[{'op':'gte','v':10},{'op':'gte','v':20},{'op':'lte','v':100},{'op':'lt','v':100}]", "{'gte':20,'lt':100}")]
    [InlineData("[{'op':'gt','v':10},{'op':'gte','v':10}]", "{'gt':10}")]
    [InlineData("[{'op':'gte','v':10},{'op':'gt','v':10}]", "{'gt':10}")]
    [InlineData("[{'op':'lte','v':5},{'op':'lt','v':5}]", "{'lt':5}")]
    [InlineData("[{'op':'lt','v':50},{'op':'lte','v':40},{'op':'gt','v':-3}]", "{'gt':-3,'lte':40}")]
    public void And_of_ranges_on_one_number_field_keeps_the_stricter_bound_on_each_side(string bounds, string expected)
    {
        var conditions = System.Text.Json.JsonDocument.Parse(VqlJson.Quote(bounds)).RootElement.EnumerateArray()
            .Select(b => $"{{'field':'employees_count','operator':'{b.GetProperty("op").GetString()}','value':{b.GetProperty("v").GetRawText()}}}");

        var where = VqlJson.Where("companies", "{'and':[" + string.Join(",", conditions) + "]}");

        Assert.Equal(VqlJson.Normalise($"{{'range_query':{{'must':{{'employees_count':{expected}}}}}}}"), where);
    }

    [Theory]
    [InlineData("'gte','b'", "'gt','a'", "{'gte':'b'}")]
    [InlineData("'exists',null", "'gte','m'", "{'gte':'m'}")]
    [InlineData("'gte','m'", "'exists',null", "{'gte':'m'}")]
    [InlineData("'exists',null", "'lt','m'", "{'gt':'','lt':'m'}")]
    [InlineData("'lt','\u00e9'", "'lt','z'", "{'lt':'z'}")]
    public void And_of_ranges_on_one_keyword_field_compares_bounds_in_byte_order(string first, string second, string expected)
    {
        static string Condition(string opAndValue)
        {
            var parts = opAndValue.Split(',', 2);
            return $"{{'field':'city','operator':{parts[0]},'value':{parts[1]}}}";
        }

        var where = VqlJson.Where("contacts", "{'and':[" + Condition(first) + "," + Condition(second) + "]}");

        Assert.Equal(VqlJson.Normalise($"{{'range_query':{{'must':{{'city':{expected}}}}}}}"), where);
    }

    [Theory]
    [InlineData("'gte','2025-01-01'", "'gt','2025-01-01'", "{'gt':'2025-01-01'}")]
    [InlineData("'gt','2025-01-01'", "'gte','2025-01-01T12:00:00Z'", "{'gt':'2025-01-01'}")]
    [InlineData("'gte','2025-01-01T12:00:00Z'", "'gte','2025-01-01'", "{'gte':'2025-01-01T12:00:00Z'}")]
    [InlineData("'gt','2025-01-01'", "'gte','2025-01-02T00:00:00Z'", "{'gte':'2025-01-02T00:00:00Z'}")]
    [InlineData("'eq','2025-01-15'", "'gte','2025-01-10'", "{'gte':'2025-01-15','lte':'2025-01-15'}")]
    [InlineData("'eq','2025-01-15'", "'lt','2025-01-15T18:00:00Z'", "{'gte':'2025-01-15','lt':'2025-01-15T18:00:00Z'}")]
    [InlineData("'lte','2025-01-31'", "'lt','2025-02-01'", "{'lte':'2025-01-31'}")]
    [InlineData("'lt','2025-02-01'", "'lte','2025-01-31T23:59:59Z'", "{'lte':'2025-01-31T23:59:59Z'}")]
    [InlineData("'gte','now-7d/d'", "'gte','now-7d/d'", "{'gte':'now-7d/d'}")]
    [InlineData("'gte','now-7d/d'", "'lte','2025-01-31'", "{'gte':'now-7d/d','lte':'2025-01-31'}")]
    public void And_of_ranges_on_a_date_field_compares_the_instants_Connectra_makes_of_them(string first, string second, string expected)
    {
        static string Condition(string opAndValue)
        {
            var parts = opAndValue.Split(',', 2);
            return $"{{'field':'created_at','operator':{parts[0]},'value':{parts[1]}}}";
        }

        var where = VqlJson.Where("companies", "{'and':[" + Condition(first) + "," + Condition(second) + "]}");

        Assert.Equal(VqlJson.Normalise($"{{'range_query':{{'must':{{'created_at':{expected}}}}}}}"), where);
    }

    [Fact]
    public void Two_date_bounds_on_one_side_are_refused_when_one_uses_date_math()
    {
        var error = Assert.Throws<VqlValidationException>(() => VqlJson.Where("companies",
            "{'and':[{'field':'created_at','operator':'gte','value':'now-7d'},{'field':'created_at','operator':'gt','value':'2025-01-01'}]}"));

        Assert.Equal("filters.and[1]", error.Field);
        Assert.Contains("two lower bounds cannot be combined when one uses date math", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{'or':[" + TitleEngineer + "," + CountryUsa + "]}", "filters.or", "OR across different fields (title, country) cannot be expressed")]
    [InlineData("{'and':[" + CountryUsa + ",{'or':[" + TitleEngineer + ",{'field':'city','operator':'eq','value':'paris'}]}]}", "filters.and[1].or", "(title, city)")]
    [InlineData("{'or':[{'and':[" + TitleEngineer + "," + CountryUsa + "]}," + CountryUk + "]}", "filters.or", "(title, country)")]
    [InlineData("{'or':[{'or':[" + CountryUsa + "]},{'or':[{'field':'email','operator':'eq','value':'a@b.c'}]}]}", "filters.or", "(country, email)")]
    [InlineData("{'and':[" + CountryUsa + "],'or':[" + TitleEngineer + ",{'field':'email','operator':'eq','value':'a@b.c'}]}", "filters.or", "split it into separate queries")]
    public void Or_across_different_fields_is_refused_naming_the_fields(string filters, string location, string reason)
    {
        var error = Assert.Throws<VqlValidationException>(() => VqlJson.Where("contacts", filters));

        Assert.Equal(location, error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Or_over_the_same_field_through_an_alias_is_one_field()
    {
        var where = VqlJson.Where("companies",
            "{'or':[{'field':'industry','operator':'eq','value':'software'},{'field':'industries','operator':'eq','value':'saas'}]}");

        Assert.Equal(VqlJson.Normalise("{'keyword_match':{'must':{'industries':['software','saas']}}}"), where);
    }

    [Theory]
    [InlineData("contacts", "{'or':[" + CountryUsa + ",{'field':'country','operator':'ne','value':'uk'}]}", "filters.or", "a negative condition (ne, nin, ncontains) inside 'or'")]
    [InlineData("contacts", "{'or':[" + TitleEngineer + ",{'field':'title','operator':'ncontains','value':'junior'}]}", "filters.or", "a negative condition (ne, nin, ncontains) inside 'or'")]
    [InlineData("companies", "{'or':[{'field':'employees','operator':'lt','value':10},{'field':'employees','operator':'gt','value':1000}]}", "filters.or", "a range (gt, gte, lt, lte, exists, or eq on a date) inside 'or'")]
    [InlineData("companies", "{'or':[{'field':'employees','operator':'eq','value':5},{'field':'employees','operator':'gt','value':1000}]}", "filters.or", "Connectra keeps one range per field")]
    [InlineData("companies", "{'or':[{'field':'created_at','operator':'eq','value':'2025-01-01'},{'field':'created_at','operator':'eq','value':'2025-02-01'}]}", "filters.or", "inside 'or'")]
    [InlineData("contacts", "{'and':[" + CountryUsa + ",{'or':[" + CountryUk + ",{'field':'country','operator':'exists','value':null}]}]}", "filters.and[1].or", "inside 'or'")]
    public void Negations_and_ranges_inside_or_are_refused(string entity, string filters, string location, string reason)
    {
        var error = Assert.Throws<VqlValidationException>(() => VqlJson.Where(entity, filters));

        Assert.Equal(location, error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_group_beside_other_conditions_inside_or_is_refused()
    {
        var filters = new FilterGroup
        {
            And =
            [
                new FilterCondition("city", "eq", Client.Vql.VqlValue.Of("paris")),
                new FilterGroup { Or = [new FilterCondition("country", "eq", Client.Vql.VqlValue.Of("usa")), new FilterGroup()] },
            ],
        };

        var error = Assert.Throws<VqlValidationException>(() => VqlConverter.ToWhere(FieldCatalogue.Contacts, filters));

        Assert.Equal("filters.and[1].or[1]", error.Field);
        Assert.Contains("an empty group inside 'or' would make the whole 'or' match everything", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{'or':[" + CountryUsa + ",{'and':[]}]}", "filters.or[1]")]
    [InlineData("{'and':[{'or':[{'or':[]}," + CountryUk + "]}]}", "filters.and[0].or[0]")]
    public void An_empty_list_group_beside_other_conditions_inside_or_is_refused(string filters, string location)
    {
        var error = Assert.Throws<VqlValidationException>(() => VqlJson.Where("contacts", filters));

        Assert.Equal(location, error.Field);
    }

    [Fact]
    public void A_group_with_both_lists_ands_the_and_list_with_the_or_list()
    {
        var where = VqlJson.Where("contacts",
            "{'and':[" + TitleEngineer + "],'or':[" + CountryUsa + "," + CountryUk + "]}");

        Assert.Equal(VqlJson.Normalise(
            $"{{'text_matches':{{'must':[{Shuffle("title", "engineer")}]}},'keyword_match':{{'must':{{'country':['usa','uk']}}}}}}"), where);
    }

    [Fact]
    public void Clauses_appear_in_the_order_their_fields_first_appear()
    {
        var where = VqlJson.Where("contacts", "{'and':[" +
            "{'field':'seniority','operator':'eq','value':'vp'}," +
            "{'field':'last_name','operator':'ncontains','value':'test'}," +
            "{'field':'employees','operator':'lte','value':1000}," +
            "{'field':'country','operator':'nin','value':['fr']}," +
            "{'field':'first_name','operator':'eq','value':'jane'}," +
            "{'field':'email','operator':'eq','value':'jane@acme.com'}," +
            "{'field':'seniority','operator':'ne','value':'intern'}," +
            "{'field':'created_at','operator':'gte','value':'2025-01-01'}," +
            "{'field':'employees','operator':'gte','value':50}]}");

        Assert.Equal(VqlJson.Normalise(
            "{'text_matches':{'must':[" + Exact("first_name", "jane") + "],'must_not':[" + Shuffle("last_name", "test") + "]}," +
            "'keyword_match':{'must':{'seniority':'vp','email':'jane@acme.com'},'must_not':{'seniority':'intern','country':'fr'}}," +
            "'range_query':{'must':{'company_employees_count':{'gte':50,'lte':1000},'created_at':{'gte':'2025-01-01'}}}}"),
            where);
    }

    [Fact]
    public void The_same_filters_always_serialise_to_the_same_json()
    {
        const string filters = "{'and':[" + TitleEngineer + ",{'field':'country','operator':'in','value':['b','a']},{'field':'departments','operator':'nin','value':['x','y']}]}";

        Assert.Equal(VqlJson.Where("contacts", filters), VqlJson.Where("contacts", filters));
    }

    [Fact]
    public void Field_names_resolve_case_insensitively()
    {
        var where = VqlJson.Where("contacts", "{'and':[{'field':'First_Name','operator':'eq','value':'Jane'}]}");

        Assert.Equal(VqlJson.Normalise($"{{'text_matches':{{'must':[{Exact("first_name", "Jane")}]}}}}"), where);
    }

    [Fact]
    public void The_first_refusal_in_document_order_is_reported()
    {
        var error = Assert.Throws<VqlValidationException>(() => VqlJson.Where("contacts",
            "{'and':[" + CountryUsa + ",{'or':[{'field':'nope','operator':'eq','value':1}]},{'field':'stage','operator':'eq','value':'x'}]}"));

        Assert.Equal("filters.and[1].or[0].field", error.Field);
    }

    [Fact]
    public void Filters_built_in_code_convert_like_parsed_ones()
    {
        var filters = new FilterGroup
        {
            And =
            [
                new FilterCondition("linkedin_url", "in", Client.Vql.VqlValue.Of(["https://linkedin.com/in/a", "https://linkedin.com/in/b"])),
                new FilterGroup { Or = [new FilterCondition("uuid", "eq", Client.Vql.VqlValue.Of("u1"))] },
            ],
        };

        var where = VqlJson.Native(VqlConverter.ToWhere(FieldCatalogue.Contacts, filters));

        Assert.Equal(VqlJson.Normalise(
            "{'keyword_match':{'must':{'linkedin_url':['https://linkedin.com/in/a','https://linkedin.com/in/b'],'uuid':'u1'}}}"), where);
    }
}
