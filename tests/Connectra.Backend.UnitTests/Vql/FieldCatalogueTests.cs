using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.UnitTests.Vql;

public sealed class FieldCatalogueTests
{
    private static string Row(FieldDefinition f) =>
        $"{f.Name} | {string.Join(",", f.Aliases)} | {f.ConnectraField ?? "-"} | {f.Kind} | {(f.Sortable ? "sort" : "-")} | {f.SelectColumn ?? "-"}";

    [Fact]
    public void The_contact_catalogue_follows_the_contact_index_and_table()
    {
        string[] expected =
        [
            "uuid | id | uuid | Keyword | sort | uuid",
            "first_name |  | first_name | Text | - | first_name",
            "last_name |  | last_name | Text | - | last_name",
            "title |  | title | Text | - | title",
            "email |  | email | Keyword | sort | email",
            "company_id |  | company_id | Keyword | sort | company_id",
            "seniority |  | seniority | Keyword | sort | seniority",
            "departments | department | departments | KeywordArray | sort | departments",
            "mobile_phone |  | mobile_phone | Keyword | sort | mobile_phone",
            "email_status |  | email_status | Keyword | sort | email_status",
            "city |  | city | Keyword | sort | city",
            "state |  | state | Keyword | sort | state",
            "country |  | country | Keyword | sort | country",
            "person_linkedin_url | linkedin_url | linkedin_url | Keyword | sort | linkedin_url",
            "created_at |  | created_at | Date | - | created_at",
            "facebook_url |  | - | ResponseOnly | - | facebook_url",
            "twitter_url |  | - | ResponseOnly | - | twitter_url",
            "website |  | - | ResponseOnly | - | website",
            "work_direct_phone |  | - | ResponseOnly | - | work_direct_phone",
            "home_phone |  | - | ResponseOnly | - | home_phone",
            "other_phone |  | - | ResponseOnly | - | other_phone",
            "stage |  | - | ResponseOnly | - | stage",
            "updated_at |  | - | ResponseOnly | - | updated_at",
            "deleted_at |  | - | ResponseOnly | - | deleted_at",
            "company_name | company | company_name | Text | - | -",
            "company_address |  | company_address | Text | - | -",
            "company_website |  | company_website | Text | - | -",
            "company_normalized_domain |  | company_normalized_domain | Text | - | -",
            "employees_count | employees,company_employees_count | company_employees_count | Long | - | -",
            "annual_revenue | company_annual_revenue | company_annual_revenue | Long | - | -",
            "total_funding | company_total_funding | company_total_funding | Long | - | -",
            "industries | industry,company_industries | company_industries | KeywordArray | sort | -",
            "keywords | company_keywords | company_keywords | KeywordArray | sort | -",
            "technologies | company_technologies | company_technologies | KeywordArray | sort | -",
            "company_city |  | company_city | Keyword | sort | -",
            "company_state |  | company_state | Keyword | sort | -",
            "company_country |  | company_country | Keyword | sort | -",
            "company_linkedin_url |  | company_linkedin_url | Keyword | sort | -",
            "status |  | - | Unavailable | - | -",
            "contact_location | text_search | - | Unavailable | - | -",
            "company_location | company_text_search | - | Unavailable | - | -",
            "company_name_for_emails |  | - | Unavailable | - | -",
        ];

        Assert.Equal(expected, FieldCatalogue.Contacts.Fields.Select(Row));
    }

