using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.UnitTests.Vql;

/// <summary>The client dialect as the API's JSON options read it (web defaults, snake_case).</summary>
public sealed class VqlSearchRequestJsonTests
{
    private static readonly JsonSerializerOptions WritingOptions = new(VqlJson.ClientOptions)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    [Fact]
    public void A_full_request_binds_every_documented_key()
    {
        var request = VqlJson.Request("""
            {'filters':{'and':[{'field':'first_name','operator':'eq','value':'John'}]},
             'select_columns':['uuid','first_name'],
             'company_config':{'populate':true,'select_columns':['name']},
             'contact_config':{'populate':false},
             'limit':10,'offset':20,'sort_by':'-email','sort_direction':'asc','cursor':'bz0xMA=='}
            """);

        var condition = Assert.IsType<FilterCondition>(Assert.Single(request.Filters!.And!));
        Assert.Equal(("first_name", "eq", "John"), (condition.Field, condition.Operator, condition.Value.GetString()));
        Assert.Null(request.Filters.Or);
        Assert.Equal(["uuid", "first_name"], request.SelectColumns);
        Assert.Equal(new PopulateConfig { Populate = true, SelectColumns = request.CompanyConfig!.SelectColumns }, request.CompanyConfig);
        Assert.Equal(["name"], request.CompanyConfig.SelectColumns);
        Assert.False(request.ContactConfig!.Populate);
        Assert.Equal((10, 20, "-email", "asc", "bz0xMA=="),
            (request.Limit, request.Offset, request.SortBy, request.SortDirection, request.Cursor));
    }

    [Fact]
    public void An_empty_body_binds_to_an_empty_request()
    {
        Assert.Equal(new VqlSearchRequest(), VqlJson.Request("{}"));
    }

    [Fact]
    public void Nested_groups_bind_to_groups_and_conditions()
    {
        var filters = VqlJson.Filters("""
            {'and':[{'field':'country','operator':'in','value':['usa','uk']},
                    {'or':[{'field':'title','operator':'contains','value':'engineer'},
                           {'and':[{'field':'title','operator':'exists','value':null}]}]}],
             'or':[{'field':'city','operator':'eq','value':'paris'}]}
            """);

        Assert.Equal(2, filters.And!.Count);
        var list = Assert.IsType<FilterCondition>(filters.And[0]);
        Assert.Equal(JsonValueKind.Array, list.Value.ValueKind);
        var inner = Assert.IsType<FilterGroup>(filters.And[1]);
        Assert.Equal(2, inner.Or!.Count);
        var deepest = Assert.IsType<FilterGroup>(inner.Or[1]);
        Assert.Equal(JsonValueKind.Null, Assert.IsType<FilterCondition>(Assert.Single(deepest.And!)).Value.ValueKind);
        Assert.Equal("city", Assert.IsType<FilterCondition>(Assert.Single(filters.Or!)).Field);
    }

    [Fact]
    public void Keys_match_case_insensitively_as_the_web_defaults_do()
    {
        var filters = VqlJson.Filters("{'AND':[{'Field':'city','OPERATOR':'eq','Value':'paris'}]}");

        Assert.Equal("city", Assert.IsType<FilterCondition>(Assert.Single(filters.And!)).Field);
    }

    [Theory]
    [InlineData("{'and':[{'field':'a','operator':'eq','value':1,'extra':2}]}", "Invalid filter at and[0]: unknown key 'extra' in a condition")]
    [InlineData("{'and':[{'field':'a','operator':'eq'}]}", "Invalid filter at and[0]: the condition has no 'value'")]
    [InlineData("{'and':[{'operator':'eq','value':1}]}", "the condition has no 'field'")]
    [InlineData("{'and':[{'field':'a','value':1}]}", "the condition has no 'operator'")]
    [InlineData("{'and':[{'field':'a','operator':'eq','value':1,'and':[]}]}", "not both")]
    [InlineData("{'and':[{'or':[{}]}]}", "Invalid filter at and[0].or[0]: an empty object is neither a condition")]
    [InlineData("{'and':[{'not':[]}]}", "Invalid filter at and[0]: unknown key 'not'")]
    [InlineData("{'and':[],'not':[]}", "unknown key 'not'")]
    [InlineData("{'field':'a','operator':'eq','value':1}", "filters must be a group")]
    [InlineData("{'and':['city eq paris']}", "Invalid filter at and[0]: expected a condition {field, operator, value} or a group {and, or}, found a string")]
    [InlineData("{'and':{'field':'a','operator':'eq','value':1}}", "Invalid filter at and: expected an array of conditions or groups, found an object")]
    [InlineData("{'and':[{'field':1,'operator':'eq','value':1}]}", "Invalid filter at and[0].field: expected a string, found a number")]
    [InlineData("{'and':[{'field':'a','operator':null,'value':1}]}", "Invalid filter at and[0].operator: expected a string, found null")]
    [InlineData("{'and':[{'field':'a','field':'b','operator':'eq','value':1}]}", "the key 'field' is given twice")]
    [InlineData("[]", "Invalid filter: expected a condition")]
    public void Malformed_filters_are_json_errors_that_name_the_problem(string json, string message)
    {
        var error = Assert.Throws<JsonException>(() => VqlJson.Filters(json));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{'where':{}}")]
    [InlineData("{'filters':{},'page':2}")]
    [InlineData("{'company_config':{'populate':true,'columns':['name']}}")]
    [InlineData("{'contact_config':{'populate':true,'extra':1}}")]
    public void Unknown_request_keys_are_refused(string json)
    {
        Assert.Throws<JsonException>(() => VqlJson.Request(json));
    }

    [Fact]
    public void A_request_serialises_back_to_the_same_dialect()
    {
        const string json = "{'filters':{'and':[{'field':'title','operator':'contains','value':'engineer'},{'or':[{'field':'city','operator':'in','value':['paris','lyon']}]}]},'limit':5,'sort_by':'email'}";
        var written = JsonSerializer.Serialize(VqlJson.Request(json), WritingOptions);

        Assert.Equal(VqlJson.Normalise(json), VqlJson.Normalise(written));
    }

    [Theory]
    [InlineData("{'limit':1}", true)]
    [InlineData("{'limit':100,'offset':0}", true)]
    [InlineData("{'limit':0}", false)]
    [InlineData("{'limit':101}", false)]
    [InlineData("{'offset':-1}", false)]
    [InlineData("{'offset':5000}", true)]
    public void Limit_and_offset_carry_their_documented_bounds(string json, bool valid)
    {
        var request = VqlJson.Request(json);

        var results = new List<ValidationResult>();
        Assert.Equal(valid, Validator.TryValidateObject(request, new ValidationContext(request), results, validateAllProperties: true));
    }
}
