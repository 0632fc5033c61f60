using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.UnitTests.Vql;

public sealed class VqlConverterOrderByTests
{
    private static string Orders(string entity, string? sortBy, string? sortDirection = null) =>
        VqlJson.Native(VqlConverter.ToOrderBy(VqlJson.Catalogue(entity), sortBy, sortDirection));

    private static string Expected(params string[] orders) =>
        VqlJson.Normalise("{'order_by':[" + string.Join(",", orders.Select(o =>
        {
            var parts = o.Split(' ');
            return $"{{'order_by':'{parts[0]}','order_direction':'{parts[1]}'}}";
        })) + "]}");

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData(" , ", null)]
    [InlineData(null, "desc")]
    public void Without_a_sort_only_the_uuid_tie_break_is_sent(string? sortBy, string? sortDirection)
    {
        Assert.Equal(Expected("uuid asc"), Orders("contacts", sortBy, sortDirection));
    }

    [Theory]
    [InlineData("contacts", "email", null, new[] { "email asc", "uuid asc" })]
    [InlineData("contacts", "-email", null, new[] { "email desc", "uuid asc" })]
    [InlineData("contacts", "email:desc", null, new[] { "email desc", "uuid asc" })]
    [InlineData("contacts", " email : DESC ", null, new[] { "email desc", "uuid asc" })]
    [InlineData("contacts", "email", "desc", new[] { "email desc", "uuid asc" })]
    [InlineData("contacts", "email", " DESC", new[] { "email desc", "uuid asc" })]
    [InlineData("contacts", "email:asc", "desc", new[] { "email asc", "uuid asc" })]
    [InlineData("contacts", "-email:desc", null, new[] { "email desc", "uuid asc" })]
    [InlineData("contacts", "country, -email", null, new[] { "country asc", "email desc", "uuid asc" })]
    [InlineData("contacts", "country,,seniority:desc,", "asc", new[] { "country asc", "seniority desc", "uuid asc" })]
    [InlineData("contacts", "uuid:desc", null, new[] { "uuid desc" })]
    [InlineData("contacts", "-id", null, new[] { "uuid desc" })]
    [InlineData("contacts", "uuid,email", null, new[] { "uuid asc", "email asc" })]
    [InlineData("contacts", "person_linkedin_url", null, new[] { "linkedin_url asc", "uuid asc" })]
    [InlineData("contacts", "departments:desc", null, new[] { "departments desc", "uuid asc" })]
    [InlineData("contacts", "company_city", null, new[] { "company_city asc", "uuid asc" })]
    [InlineData("contacts", "industry", null, new[] { "company_industries asc", "uuid asc" })]
    [InlineData("companies", "-industry,City", null, new[] { "industries desc", "city asc", "uuid asc" })]
    [InlineData("companies", "linkedin_url", "desc", new[] { "linkedin_url desc", "uuid asc" })]
    public void Sort_clauses_become_order_by_entries_ending_with_the_uuid_tie_break(
        string entity, string sortBy, string? sortDirection, string[] expected)
    {
        Assert.Equal(Expected(expected), Orders(entity, sortBy, sortDirection));
    }

    [Theory]
    [InlineData("contacts", "-created_at", null, "sort_by", "contacts cannot be sorted by created_at: Connectra answers 500 to sorts on numbers and dates")]
    [InlineData("companies", "employees_count:desc", null, "sort_by", "sorts on numbers and dates")]
    [InlineData("contacts", "employees", null, "sort_by", "cannot be sorted by employees_count")]
    [InlineData("contacts", "first_name", null, "sort_by", "it is analysed text, and Connectra answers 500 to a sort on text")]
    [InlineData("companies", "name", null, "sort_by", "sort on text")]
    [InlineData("contacts", "stage", null, "sort_by", "it is not in Connectra's search index")]
    [InlineData("contacts", "status", null, "sort_by", "it is not in Connectra's search index")]
    [InlineData("contacts", "nope", null, "sort_by", "unknown field 'nope' for contacts")]
    [InlineData("contacts", "email:up", null, "sort_by", "sort direction 'up' must be asc or desc")]
    [InlineData("contacts", "-email:asc", null, "sort_by", "asks for both descending ('-') and ascending order")]
    [InlineData("contacts", "email,-email", null, "sort_by", "email is listed twice")]
    [InlineData("contacts", "uuid,id", null, "sort_by", "uuid is listed twice")]
    [InlineData("contacts", ":desc", null, "sort_by", "names no field")]
    [InlineData("contacts", "-", null, "sort_by", "names no field")]
    [InlineData("contacts", "email", "down", "sort_direction", "sort direction 'down' must be asc or desc")]
    public void Unsortable_or_malformed_sorts_are_refused(
        string entity, string sortBy, string? sortDirection, string location, string reason)
    {
        var error = Assert.Throws<VqlValidationException>(() => Orders(entity, sortBy, sortDirection));

        Assert.Equal(location, error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusals_name_the_location_the_caller_gives()
    {
        var error = Assert.Throws<VqlValidationException>(() =>
            VqlConverter.ToOrderBy(FieldCatalogue.Contacts, "-created_at", null, sortByLocation: "ordering"));

        Assert.Equal("ordering", error.Field);
    }
}
