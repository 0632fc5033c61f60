using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.UnitTests.Vql;

/// <summary>Every operator on every field kind: the native clause it becomes, or the refusal it earns.</summary>
public sealed class VqlConverterOperatorTests
{
    private static string Single(string entity, string field, string op, string value) =>
        VqlJson.Where(entity, $"{{'and':[{{'field':'{field}','operator':'{op}','value':{value}}}]}}");

    [Theory]
    // Text: eq is a phrase (exact, slop 0), contains is word search (shuffle/and, not fuzzy) or fragment search.
    [InlineData("contacts", "first_name", "eq", "'John'",
        "{'text_matches':{'must':[{'text_value':'John','filter_key':'first_name','search_type':'exact','slop':0}]}}")]
    [InlineData("contacts", "first_name", "ne", "'John'",
        "{'text_matches':{'must_not':[{'text_value':'John','filter_key':'first_name','search_type':'exact','slop':0}]}}")]
    [InlineData("contacts", "last_name", "in", "['Doe','Smith','Doe']",
        "{'text_matches':{'must':[{'text_value':'Doe','filter_key':'last_name','search_type':'exact','slop':0},{'text_value':'Smith','filter_key':'last_name','search_type':'exact','slop':0}]}}")]
    [InlineData("contacts", "last_name", "in", "'Doe'",
        "{'text_matches':{'must':[{'text_value':'Doe','filter_key':'last_name','search_type':'exact','slop':0}]}}")]
    [InlineData("contacts", "title", "nin", "['Intern','Assistant']",
        "{'text_matches':{'must_not':[{'text_value':'Intern','filter_key':'title','search_type':'exact','slop':0},{'text_value':'Assistant','filter_key':'title','search_type':'exact','slop':0}]}}")]
    [InlineData("contacts", "title", "contains", "'software engineer'",
        "{'text_matches':{'must':[{'text_value':'software engineer','filter_key':'title','search_type':'shuffle','operator':'and','fuzzy':false}]}}")]
    [InlineData("contacts", "title", "contains", "'  Engineer '",
        "{'text_matches':{'must':[{'text_value':'Engineer','filter_key':'title','search_type':'shuffle','operator':'and','fuzzy':false}]}}")]
    [InlineData("contacts", "title", "contains", "'technolog*'",
        "{'text_matches':{'must':[{'text_value':'technolog','filter_key':'title','search_type':'substring','operator':'and','fuzzy':false}]}}")]
    [InlineData("contacts", "title", "ncontains", "'intern'",
        "{'text_matches':{'must_not':[{'text_value':'intern','filter_key':'title','search_type':'shuffle','operator':'and','fuzzy':false}]}}")]
    [InlineData("contacts", "title", "ncontains", "'*consult*'",
        "{'text_matches':{'must_not':[{'text_value':'consult','filter_key':'title','search_type':'substring','operator':'and','fuzzy':false}]}}")]
    [InlineData("contacts", "company", "contains", "'acme'",
        "{'text_matches':{'must':[{'text_value':'acme','filter_key':'company_name','search_type':'shuffle','operator':'and','fuzzy':false}]}}")]
    [InlineData("contacts", "company_website", "contains", "'acme.com'",
        "{'text_matches':{'must':[{'text_value':'acme.com','filter_key':'company_website','search_type':'substring','operator':'and','fuzzy':false}]}}")]
    [InlineData("companies", "name", "eq", "'Acme Software'",
        "{'text_matches':{'must':[{'text_value':'Acme Software','filter_key':'name','search_type':'exact','slop':0}]}}")]
    [InlineData("companies", "address", "contains", "'market street'",
        "{'text_matches':{'must':[{'text_value':'market street','filter_key':'address','search_type':'shuffle','operator':'and','fuzzy':false}]}}")]
    [InlineData("companies", "domain", "contains", "'acme.com'",
        "{'text_matches':{'must':[{'text_value':'acme.com','filter_key':'website','search_type':'substring','operator':'and','fuzzy':false}]}}")]
    [InlineData("companies", "normalized_domain", "ncontains", "'example.com'",
        "{'text_matches':{'must_not':[{'text_value':'example.com','filter_key':'normalized_domain','search_type':'substring','operator':'and','fuzzy':false}]}}")]
    [InlineData("companies", "normalized_domain", "eq", "'acme.com'",
        "{'text_matches':{'must':[{'text_value':'acme.com','filter_key':'normalized_domain','search_type':'exact','slop':0}]}}")]
    // Keyword: whole values, case-sensitive, as sent.
    [InlineData("contacts", "country", "eq", "'usa'", "{'keyword_match':{'must':{'country':'usa'}}}")]
    [InlineData("contacts", "country", "eq", "''", "{'keyword_match':{'must':{'country':''}}}")]
    [InlineData("contacts", "country", "ne", "'usa'", "{'keyword_match':{'must_not':{'country':'usa'}}}")]
    [InlineData("contacts", "country", "in", "['usa','uk','usa']", "{'keyword_match':{'must':{'country':['usa','uk']}}}")]
    [InlineData("contacts", "country", "in", "['usa']", "{'keyword_match':{'must':{'country':'usa'}}}")]
    [InlineData("contacts", "country", "in", "'usa'", "{'keyword_match':{'must':{'country':'usa'}}}")]
    [InlineData("contacts", "email_status", "nin", "['invalid','bounced']", "{'keyword_match':{'must_not':{'email_status':['invalid','bounced']}}}")]
    [InlineData("contacts", "email", "eq", "'Jane.Doe@Acme.com'", "{'keyword_match':{'must':{'email':'Jane.Doe@Acme.com'}}}")]
    [InlineData("contacts", "id", "eq", "'c0a8'", "{'keyword_match':{'must':{'uuid':'c0a8'}}}")]
    [InlineData("contacts", "uuid", "in", "['a','b']", "{'keyword_match':{'must':{'uuid':['a','b']}}}")]
    [InlineData("contacts", "company_id", "eq", "'ef20'", "{'keyword_match':{'must':{'company_id':'ef20'}}}")]
    [InlineData("contacts", "linkedin_url", "in", "['https://linkedin.com/in/janedoe']", "{'keyword_match':{'must':{'linkedin_url':'https://linkedin.com/in/janedoe'}}}")]
    [InlineData("contacts", "person_linkedin_url", "ne", "'x'", "{'keyword_match':{'must_not':{'linkedin_url':'x'}}}")]
    [InlineData("contacts", "company_country", "eq", "'france'", "{'keyword_match':{'must':{'company_country':'france'}}}")]
    [InlineData("contacts", "seniority", "gt", "'m'", "{'range_query':{'must':{'seniority':{'gt':'m'}}}}")]
    [InlineData("contacts", "city", "gte", "'a'", "{'range_query':{'must':{'city':{'gte':'a'}}}}")]
    [InlineData("contacts", "city", "lt", "'n'", "{'range_query':{'must':{'city':{'lt':'n'}}}}")]
    [InlineData("contacts", "state", "lte", "'ohio'", "{'range_query':{'must':{'state':{'lte':'ohio'}}}}")]
    [InlineData("contacts", "mobile_phone", "exists", "null", "{'range_query':{'must':{'mobile_phone':{'gt':''}}}}")]
    [InlineData("companies", "linkedin_url", "exists", "true", "{'range_query':{'must':{'linkedin_url':{'gt':''}}}}")]
    [InlineData("companies", "city", "eq", "'new york'", "{'keyword_match':{'must':{'city':'new york'}}}")]
    // Keyword arrays: any element.
    [InlineData("contacts", "departments", "eq", "'engineering'", "{'keyword_match':{'must':{'departments':'engineering'}}}")]
    [InlineData("contacts", "department", "contains", "'engineering'", "{'keyword_match':{'must':{'departments':'engineering'}}}")]
    [InlineData("contacts", "departments", "in", "['engineering','product']", "{'keyword_match':{'must':{'departments':['engineering','product']}}}")]
    [InlineData("contacts", "departments", "ne", "'legal'", "{'keyword_match':{'must_not':{'departments':'legal'}}}")]
    [InlineData("contacts", "departments", "ncontains", "'legal'", "{'keyword_match':{'must_not':{'departments':'legal'}}}")]
    [InlineData("contacts", "departments", "nin", "['legal','hr']", "{'keyword_match':{'must_not':{'departments':['legal','hr']}}}")]
    [InlineData("contacts", "departments", "exists", "null", "{'range_query':{'must':{'departments':{'gt':''}}}}")]
    [InlineData("contacts", "industry", "contains", "'software'", "{'keyword_match':{'must':{'company_industries':'software'}}}")]
    [InlineData("contacts", "technologies", "in", "['aws','gcp']", "{'keyword_match':{'must':{'company_technologies':['aws','gcp']}}}")]
    [InlineData("contacts", "keywords", "nin", "['b2b']", "{'keyword_match':{'must_not':{'company_keywords':'b2b'}}}")]
    [InlineData("companies", "industry", "in", "['software','saas']", "{'keyword_match':{'must':{'industries':['software','saas']}}}")]
    [InlineData("companies", "technologies", "contains", "'mysql'", "{'keyword_match':{'must':{'technologies':'mysql'}}}")]
    // Long: numbers, or strings holding integers.
    [InlineData("companies", "employees_count", "eq", "50", "{'keyword_match':{'must':{'employees_count':50}}}")]
    [InlineData("companies", "employees", "eq", "'50'", "{'keyword_match':{'must':{'employees_count':50}}}")]
    [InlineData("companies", "annual_revenue", "ne", "0", "{'keyword_match':{'must_not':{'annual_revenue':0}}}")]
    [InlineData("companies", "total_funding", "in", "[10,'20',10]", "{'keyword_match':{'must':{'total_funding':[10,20]}}}")]
    [InlineData("companies", "total_funding", "nin", "[1,2]", "{'keyword_match':{'must_not':{'total_funding':[1,2]}}}")]
    [InlineData("companies", "employees_count", "gt", "10", "{'range_query':{'must':{'employees_count':{'gt':10}}}}")]
    [InlineData("companies", "employees_count", "gte", "'-5'", "{'range_query':{'must':{'employees_count':{'gte':-5}}}}")]
    [InlineData("companies", "employees_count", "lt", "1000", "{'range_query':{'must':{'employees_count':{'lt':1000}}}}")]
    [InlineData("companies", "employees_count", "lte", "9007199254740993", "{'range_query':{'must':{'employees_count':{'lte':9007199254740993}}}}")]
    [InlineData("contacts", "employees", "gte", "50", "{'range_query':{'must':{'company_employees_count':{'gte':50}}}}")]
    [InlineData("contacts", "annual_revenue", "eq", "5000000", "{'keyword_match':{'must':{'company_annual_revenue':5000000}}}")]
    // Date: eq is the day (date alone) or the instant; date-times go out in UTC; date math passes through.
    [InlineData("contacts", "created_at", "eq", "'2025-01-31'", "{'range_query':{'must':{'created_at':{'gte':'2025-01-31','lte':'2025-01-31'}}}}")]
    [InlineData("contacts", "created_at", "eq", "'2025-01-31T10:00:00Z'", "{'range_query':{'must':{'created_at':{'gte':'2025-01-31T10:00:00Z','lte':'2025-01-31T10:00:00Z'}}}}")]
    [InlineData("contacts", "created_at", "in", "['2025-01-31']", "{'range_query':{'must':{'created_at':{'gte':'2025-01-31','lte':'2025-01-31'}}}}")]
    [InlineData("companies", "created_at", "gt", "'2025-01-31'", "{'range_query':{'must':{'created_at':{'gt':'2025-01-31'}}}}")]
    [InlineData("companies", "created_at", "gte", "'2025-01-31T10:00:00+02:00'", "{'range_query':{'must':{'created_at':{'gte':'2025-01-31T08:00:00Z'}}}}")]
    [InlineData("companies", "created_at", "lt", "'now-30d/d'", "{'range_query':{'must':{'created_at':{'lt':'now-30d/d'}}}}")]
    [InlineData("companies", "created_at", "lte", "'2025-01-31 10:00'", "{'range_query':{'must':{'created_at':{'lte':'2025-01-31T10:00:00Z'}}}}")]
    [InlineData("companies", "created_at", "lte", "'2025-01-31T10:00:00.1234567-0130'", "{'range_query':{'must':{'created_at':{'lte':'2025-01-31T11:30:00.1234567Z'}}}}")]
    public void An_accepted_condition_becomes_exactly_the_native_clause_for_its_field_kind(
        string entity, string field, string op, string value, string expected)
    {
        Assert.Equal(VqlJson.Normalise(expected), Single(entity, field, op, value));
    }

