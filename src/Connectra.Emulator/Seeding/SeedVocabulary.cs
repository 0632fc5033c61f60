namespace Connectra.Emulator.Seeding;

/// <summary>
/// Word lists behind the seed data, shaped after data loaded through Connectra's row upsert (docs/connectra.md#row-batch-upsert): lower-case locations,
/// short lower-case vocabularies for seniorities, departments, industries, keywords and technologies.
/// </summary>
internal static class SeedVocabulary
{
    public sealed record Location(string City, string State, string Country, string PhoneCode, int Weight);

    public static readonly Location[] Locations =
    [
        new("new york", "new york", "usa", "1", 12), new("san francisco", "california", "usa", "1", 10),
        new("austin", "texas", "usa", "1", 6), new("seattle", "washington", "usa", "1", 6),
        new("chicago", "illinois", "usa", "1", 5), new("boston", "massachusetts", "usa", "1", 5),
        new("denver", "colorado", "usa", "1", 3), new("miami", "florida", "usa", "1", 3),
        new("atlanta", "georgia", "usa", "1", 3), new("los angeles", "california", "usa", "1", 6),
        new("toronto", "ontario", "canada", "1", 4), new("vancouver", "british columbia", "canada", "1", 3),
        new("ottawa", "ontario", "canada", "1", 2), new("london", "england", "uk", "44", 7),
        new("manchester", "england", "uk", "44", 2), new("edinburgh", "scotland", "uk", "44", 1),
        new("paris", "île-de-france", "france", "33", 4), new("lyon", "auvergne-rhône-alpes", "france", "33", 1),
        new("berlin", "berlin", "germany", "49", 4), new("munich", "bavaria", "germany", "49", 2),
        new("amsterdam", "north holland", "netherlands", "31", 3), new("madrid", "madrid", "spain", "34", 2),
        new("barcelona", "catalonia", "spain", "34", 2), new("mumbai", "maharashtra", "india", "91", 3),
        new("bengaluru", "karnataka", "india", "91", 4), new("sydney", "new south wales", "australia", "61", 3),
        new("melbourne", "victoria", "australia", "61", 2), new("singapore", "singapore", "singapore", "65", 2),
        new("tokyo", "tokyo", "japan", "81", 2), new("são paulo", "são paulo", "brazil", "55", 2),
        new("mexico city", "cdmx", "mexico", "52", 1), new("dublin", "leinster", "ireland", "353", 2),
        new("stockholm", "stockholm", "sweden", "46", 1), new("tel aviv", "tel aviv", "israel", "972", 1),
        new("zurich", "zurich", "switzerland", "41", 1),
    ];

    public sealed record Department(string Name, string Chief, string[] Roles);

    public static readonly Department[] Departments =
    [
        new("engineering", "Chief Technology Officer",
            ["Software Engineer", "Backend Engineer", "Frontend Developer", "DevOps Engineer", "Data Engineer", "QA Engineer", "Site Reliability Engineer", "Mobile Engineer"]),
        new("sales", "Chief Revenue Officer",
            ["Account Executive", "Sales Representative", "Sales Development Representative", "Account Manager"]),
        new("marketing", "Chief Marketing Officer",
            ["Marketing Specialist", "Content Strategist", "Growth Marketer", "SEO Specialist", "Brand Manager"]),
        new("finance", "Chief Financial Officer", ["Financial Analyst", "Accountant", "Controller", "Auditor"]),
        new("legal", "General Counsel", ["Legal Counsel", "Paralegal", "Compliance Officer"]),
        new("operations", "Chief Operating Officer", ["Operations Analyst", "Operations Coordinator", "Supply Chain Analyst"]),
        new("support", "Chief Customer Officer", ["Customer Support Specialist", "Support Engineer", "Customer Success Manager"]),
        new("human resources", "Chief People Officer", ["Recruiter", "HR Generalist", "Talent Partner"]),
        new("product", "Chief Product Officer", ["Product Manager", "Product Owner", "Product Analyst"]),
        new("design", "Chief Design Officer", ["Product Designer", "UX Researcher", "Graphic Designer"]),
        new("data", "Chief Data Officer", ["Data Scientist", "Data Analyst", "Machine Learning Engineer"]),
        new("it", "Chief Information Officer", ["IT Administrator", "Systems Administrator", "Security Analyst"]),
    ];

    /// <summary>Seniority values with their share of contacts.</summary>
    public static readonly (string Value, int Weight)[] Seniorities =
    [
        ("intern", 3), ("junior", 18), ("mid", 30), ("senior", 22), ("manager", 11), ("director", 7), ("vp", 4),
        ("executive", 3), ("owner", 2),
    ];

    public static readonly (string Value, int Weight)[] EmailStatuses =
        [("verified", 55), ("unverified", 25), ("catch_all", 10), ("invalid", 5), ("", 5)];

    public static readonly string[] Stages =
        ["new", "contacted", "qualified", "negotiation", "closed won", "closed lost", "nurturing"];

    public static readonly string[] Industries =
    [
        "software", "saas", "healthcare", "fintech", "home goods", "logistics", "e-commerce", "education",
        "manufacturing", "media", "energy", "biotechnology", "real estate", "retail", "consulting", "cybersecurity",
        "telecommunications", "automotive", "food & beverages", "hospitality", "insurance", "gaming",
    ];

    public static readonly string[] Keywords =
    [
        "sustainable", "b2b", "b2c", "enterprise", "ai", "cloud", "marketplace", "analytics", "mobile", "platform",
        "open source", "remote-first", "subscription", "api", "automation", "hardware", "data", "privacy",
    ];

    public static readonly string[] Technologies =
    [
        "mysql", "google cloud", "aws", "azure", "react", "angular", "salesforce", "hubspot", "kubernetes", "docker",
        "postgresql", "mongodb", "stripe", "shopify", "wordpress", "google analytics", "segment", "zendesk", "slack",
        "jira", "snowflake", "python", "node.js", "java", "go", "terraform", "datadog", "intercom",
    ];

    public static readonly string[] NamePrefixes =
    [
        "Tornado", "Aurora", "Pioneer", "Hermes", "Trans", "Nova", "Apex", "Blue", "Bright", "Cedar", "Crest", "Delta",
        "Echo", "Ember", "Falcon", "Granite", "Harbor", "Horizon", "Iron", "Juniper", "Keystone", "Lumen", "Maple",
        "Meridian", "Nimbus", "Orbit", "Pine", "Quantum", "Radiant", "Sierra", "Silver", "Summit", "Terra", "Vertex",
        "Willow", "Zenith", "Acme", "Atlas", "Beacon", "Cobalt", "Copper", "Evergreen", "Northwind", "Polar", "Redwood",
    ];

    public static readonly string[] NameSuffixes =
    [
        "Networks", "Systems", "Labs", "Software", "Technologies", "Technology Partners", "Health", "Logistics",
        "Analytics", "Dynamics", "Solutions", "Ventures", "Foods", "Energy", "Media", "Robotics", "Capital", "Works",
        "ware", "Group", "Industries", "Consulting", "Security", "Bio",
    ];

    public static readonly string[] TopLevelDomains = ["com", "io", "co", "net", "ai", "info"];

    public static readonly string[] FundingRounds =
        ["Seed", "Series A", "Series B", "Series C", "Series D", "Venture (Round not Specified)", "Private Equity"];
}
