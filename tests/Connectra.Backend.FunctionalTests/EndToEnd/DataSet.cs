using System.Globalization;
using Connectra.Client.Records;

namespace Connectra.Backend.FunctionalTests.EndToEnd;

/// <summary>
/// A fixed, hand-made data set for end-to-end tests: 30 companies and 1,230 contacts with known values, so each
/// test can state the exact rows a filter must return. More than 1,000 contacts, so paging must leave Connectra's
/// offset window. Keyword values are lower-case, as Connectra's CSV ingest stores them.
/// </summary>
public static class DataSet
{
    public static readonly string[] FirstNames =
        ["John", "Jon", "Johnny", "Edwin", "Ada", "Grace", "Linus", "Margaret", "Alan", "Barbara", "Ken", "Dennis", "Frances", "Tim", "Radia"];
    public static readonly string[] LastNames =
        ["Smith", "Donnelly", "Lovelace", "Hopper", "Torvalds", "Hamilton", "Turing", "Liskov", "Thompson", "Ritchie", "Allen", "Perlman"];
    public static readonly string[] Titles =
    [
        "Senior Software Engineer", "Software Engineer", "Engineer", "VP Engineering", "Director of Sales",
        "Sales Manager", "Chief Technology Officer", "Marketing Director", "Data Engineer", "Account Executive",
    ];
    public static readonly string[] Seniorities = ["entry", "senior", "manager", "director", "vp", "c_suite"];
    public static readonly string[][] Departments =
        [["engineering"], ["engineering", "product"], ["sales"], ["marketing"], ["sales", "marketing"], ["finance"]];
    public static readonly string[] EmailStatuses = ["verified", "unverified", "invalid"];
    public static readonly (string City, string State, string Country)[] Places =
    [
        ("new york", "ny", "usa"), ("austin", "tx", "usa"), ("paris", "ile-de-france", "france"),
        ("berlin", "berlin", "germany"), ("toronto", "on", "canada"),
    ];
    public static readonly string[] CompanyNames =
    [
        "Acme Software", "Technology Partners", "Globex Corporation", "Initech", "Umbrella Health", "Stark Industries",
        "Wayne Enterprises", "Hooli", "Pied Piper", "Zyxwv Corp", "Aperture Science", "Black Mesa", "Cyberdyne Systems",
        "Soylent Foods", "Tyrell Corporation", "Wonka Industries", "Gringotts Bank", "Oscorp", "Vandelay Industries",
        "Dunder Mifflin Paper", "Sterling Cooper", "Prestige Worldwide", "Massive Dynamic", "Nakatomi Trading",
        "Monarch Solutions", "Blue Sun", "Virtucon", "Gekko Partners", "Bluth Company", "Los Pollos Hermanos",
    ];
    public static readonly string[][] Industries =
        [["software"], ["software", "saas"], ["healthcare"], ["finance"], ["retail"], ["manufacturing"]];
    public static readonly string[][] Keywords = [["b2b"], ["b2b", "enterprise"], ["consumer"], ["sustainable"]];
    public static readonly string[][] Technologies = [["react", "aws"], ["java"], ["python", "aws"], ["mysql"], ["react"]];

    public static IReadOnlyList<ConnectraCompany> Companies { get; } = BuildCompanies();

    public static IReadOnlyList<ConnectraContact> Contacts { get; } = BuildContacts();

    public static string Slug(string name) => new([.. name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);

    private static string Uuid(string kind, int i) =>
        new Guid($"{(kind == "company" ? 0xc0 : 0xa0):x2}{i:x6}-0000-4000-8000-{i:x12}").ToString("D");

    private static List<ConnectraCompany> BuildCompanies() =>
    [
        .. CompanyNames.Select((name, i) =>
        {
            var place = Places[i % Places.Length];
            return new ConnectraCompany
            {
                Uuid = Uuid("company", i),
                Name = name,
                EmployeesCount = 10 + (i * 37),
                AnnualRevenue = 1_000_000L * (i + 1),
                TotalFunding = i % 3 == 0 ? 500_000L * i : 0,
                Industries = Industries[i % Industries.Length],
                Keywords = Keywords[i % Keywords.Length],
                Technologies = Technologies[i % Technologies.Length],
                Address = $"{i + 1} {(i % 2 == 0 ? "Market Street" : "Harbour Road")}",
                City = place.City,
                State = place.State,
                Country = place.Country,
                LinkedinUrl = $"https://linkedin.com/company/{Slug(name)}",
                Website = $"https://www.{Slug(name)}.com",
                NormalizedDomain = $"{Slug(name)}.com",
                PhoneNumber = $"+1555{i:0000000}",
                CompanyNameForEmails = name,
            };
        }),
    ];

    private static List<ConnectraContact> BuildContacts() =>
    [
        .. Enumerable.Range(0, 1230).Select(i =>
        {
            var first = FirstNames[i % FirstNames.Length];
            var last = LastNames[i / FirstNames.Length % LastNames.Length];
            var company = Companies[i * 7 % Companies.Count];
            var place = Places[i * 3 % Places.Length];
            return new ConnectraContact
            {
                Uuid = Uuid("contact", i),
                FirstName = first,
                LastName = last,
                CompanyId = company.Uuid,
                Email = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}{i}@{company.NormalizedDomain}",
                Title = Titles[i / 3 % Titles.Length], // varies within each company too
                Departments = Departments[i % Departments.Length],
                MobilePhone = $"+1202{i:0000000}",
                EmailStatus = EmailStatuses[i % EmailStatuses.Length],
                Seniority = Seniorities[i * 5 % Seniorities.Length],
                City = place.City,
                State = place.State,
                Country = place.Country,
                LinkedinUrl = $"https://linkedin.com/in/{first.ToLowerInvariant()}-{last.ToLowerInvariant()}-{i}",
                Stage = i % 4 == 0 ? "contacted" : null,
                WorkDirectPhone = i % 5 == 0 ? $"+1303{i:0000000}" : null,
                CreatedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i),
            };
        }),
    ];

    /// <summary>Lower-cased words, split as the standard analyzer splits this data set's plain text.</summary>
    public static IReadOnlyList<string> Words(string? text) =>
        text is null ? [] : [.. text.ToLowerInvariant().Split([' ', ',', '-'], StringSplitOptions.RemoveEmptyEntries)];

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