    [Theory]
    [InlineData("EQ", "{'keyword_match':{'must':{'country':'usa'}}}")]
    [InlineData(" In ", "{'keyword_match':{'must':{'country':'usa'}}}")]
    public void Operators_are_read_case_insensitively(string op, string expected)
    {
        Assert.Equal(VqlJson.Normalise(expected), Single("contacts", "Country", op, "'usa'"));
    }

    [Theory]
    // Fields.
    [InlineData("contacts", "foo", "eq", "'x'", ".field", "unknown field 'foo' for contacts")]
    [InlineData("contacts", " ", "eq", "'x'", ".field", "names no field")]
    [InlineData("contacts", "stage", "eq", "'lead'", ".field", "'stage' is not filterable in Connectra")]
    [InlineData("contacts", "website", "contains", "'acme'", ".field", "not filterable in Connectra")]
    [InlineData("contacts", "work_direct_phone", "eq", "'1'", ".field", "not filterable in Connectra")]
    [InlineData("contacts", "updated_at", "gte", "'2025-01-01'", ".field", "not filterable in Connectra")]
    [InlineData("contacts", "status", "eq", "'active'", ".field", "Connectra has no contact status")]
    [InlineData("contacts", "text_search", "contains", "'paris'", ".field", "no free-text location field")]
    [InlineData("contacts", "company_location", "contains", "'paris'", ".field", "no free-text company location")]
    [InlineData("contacts", "company_name_for_emails", "eq", "'Acme'", ".field", "no copy of company_name_for_emails")]
    [InlineData("companies", "text_search", "contains", "'paris'", ".field", "no free-text company location")]
    [InlineData("companies", "phone_number", "eq", "'1'", ".field", "not filterable in Connectra")]
    [InlineData("companies", "latest_funding_amount", "gt", "1", ".field", "not filterable in Connectra")]
    // Operators.
    [InlineData("contacts", "title", "like", "'x'", ".operator", "unknown operator 'like'; use one of eq, ne, gt")]
    [InlineData("contacts", "title", "gt", "'m'", ".operator", "'gt' is not available on title: it is a text field")]
    [InlineData("contacts", "title", "lte", "'m'", ".operator", "ranges are not available")]
    [InlineData("contacts", "title", "exists", "null", ".operator", "no existence test for text fields")]
    [InlineData("contacts", "title", "nexists", "null", ".operator", "'nexists' is not available on title")]
    [InlineData("contacts", "country", "nexists", "null", ".operator", "negated range or existence query")]
    [InlineData("contacts", "email", "contains", "'@acme.com'", ".operator", "there is no partial match")]
    [InlineData("contacts", "email", "ncontains", "'@acme.com'", ".operator", "there is no partial match")]
    [InlineData("contacts", "departments", "gte", "'a'", ".operator", "it is a list field")]
    [InlineData("contacts", "departments", "nexists", "null", ".operator", "'nexists' is not available")]
    [InlineData("companies", "employees_count", "contains", "5", ".operator", "it is a number")]
    [InlineData("companies", "employees_count", "exists", "null", ".operator", "no range can stand in for one")]
    [InlineData("companies", "employees_count", "nexists", "null", ".operator", "'nexists' is not available")]
    [InlineData("companies", "created_at", "ne", "'2025-01-01'", ".operator", "range_query.must_not is never compiled")]
    [InlineData("companies", "created_at", "nin", "['2025-01-01']", ".operator", "negated range")]
    [InlineData("companies", "created_at", "contains", "'2025'", ".operator", "it is a date")]
    [InlineData("companies", "created_at", "exists", "null", ".operator", "every indexed document has it")]
    [InlineData("companies", "created_at", "nexists", "null", ".operator", "'nexists' is not available")]
    // Values.
    [InlineData("companies", "created_at", "in", "['2025-01-01','2025-02-01']", ".value", "several dates")]
    [InlineData("contacts", "country", "in", "[]", ".value", "needs at least one value")]
    [InlineData("contacts", "title", "nin", "[]", ".value", "needs at least one value")]
    [InlineData("contacts", "country", "eq", "['usa']", ".value", "takes a single value, not a list")]
    [InlineData("contacts", "departments", "contains", "['a','b']", ".value", "use 'in' or 'nin' for lists")]
    [InlineData("contacts", "country", "eq", "{'v':1}", ".value", "not an object")]
    [InlineData("contacts", "country", "eq", "null", ".value", "'eq' needs a value")]
    [InlineData("contacts", "country", "eq", "5", ".value", "country expects a string value, found 5")]
    [InlineData("contacts", "country", "ne", "true", ".value", "found a boolean")]
    [InlineData("contacts", "title", "eq", "''", ".value", "has no letters or digits")]
    [InlineData("contacts", "title", "contains", "'--'", ".value", "has no letters or digits")]
    [InlineData("contacts", "title", "contains", "'*'", ".value", "has no letters or digits")]
    [InlineData("contacts", "title", "contains", "12", ".value", "title expects a string value")]
    [InlineData("contacts", "title", "contains", "'tech*'", ".value", "at least 5 characters; Connectra ignores shorter ones ('tech')")]
    [InlineData("contacts", "title", "contains", "'vp engineer*'", ".value", "('vp')")]
    [InlineData("companies", "website", "contains", "'ibm'", ".value", "use 'eq' with the whole value instead")]
    [InlineData("companies", "employees_count", "eq", "'ten'", ".value", "employees_count expects an integer, found \"ten\"")]
    [InlineData("companies", "employees_count", "gt", "1.5", ".value", "expects an integer, found 1.5")]
    [InlineData("companies", "employees_count", "lt", "true", ".value", "expects an integer, found a boolean")]
    [InlineData("companies", "created_at", "gte", "'yesterday'", ".value", "expects an ISO-8601 date")]
    [InlineData("companies", "created_at", "gte", "'2025-02-30'", ".value", "expects an ISO-8601 date")]
    [InlineData("companies", "created_at", "gte", "'2025-01-01T25:00:00Z'", ".value", "expects an ISO-8601 date")]
    [InlineData("companies", "created_at", "gte", "1735689600000", ".value", "expects an ISO-8601 date")]
    public void A_refused_condition_names_its_location_and_the_reason(
        string entity, string field, string op, string value, string location, string reason)
    {
        var error = Assert.Throws<VqlValidationException>(() => Single(entity, field, op, value));

        Assert.Equal("filters.and[0]" + location, error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("contacts", "uuid", "in", "['a',3]", "filters.and[0].value[1]")]
    [InlineData("companies", "employees_count", "in", "[1,'x']", "filters.and[0].value[1]")]
    [InlineData("contacts", "title", "in", "['ok','']", "filters.and[0].value[1]")]
    public void A_bad_list_item_is_named_by_its_index(string entity, string field, string op, string value, string location)
    {
        var error = Assert.Throws<VqlValidationException>(() => Single(entity, field, op, value));

        Assert.Equal(location, error.Field);
    }
}
