using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Writing;

namespace Connectra.Backend.UnitTests.SalesNavigator;

public sealed class ImportedValuesTests
{
    private static readonly ContactWriteRules Contacts = new(null!); // the field table needs no repository

    [Fact]
    public void Text_too_long_for_its_field_is_cut_to_fit_and_stored_as_a_body_value_would_be()
    {
        var (row, metadata) = Contacts.Empty("u");

        Assert.Null(ImportedValues.Set(Contacts.Fields, row, metadata, "title", "  " + new string('t', 600) + "  "));
        Assert.Null(ImportedValues.Set(Contacts.Fields, row, metadata, "metadata.city", new string('c', 300)));
        Assert.Null(ImportedValues.Set(Contacts.Fields, row, metadata, "departments", new[] { "Engineering", "engineering", new string('d', 100) }));

        Assert.Equal(512, row.Title!.Length);
        Assert.Equal(128, metadata.City.Length);
        Assert.Equal(["engineering", new string('d', 64)], row.Departments);
    }

    [Theory]
    [InlineData("metadata.linkedin_url", "javascript:alert(1)")]
    [InlineData("metadata.linkedin_sales_url", "https://www.linkedin.com/" + "x")]
    [InlineData("seniority", "overlord")]
    [InlineData("first_name", "Ada\u0001")]
    public void A_value_the_field_refuses_is_left_out_with_the_reason(string path, string value)
    {
        var (row, metadata) = Contacts.Empty("u");
        var before = (row.Seniority, row.FirstName, metadata.LinkedinUrl);
        var url = path == "metadata.linkedin_sales_url" ? value + new string('x', 2100) : value;

        var refused = ImportedValues.Set(Contacts.Fields, row, metadata, path, url);

        Assert.False(string.IsNullOrEmpty(refused));
        Assert.Equal(before, (row.Seniority, row.FirstName, metadata.LinkedinUrl));
        Assert.Equal(Contact.Unknown, metadata.LinkedinSalesUrl);
    }

    [Fact]
    public void Company_lists_keep_at_most_the_entries_a_body_may_send()
    {
        var rules = new CompanyWriteRules();
        var (row, metadata) = rules.Empty("c");

        Assert.Null(ImportedValues.Set(rules.Fields, row, metadata, "technologies", Enumerable.Range(0, 100).Select(i => $"t{i}").ToList()));

        Assert.Equal(WriteValue.MaxItems, row.Technologies.Count);
    }
}
