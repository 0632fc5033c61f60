using Connectra.Backend.Application.SalesNavigator;

namespace Connectra.Backend.UnitTests.SalesNavigator;

public sealed class LeadRulesTests
{
    [Theory]
    [InlineData("Director of Engineering", "director")] // contains "cto" as letters, not as a word
    [InlineData("Actor and Narrator", null)]
    [InlineData("Interim Director", "director")] // "Interim" is no "intern"
    [InlineData("Leadership Coach", null)] // "Leadership" is no "lead"
    [InlineData("Seniority Analyst", null)]
    [InlineData("CTO", "executive")]
    [InlineData("Co-Founder & CEO", "executive")]
    [InlineData("Founding Engineer", "executive")]
    [InlineData("President", "executive")]
    [InlineData("Vice President of Sales", "director")]
    [InlineData("Vice-President, Marketing", "director")]
    [InlineData("VP Engineering", "director")]
    [InlineData("Engineering Manager", "manager")]
    [InlineData("Head of Product", "manager")]
    [InlineData("Team Lead", "manager")]
    [InlineData("Senior Software Engineer", "senior_ic")]
    [InlineData("Sr. Data Analyst", "senior_ic")]
    [InlineData("Principal Architect", "senior_ic")]
    [InlineData("Junior Developer", "entry")]
    [InlineData("Jr. Accountant", "entry")]
    [InlineData("Marketing Intern", "entry")]
    [InlineData("Associate Director", "director")] // the higher level wins
    [InlineData("Software Engineer", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Seniority_comes_from_whole_words_of_the_title(string? title, string? seniority) =>
        Assert.Equal(seniority, LeadRules.Seniority(title));

    [Theory]
    [InlineData("Chrome Platform Developer", null, "engineering")] // "Chrome" holds no "hr"
    [InlineData("Shrink Specialist", null, "")]
    [InlineData("Topsoil Analyst", null, "")] // "Topsoil" holds no "ops"
    [InlineData("Abduction Researcher", null, "")] // nor "bd"
    [InlineData("Director of Engineering", null, "engineering")]
    [InlineData("Head of Sales Operations", null, "sales,operations")]
    [InlineData("Product Marketing Manager", null, "marketing,product")]
    [InlineData("HR Business Partner", null, "hr")]
    [InlineData("Associate", "General counsel to start-ups; previously in recruiting.", "hr,legal")]
    [InlineData(null, null, "")]
    public void Departments_come_from_whole_words_of_title_and_blurb(string? title, string? about, string departments) =>
        Assert.Equal(departments.Split(',', StringSplitOptions.RemoveEmptyEntries), LeadRules.DepartmentsOf(title, about));

    [Theory]
    [InlineData("Builds data platforms on AWS, Kubernetes and PostgreSQL. Python & Rust.", "python,rust,aws,kubernetes,postgresql")]
    [InlineData("Node.js and C# on .NET; Java (not JavaScript).", "java,javascript,node.js,c#,.net")]
    [InlineData("Javanese culture, reactive dogs, awsome spelling", "")]
    [InlineData(null, "")]
    public void Technologies_are_named_words_of_the_blurb(string? about, string technologies) =>
        Assert.Equal(technologies.Split(',', StringSplitOptions.RemoveEmptyEntries), LeadRules.TechnologiesOf(about));

    [Theory]
    [InlineData("Lyon, Auvergne-Rhône-Alpes, France", "Lyon", "Auvergne-Rhône-Alpes", "France")]
    [InlineData("London, United Kingdom", "London", null, "United Kingdom")]
    [InlineData("Berlin", "Berlin", null, null)]
    [InlineData(" , Paris , ", "Paris", null, null)]
    [InlineData("Brooklyn, New York, NY, United States", "Brooklyn", "New York, NY", "United States")]
    [InlineData("", null, null, null)]
    [InlineData(null, null, null, null)]
    public void A_location_splits_into_city_state_and_country(string? location, string? city, string? state, string? country) =>
        Assert.Equal((city, state, country), LeadRules.Location(location));

    [Theory]
    [InlineData("Ada Lovelace", "Ada", "Lovelace")]
    [InlineData("Jean Claude Van Damme", "Jean", "Claude Van Damme")]
    [InlineData("Cher", "Cher", null)]
    [InlineData(null, null, null)]
    public void The_first_word_of_a_name_is_the_first_name(string? name, string? first, string? last) =>
        Assert.Equal((first, last), LeadRules.Name(name));
}