    [Fact]
    public void The_company_catalogue_follows_the_company_index_and_table()
    {
        string[] expected =
        [
            "uuid | id | uuid | Keyword | sort | uuid",
            "name |  | name | Text | - | name",
            "employees_count | employees | employees_count | Long | - | employees_count",
            "industries | industry | industries | KeywordArray | sort | industries",
            "keywords |  | keywords | KeywordArray | sort | keywords",
            "technologies |  | technologies | KeywordArray | sort | technologies",
            "address |  | address | Text | - | address",
            "annual_revenue |  | annual_revenue | Long | - | annual_revenue",
            "total_funding |  | total_funding | Long | - | total_funding",
            "city |  | city | Keyword | sort | city",
            "state |  | state | Keyword | sort | state",
            "country |  | country | Keyword | sort | country",
            "linkedin_url |  | linkedin_url | Keyword | sort | linkedin_url",
            "website | domain | website | Text | - | website",
            "normalized_domain |  | normalized_domain | Text | - | normalized_domain",
            "created_at |  | created_at | Date | - | created_at",
            "facebook_url |  | - | ResponseOnly | - | facebook_url",
            "twitter_url |  | - | ResponseOnly | - | twitter_url",
            "company_name_for_emails |  | - | ResponseOnly | - | company_name_for_emails",
            "phone_number |  | - | ResponseOnly | - | phone_number",
            "latest_funding |  | - | ResponseOnly | - | latest_funding",
            "latest_funding_amount |  | - | ResponseOnly | - | latest_funding_amount",
            "last_raised_at |  | - | ResponseOnly | - | last_raised_at",
            "updated_at |  | - | ResponseOnly | - | updated_at",
            "deleted_at |  | - | ResponseOnly | - | deleted_at",
            "company_location | text_search,company_text_search | - | Unavailable | - | -",
        ];

        Assert.Equal(expected, FieldCatalogue.Companies.Fields.Select(Row));
    }

    [Theory]
    [InlineData("contacts", "linkedin_url", "person_linkedin_url")]
    [InlineData("contacts", "ID", "uuid")]
    [InlineData("contacts", " Employees ", "employees_count")]
    [InlineData("contacts", "company", "company_name")]
    [InlineData("contacts", "text_search", "contact_location")]
    [InlineData("companies", "industry", "industries")]
    [InlineData("companies", "domain", "website")]
    [InlineData("companies", "company_text_search", "company_location")]
    public void Names_and_aliases_resolve_case_insensitively(string entity, string name, string expected)
    {
        Assert.Equal(expected, VqlJson.Catalogue(entity).Resolve(name)?.Name);
    }

    [Theory]
    [InlineData("contacts", "name")]
    [InlineData("contacts", "corporate_phone")]
    [InlineData("companies", "first_name")]
    [InlineData("companies", "")]
    public void Unknown_names_resolve_to_nothing(string entity, string name)
    {
        Assert.Null(VqlJson.Catalogue(entity).Resolve(name));
    }

    [Fact]
    public void Select_columns_are_the_postgresql_columns_of_each_table()
    {
        Assert.Equal(
            ["uuid", "first_name", "last_name", "title", "email", "company_id", "seniority", "departments", "mobile_phone",
             "email_status", "city", "state", "country", "linkedin_url", "created_at", "facebook_url", "twitter_url",
             "website", "work_direct_phone", "home_phone", "other_phone", "stage", "updated_at", "deleted_at"],
            FieldCatalogue.Contacts.SelectColumns);
        Assert.Equal(
            ["uuid", "name", "employees_count", "industries", "keywords", "technologies", "address", "annual_revenue",
             "total_funding", "city", "state", "country", "linkedin_url", "website", "normalized_domain", "created_at",
             "facebook_url", "twitter_url", "company_name_for_emails", "phone_number", "latest_funding",
             "latest_funding_amount", "last_raised_at", "updated_at", "deleted_at"],
            FieldCatalogue.Companies.SelectColumns);
        Assert.Equal(["uuid", "company_id"], FieldCatalogue.Contacts.RequiredSelectColumns);
        Assert.Equal(["uuid"], FieldCatalogue.Companies.RequiredSelectColumns);
    }

    [Fact]
    public void Only_keyword_and_keyword_list_fields_are_sortable()
    {
        var all = FieldCatalogue.Contacts.Fields.Concat(FieldCatalogue.Companies.Fields).ToList();

        Assert.All(all, f => Assert.Equal(f.Kind is FieldKind.Keyword or FieldKind.KeywordArray, f.Sortable));
        Assert.All(all.Where(f => !f.Filterable), f => Assert.False(string.IsNullOrEmpty(f.Note)));
    }
}
