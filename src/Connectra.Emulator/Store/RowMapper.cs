using System.Globalization;
using System.Text;
using Connectra.Client.Records;

namespace Connectra.Emulator.Store;

/// <summary>
/// Turns one CSV-style row of <c>POST /common/batch-upsert</c> into a contact and its company exactly as Connectra
/// does (docs/connectra.md#row-batch-upsert), mangling included (X14): <c>C++</c> becomes <c>C</c>, all digits of a money value
/// are concatenated, and the company domain comes from the contact's email.
/// </summary>
internal static class RowMapper
{
    public static (ConnectraContact Contact, ConnectraCompany Company) Map(IReadOnlyDictionary<string, string> raw)
    {
        var row = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in raw)
        {
            row[Clean(key)] = Clean(value);
        }

        string Get(string key) => row.GetValueOrDefault(key) ?? "";
        string Lower(string key) => Get(key).ToLowerInvariant();

        var email = Lower("email");
        var companyName = Get("company");
        var companyLinkedin = Lower("company_linkedin_url");
        var companyUuid = Uuid5.Create(companyName.ToLowerInvariant() + companyLinkedin);
        var firstName = Lower("first_name");
        var lastName = Lower("last_name");
        var personLinkedin = Lower("person_linkedin_url");

        var company = new ConnectraCompany
        {
            Uuid = companyUuid,
            Name = companyName,
            EmployeesCount = Digits(Get("employees")),
            Industries = List(Get("industry")),
            Keywords = List(Get("keywords")),
            Address = Get("company_address"),
            AnnualRevenue = Digits(Get("annual_revenue")),
            TotalFunding = Digits(Get("total_funding")),
            Technologies = List(Get("technologies")),
            City = Lower("company_city"),
            State = Lower("company_state"),
            Country = Lower("company_country"),
            LinkedinUrl = companyLinkedin,
            Website = Get("website"),
            NormalizedDomain = email.Contains('@', StringComparison.Ordinal) ? email[(email.IndexOf('@', StringComparison.Ordinal) + 1)..] : "",
            FacebookUrl = Get("facebook_url"),
            TwitterUrl = Get("twitter_url"),
            CompanyNameForEmails = Get("company_name_for_emails"),
            PhoneNumber = Phone(Get("company_phone")),
            LatestFunding = Get("latest_funding"),
            LatestFundingAmount = Digits(Get("latest_funding_amount")),
            LastRaisedAt = Get("last_raised_at"),
        };

        var contact = new ConnectraContact
        {
            Uuid = Uuid5.Create(firstName + lastName + personLinkedin),
            FirstName = firstName,
            LastName = lastName,
            CompanyId = companyUuid,
            Email = email,
            Title = Get("title"),
            Departments = List(Get("departments")),
            MobilePhone = Phone(Get("mobile_phone")),
            EmailStatus = Lower("email_status"),
            Seniority = Lower("seniority"),
            City = Lower("city"),
            State = Lower("state"),
            Country = Lower("country"),
            LinkedinUrl = personLinkedin,
            FacebookUrl = Get("facebook_url"),
            TwitterUrl = Get("twitter_url"),
            WorkDirectPhone = Phone(Get("work_direct_phone")),
            HomePhone = Phone(Get("home_phone")),
            OtherPhone = Phone(Get("other_phone")),
            Stage = Lower("stage"),
        };
        return (contact, company);
    }

    /// <summary>Strips non-alphanumeric characters at both ends and folds inner whitespace runs to one space.</summary>
    internal static string Clean(string value)
    {
        var start = 0;
        var end = value.Length;
        while (start < end && !char.IsLetterOrDigit(value[start]))
        {
            start++;
        }

        while (end > start && !char.IsLetterOrDigit(value[end - 1]))
        {
            end--;
        }

        var result = new StringBuilder(end - start);
        var inSpace = false;
        for (var i = start; i < end; i++)
        {
            if (char.IsWhiteSpace(value[i]))
            {
                if (!inSpace)
                {
                    result.Append(' ');
                }

                inSpace = true;
            }
            else
            {
                result.Append(value[i]);
                inSpace = false;
            }
        }

        return result.ToString();
    }

    /// <summary>Every digit concatenated: "$1.5M" is 15 and "2,500,000.00" is 250000000; none (or too many) is 0.</summary>
    internal static long Digits(string value)
    {
        var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
    }

    /// <summary>Comma-separated, trimmed, lower-cased, empties dropped.</summary>
    internal static IReadOnlyList<string> List(string value) =>
        value.Split(',').Select(v => v.Trim().ToLowerInvariant()).Where(v => v.Length > 0).ToList();

    /// <summary>Digits with a leading plus; cleaning already removed any plus the value had.</summary>
    internal static string Phone(string value)
    {
        var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
        return digits.Length == 0 ? "" : "+" + digits;
    }
}
