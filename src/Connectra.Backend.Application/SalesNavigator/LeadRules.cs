namespace Connectra.Backend.Application.SalesNavigator;

/// <summary>
/// What a lead's free text says about the records it becomes (docs/sales-navigator.md#mapping). Every keyword is
/// matched as a whole word or phrase: "Director" does not contain "cto", "Shopper" does not contain "hr".
/// </summary>
public static class LeadRules
{
    /// <summary>Seniority by title, the first rule that matches winning; the levels are the write side's.</summary>
    private static readonly (string Level, string[] Phrases)[] Seniorities =
    [
        ("executive", ["ceo", "cto", "cfo", "coo", "cmo", "cio", "chief", "founder", "co-founder", "cofounder", "founding", "president"]),
        ("director", ["director", "vp", "svp", "evp", "vice president"]),
        ("manager", ["manager", "lead", "head"]),
        ("senior_ic", ["senior", "sr", "principal"]),
        ("entry", ["junior", "jr", "intern", "entry", "associate", "trainee"]),
    ];

    /// <summary>Departments by title and blurb; a lead may be in several.</summary>
    private static readonly (string Department, string[] Phrases)[] Departments =
    [
        ("engineering", ["engineer", "engineering", "developer", "software", "devops", "sre", "architect", "programmer", "cto"]),
        ("sales", ["sales", "account executive", "business development", "bd", "bdr", "sdr", "account manager"]),
        ("marketing", ["marketing", "growth", "brand", "seo", "content", "cmo", "demand generation"]),
        ("product", ["product", "pm", "product manager", "product owner"]),
        ("operations", ["operations", "ops", "logistics", "supply chain", "coo"]),
        ("finance", ["finance", "financial", "accounting", "accountant", "controller", "cfo", "treasury"]),
        ("hr", ["hr", "human resources", "recruiter", "recruiting", "talent", "people operations"]),
        ("legal", ["legal", "counsel", "attorney", "lawyer", "compliance", "paralegal"]),
    ];

    /// <summary>Technologies named in a blurb, stored under these names.</summary>
    private static readonly string[] Technologies =
    [
        "python", "java", "javascript", "typescript", "react", "angular", "vue", "node.js", "c#", ".net", "golang", "rust", "scala",
        "kotlin", "swift", "ruby", "php", "aws", "azure", "gcp", "docker", "kubernetes", "terraform", "postgresql", "mysql",
        "mongodb", "redis", "kafka", "spark", "snowflake", "elasticsearch", "graphql", "salesforce", "hubspot",
    ];

    public static string? Seniority(string? title)
    {
        var words = Words(title);
        // "Vice President" names a director; "President" alone the top of the company.
        var vicePresident = Contains(words, ["vice", "president"]);
        var president = words.Where((w, i) => w == "president" && (i == 0 || words[i - 1] != "vice")).Any();
        foreach (var (level, phrases) in Seniorities)
        {
            if (phrases.Any(p => p == "president" ? president : Contains(words, Words(p))))
            {
                return level;
            }

            if (level == "director" && vicePresident)
            {
                return level;
            }
        }

        return null;
    }

    public static IReadOnlyList<string> DepartmentsOf(string? title, string? about)
    {
        var words = Words(title);
        var blurb = Words(about);
        return [.. Departments.Where(d => d.Phrases.Any(p => Contains(words, Words(p)) || Contains(blurb, Words(p)))).Select(d => d.Department)];
    }

    public static IReadOnlyList<string> TechnologiesOf(string? about)
    {
        if (about is null)
        {
            return [];
        }

        // Names such as "node.js", "c#" and ".net" keep their punctuation, so words split on spaces and on the
        // punctuation that only ends or separates them.
        var tokens = about.ToLowerInvariant()
            .Split([' ', '\t', '\n', '\r', ',', ';', ':', '(', ')', '[', ']', '/', '|', '!', '?', '"', '\'', '&', '\u00A0'], StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.TrimEnd('.'))
            .ToHashSet(StringComparer.Ordinal);
        return [.. Technologies.Where(tokens.Contains)];
    }

    /// <summary>"City, State, Country"; two parts are city and country, one part a city, more parts put the middle in state.</summary>
    public static (string? City, string? State, string? Country) Location(string? location)
    {
        var parts = (location ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch
        {
            0 => (null, null, null),
            1 => (parts[0], null, null),
            2 => (parts[0], null, parts[1]),
            _ => (parts[0], string.Join(", ", parts[1..^1]), parts[^1]),
        };
    }

    /// <summary>The first word is the first name, the rest the last name.</summary>
    public static (string? First, string? Last) Name(string? name)
    {
        var words = (name ?? "").Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return (words.ElementAtOrDefault(0), words.ElementAtOrDefault(1));
    }

    /// <summary>Lower-case runs of letters and digits: "Sr." is "sr", "Co-Founder" is "co" then "founder".</summary>
    internal static string[] Words(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return [.. words];
    }

    /// <summary>Whether <paramref name="phrase"/>'s words occur in <paramref name="words"/> one after another.</summary>
    private static bool Contains(string[] words, string[] phrase)
    {
        for (var i = 0; i + phrase.Length <= words.Length; i++)
        {
            if (phrase.AsSpan().SequenceEqual(words.AsSpan(i, phrase.Length)))
            {
                return true;
            }
        }

        return false;
    }
}
