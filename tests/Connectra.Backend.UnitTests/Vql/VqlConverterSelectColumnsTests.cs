using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.UnitTests.Vql;

public sealed class VqlConverterSelectColumnsTests
{
    [Fact]
    public void No_columns_means_all_columns()
    {
        Assert.Null(VqlConverter.ToSelectColumns(FieldCatalogue.Contacts, null));
        Assert.Null(VqlConverter.ToSelectColumns(FieldCatalogue.Companies, []));
    }

    [Theory]
    [InlineData("contacts", new[] { "first_name", "last_name" }, new[] { "uuid", "company_id", "first_name", "last_name" })]
    [InlineData("contacts", new[] { "person_linkedin_url", "linkedin_url", "uuid", "Email" }, new[] { "uuid", "company_id", "linkedin_url", "email" })]
    [InlineData("contacts", new[] { "id" }, new[] { "uuid", "company_id" })]
    [InlineData("contacts", new[] { "company_id", "department" }, new[] { "uuid", "company_id", "departments" })]
    [InlineData("contacts", new[] { "stage", "website", "created_at", "updated_at" }, new[] { "uuid", "company_id", "stage", "website", "created_at", "updated_at" })]
    [InlineData("companies", new[] { "name", "employees", "industry", "domain" }, new[] { "uuid", "name", "employees_count", "industries", "website" })]
    [InlineData("companies", new[] { "phone_number", "latest_funding_amount", " NAME " }, new[] { "uuid", "phone_number", "latest_funding_amount", "name" })]
    public void Columns_resolve_aliases_and_always_include_the_required_ones(string entity, string[] requested, string[] expected)
    {
        Assert.Equal(expected, VqlConverter.ToSelectColumns(VqlJson.Catalogue(entity), requested));
    }

    [Theory]
    [InlineData("contacts", new[] { "uuid", "foo" }, "select_columns[1]", "unknown column 'foo' for contacts")]
    [InlineData("contacts", new[] { "company_name" }, "select_columns[0]", "'company_name' is not a column of contacts")]
    [InlineData("contacts", new[] { "employees" }, "select_columns[0]", "select it through company_config.select_columns")]
    [InlineData("contacts", new[] { "status" }, "select_columns[0]", "'status' cannot be selected: Connectra has no contact status")]
    [InlineData("contacts", new[] { "text_search" }, "select_columns[0]", "cannot be selected")]
    [InlineData("companies", new[] { "name", " " }, "select_columns[1]", "a column name is empty")]
    [InlineData("companies", new[] { "company_location" }, "select_columns[0]", "cannot be selected")]
    public void Unknown_or_unselectable_columns_are_refused(string entity, string[] requested, string location, string reason)
    {
        var error = Assert.Throws<VqlValidationException>(() => VqlConverter.ToSelectColumns(VqlJson.Catalogue(entity), requested));

        Assert.Equal(location, error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Company_config_columns_are_checked_against_companies_under_their_own_location()
    {
        Assert.Equal(["uuid", "name"], VqlConverter.ToSelectColumns(FieldCatalogue.Companies, ["name"], "company_config.select_columns"));

        var error = Assert.Throws<VqlValidationException>(() =>
            VqlConverter.ToSelectColumns(FieldCatalogue.Companies, ["name", "first_name"], "company_config.select_columns"));

        Assert.Equal("company_config.select_columns[1]", error.Field);
    }
}
