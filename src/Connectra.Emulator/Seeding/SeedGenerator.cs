using System.Globalization;
using Bogus;
using Connectra.Client.Records;
using Connectra.Emulator.Store;
using static Connectra.Emulator.Seeding.SeedVocabulary;

namespace Connectra.Emulator.Seeding;

/// <summary>
/// Deterministic, realistic companies and contacts. Each one is produced as the CSV-style row a Connectra import
/// would carry and goes through <see cref="RowMapper"/>, so casing, phone and money cleaning and the UUIDv5
/// identifiers are exactly what <c>POST /common/batch-upsert</c> stores (docs/connectra.md#row-batch-upsert).
/// </summary>
internal sealed class SeedGenerator
{
    // A fixed "today" keeps timestamps reproducible for a given seed.
    private static readonly DateTimeOffset Reference = new(2025, 12, 20, 12, 0, 0, TimeSpan.Zero);

    private static readonly int[] LocationIndexes = Enumerable.Range(0, Locations.Length).ToArray();
    private static readonly float[] LocationWeights = Normalized(Locations.Select(l => l.Weight));
    private static readonly string[] SeniorityValues = Seniorities.Select(s => s.Value).ToArray();
    private static readonly float[] SeniorityWeights = Normalized(Seniorities.Select(s => s.Weight));
    private static readonly string[] EmailStatusValues = EmailStatuses.Select(s => s.Value).ToArray();
    private static readonly float[] EmailStatusWeights = Normalized(EmailStatuses.Select(s => s.Weight));

    private readonly int _seed;

    public SeedGenerator(int seed) => _seed = seed;

    /// <summary>A generated company with the fields its contacts' rows repeat.</summary>
    internal sealed record SeedCompany(ConnectraCompany Company, string RawName, string LinkedinUrl, string Domain, Location Location);

    public List<SeedCompany> Companies(int count)
    {
        var faker = NewFaker(1);
        var result = new List<SeedCompany>(count);
        for (var i = 0; i < count; i++)
        {
            result.Add(Company(faker, i));
        }

        return result;
    }

    /// <summary>Contacts spread over the companies, larger companies getting more of them.</summary>
    public IEnumerable<ConnectraContact> Contacts(int count, IReadOnlyList<SeedCompany> companies)
    {
        var faker = NewFaker(2);
        var weights = companies.Select(c => Math.Log10(Math.Max(10, c.Company.EmployeesCount ?? 10))).ToArray();
        var cumulative = new double[weights.Length];
        var total = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            total += weights[i];
            cumulative[i] = total;
        }

        for (var i = 0; i < count; i++)
        {
            SeedCompany? company = null;
            if (companies.Count > 0)
            {
                var index = Array.BinarySearch(cumulative, faker.Random.Double() * total);
                company = companies[Math.Min(index < 0 ? ~index : index, companies.Count - 1)];
            }

            yield return Contact(faker, i, company);
        }
    }

    private Faker NewFaker(int stream) => new("en") { Random = new Randomizer(unchecked((_seed * 7919) + stream)) };

    private static SeedCompany Company(Faker f, int index)
    {
        var name = f.Random.Int(0, 9) < 7
            ? $"{f.PickRandom(NamePrefixes)} {f.PickRandom(NameSuffixes)}".Replace(" ware", "ware", StringComparison.Ordinal)
            : f.Company.CompanyName().Replace(",", "", StringComparison.Ordinal);
        var slug = new string(name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        var domain = $"{slug}.{f.PickRandom(TopLevelDomains)}";
        // The number makes LinkedIn URLs, and so uuids, unique however often a name repeats.
        var linkedin = $"https://linkedin.com/company/{slug}-{Unique(index, 100_000, 900_000)}";
        var location = Locations[f.Random.WeightedRandom(LocationIndexes, LocationWeights)];
        var employees = (long)Math.Round(Math.Exp(f.Random.Double(Math.Log(2), Math.Log(50_000))));
        var revenue = employees * f.Random.Long(40_000, 320_000);
        var funded = f.Random.Bool(0.55f);
        var funding = funded ? f.Random.Long(1, 400) * 250_000 : 0;
        var row = new Dictionary<string, string>
        {
            ["company"] = name,
            ["company_linkedin_url"] = linkedin,
            ["email"] = $"info@{domain}",
            ["employees"] = employees.ToString("N0", CultureInfo.InvariantCulture),
            ["industry"] = string.Join(", ", f.PickRandom(Industries, f.Random.Int(1, 2))),
            ["keywords"] = string.Join(", ", f.PickRandom(Keywords, f.Random.Int(1, 5))),
            ["technologies"] = string.Join(", ", f.PickRandom(Technologies, f.Random.Int(1, 8))),
            ["company_address"] = $"{f.Address.StreetAddress()}, {Title(location.City)}",
            ["annual_revenue"] = "$" + revenue.ToString("N0", CultureInfo.InvariantCulture),
            ["total_funding"] = funded ? "$" + funding.ToString("N0", CultureInfo.InvariantCulture) : "",
            ["website"] = $"https://www.{domain}",
            ["company_city"] = location.City,
            ["company_state"] = location.State,
            ["company_country"] = location.Country,
            ["company_name_for_emails"] = name,
            ["company_phone"] = Phone(f, location),
            ["facebook_url"] = f.Random.Bool(0.5f) ? $"https://facebook.com/{slug}" : "",
            ["twitter_url"] = f.Random.Bool(0.5f) ? $"https://twitter.com/{slug}" : "",
            ["latest_funding"] = funded ? f.PickRandom(FundingRounds) : "",
            ["latest_funding_amount"] = funded ? (funding / f.Random.Int(1, 4)).ToString(CultureInfo.InvariantCulture) : "",
            ["last_raised_at"] = funded ? Reference.AddDays(-f.Random.Int(30, 2_500)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "",
        };
        var (created, updated) = Timestamps(f);
        var company = RowMapper.Map(row).Company with { CreatedAt = created, UpdatedAt = updated };
        return new SeedCompany(company, name, linkedin, domain, location);
    }

    private static ConnectraContact Contact(Faker f, int index, SeedCompany? company)
    {
        var first = f.Name.FirstName();
        var last = f.Name.LastName();
        var seniority = f.Random.WeightedRandom(SeniorityValues, SeniorityWeights);
        var department = f.PickRandom(Departments);
        var departments = new List<string> { department.Name };
        if (seniority is "manager" or "director" or "vp" or "executive" or "owner")
        {
            departments.Add("management");
        }
        else if (f.Random.Bool(0.15f))
        {
            departments.Add(f.PickRandom(Departments).Name);
        }

        var location = company is not null && f.Random.Bool(0.6f)
            ? company.Location
            : Locations[f.Random.Int(0, Locations.Length - 1)];
        var handle = $"{Slug(first)}-{Slug(last)}";
        var domain = company?.Domain ?? $"{Slug(last)}.{f.PickRandom(TopLevelDomains)}";
        var email = f.Random.Int(0, 9) switch
        {
            < 6 => $"{first}.{last}@{domain}",
            < 8 => $"{first[0]}{last}@{domain}",
            _ => $"{first}@{domain}",
        };
        var row = new Dictionary<string, string>
        {
            ["first_name"] = first,
            ["last_name"] = last,
            ["email"] = f.Random.Bool(0.93f) ? email.Replace("'", "", StringComparison.Ordinal) : "",
            ["title"] = JobTitle(f, seniority, department),
            ["departments"] = string.Join(", ", departments.Distinct()),
            ["mobile_phone"] = f.Random.Bool(0.7f) ? Phone(f, location) : "",
            ["work_direct_phone"] = f.Random.Bool(0.4f) ? Phone(f, location) : "",
            ["home_phone"] = f.Random.Bool(0.2f) ? Phone(f, location) : "",
            ["other_phone"] = f.Random.Bool(0.1f) ? Phone(f, location) : "",
            ["email_status"] = f.Random.WeightedRandom(EmailStatusValues, EmailStatusWeights),
            ["seniority"] = seniority,
            ["city"] = location.City,
            ["state"] = location.State,
            ["country"] = location.Country,
            ["person_linkedin_url"] = $"https://linkedin.com/in/{handle}-{Unique(index, 1_000_000, 9_000_000)}",
            ["facebook_url"] = f.Random.Bool(0.3f) ? $"https://facebook.com/{Slug(first)}.{Slug(last)}" : "",
            ["twitter_url"] = f.Random.Bool(0.3f) ? $"https://twitter.com/{Slug(first)}{Slug(last)}" : "",
            ["stage"] = f.PickRandom(Stages),
            ["company"] = company?.RawName ?? "",
            ["company_linkedin_url"] = company?.LinkedinUrl ?? "",
        };
        var (created, updated) = Timestamps(f);
        var contact = RowMapper.Map(row).Contact with { CreatedAt = created, UpdatedAt = updated };
        return company is null ? contact with { CompanyId = "" } : contact;
    }

    private static string JobTitle(Faker f, string seniority, Department department)
    {
        var role = f.PickRandom(department.Roles);
        var area = Title(department.Name);
        return seniority switch
        {
            "intern" => $"{area} Intern",
            "junior" => f.Random.Bool() ? $"Junior {role}" : $"Associate {role}",
            "mid" => role,
            "senior" => f.Random.Int(0, 3) == 0 ? $"Lead {role}" : $"Senior {role}",
            "manager" => $"{area} Manager",
            "director" => $"Director of {area}",
            "vp" => f.Random.Bool() ? $"VP of {area}" : $"Vice President, {area}",
            "executive" => department.Chief,
            _ => f.PickRandom("Founder", "Co-Founder & CEO", "Owner", "Managing Partner"),
        };
    }

    private static (DateTimeOffset Created, DateTimeOffset Updated) Timestamps(Faker f)
    {
        var created = Reference.AddSeconds(-f.Random.Long(0, 6L * 365 * 24 * 3600)).AddTicks(f.Random.Int(0, 9_999_999));
        var updated = created.AddSeconds(f.Random.Long(0, (long)(Reference - created).TotalSeconds));
        return (created, updated);
    }

    private static string Phone(Faker f, Location location) =>
        $"+{location.PhoneCode} {f.Random.Int(200, 999)} {f.Random.Int(200, 999)} {f.Random.Int(1000, 9999)}";

    /// <summary>Distinct numbers for distinct indexes below <paramref name="range"/> (the step is coprime to it).</summary>
    private static long Unique(int index, long start, long range) => start + ((index * 7919L) % range);

    /// <summary>Bogus's weighted pick expects weights that add up to 1.</summary>
    private static float[] Normalized(IEnumerable<int> weights)
    {
        var list = weights.ToList();
        var total = (float)list.Sum();
        return list.Select(w => w / total).ToArray();
    }

    private static string Slug(string text) => new(text.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());

    private static string Title(string text) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(text);
}
