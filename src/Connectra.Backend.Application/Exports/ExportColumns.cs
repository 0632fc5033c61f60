using System.Globalization;
using Connectra.Client.Records;

namespace Connectra.Backend.Application.Exports;

/// <summary>One CSV column: its header, the Connectra columns it is read from, and how its cell is made.</summary>
/// <param name="Name">The header, e.g. <c>contact_email</c>.</param>
/// <param name="Reads">Connectra columns of the record the cell comes from (what select_columns must ask for).</param>
/// <param name="FromCompany">True when the cell comes from the contact's company, not the contact itself.</param>
/// <param name="Kind">How the cell is made from what it reads; an export page is read into cells by it (<see cref="ExportPageReader"/>).</param>
/// <param name="Cell">The cell for one record: null and Connectra's unknown placeholder become empty.</param>
public sealed record ExportColumn<T>(string Name, IReadOnlyList<string> Reads, bool FromCompany, ExportCellKind Kind, Func<T, string?> Cell);

/// <summary>How a cell is made from the Connectra values it reads (docs/exports.md#columns).</summary>
public enum ExportCellKind
{
    /// <summary>A string as stored; empty and Connectra's unknown placeholder <c>_</c> become an empty cell.</summary>
    Text,

    /// <summary>A list of strings, empty and unknown items left out, the rest joined with <see cref="ExportColumns.ListSeparator"/>.</summary>
    List,

    /// <summary>A 64-bit integer in invariant digits.</summary>
    Number,

    /// <summary>A timestamp as ISO-8601 UTC with the fraction's trailing zeros dropped.</summary>
    Time,

    /// <summary>"city state country" of the known parts, from three text fields.</summary>
    Location,
}

/// <summary>
/// The CSV layouts (docs/exports.md#columns): 48 contact columns, 24 company columns, each from its true source.
/// Lists are joined with "," in every column of both files; times are ISO-8601 UTC; numbers are invariant.
/// </summary>
public static class ExportColumns
{
    public const string ListSeparator = ",";

    /// <summary>The 24 company columns, as they appear in the company CSV.</summary>
    public static IReadOnlyList<ExportColumn<ConnectraCompany>> Companies { get; } =
    [
        Company("company_uuid", "uuid", c => c.Uuid),
        Company("company_name", "name", c => c.Name),
        Company("company_employees_count", "employees_count", c => Number(c.EmployeesCount), ExportCellKind.Number),
        Company("company_industries", "industries", c => List(c.Industries), ExportCellKind.List),
        Company("company_keywords", "keywords", c => List(c.Keywords), ExportCellKind.List),
        Company("company_address", "address", c => c.Address),
        Company("company_annual_revenue", "annual_revenue", c => Number(c.AnnualRevenue), ExportCellKind.Number),
        Company("company_total_funding", "total_funding", c => Number(c.TotalFunding), ExportCellKind.Number),
        Company("company_technologies", "technologies", c => List(c.Technologies), ExportCellKind.List),
        new("company_text_search", ["city", "state", "country"], false, ExportCellKind.Location, c => Values.Location(c.City, c.State, c.Country)),
        Company("company_created_at", "created_at", c => Time(c.CreatedAt), ExportCellKind.Time),
        Company("company_updated_at", "updated_at", c => Time(c.UpdatedAt), ExportCellKind.Time),
        Company("company_metadata_linkedin_url", "linkedin_url", c => c.LinkedinUrl),
        Company("company_metadata_facebook_url", "facebook_url", c => c.FacebookUrl),
        Company("company_metadata_twitter_url", "twitter_url", c => c.TwitterUrl),
        Company("company_metadata_website", "website", c => c.Website),
        Company("company_metadata_company_name_for_emails", "company_name_for_emails", c => c.CompanyNameForEmails),
        Company("company_metadata_phone_number", "phone_number", c => c.PhoneNumber),
        Company("company_metadata_latest_funding", "latest_funding", c => c.LatestFunding),
        Company("company_metadata_latest_funding_amount", "latest_funding_amount", c => Number(c.LatestFundingAmount), ExportCellKind.Number),
        Company("company_metadata_last_raised_at", "last_raised_at", c => c.LastRaisedAt),
        Company("company_metadata_city", "city", c => c.City),
        Company("company_metadata_state", "state", c => c.State),
        Company("company_metadata_country", "country", c => c.Country),
    ];

    /// <summary>
    /// The 48 contact columns: 13 of the contact, 11 of its secondary fields, then the 24 of its company, read from
    /// the company record Connectra attaches (never copied from the contact).
    /// </summary>
    public static IReadOnlyList<ExportColumn<ConnectraContact>> Contacts { get; } =
    [
        Contact("contact_uuid", "uuid", c => c.Uuid),
        Contact("contact_first_name", "first_name", c => c.FirstName),
        Contact("contact_last_name", "last_name", c => c.LastName),
        Contact("contact_company_id", "company_id", c => c.CompanyId),
        Contact("contact_email", "email", c => c.Email),
        Contact("contact_title", "title", c => c.Title),
        Contact("contact_departments", "departments", c => List(c.Departments), ExportCellKind.List),
        Contact("contact_mobile_phone", "mobile_phone", c => c.MobilePhone),
        Contact("contact_email_status", "email_status", c => c.EmailStatus),
        new("contact_text_search", ["city", "state", "country"], false, ExportCellKind.Location, c => Values.Location(c.City, c.State, c.Country)),
        Contact("contact_seniority", "seniority", c => c.Seniority),
        Contact("contact_created_at", "created_at", c => Time(c.CreatedAt), ExportCellKind.Time),
        Contact("contact_updated_at", "updated_at", c => Time(c.UpdatedAt), ExportCellKind.Time),
        Contact("contact_metadata_linkedin_url", "linkedin_url", c => c.LinkedinUrl),
        Contact("contact_metadata_facebook_url", "facebook_url", c => c.FacebookUrl),
        Contact("contact_metadata_twitter_url", "twitter_url", c => c.TwitterUrl),
        Contact("contact_metadata_website", "website", c => c.Website),
        Contact("contact_metadata_work_direct_phone", "work_direct_phone", c => c.WorkDirectPhone),
        Contact("contact_metadata_home_phone", "home_phone", c => c.HomePhone),
        Contact("contact_metadata_city", "city", c => c.City),
        Contact("contact_metadata_state", "state", c => c.State),
        Contact("contact_metadata_country", "country", c => c.Country),
        Contact("contact_metadata_other_phone", "other_phone", c => c.OtherPhone),
        Contact("contact_metadata_stage", "stage", c => c.Stage),
        .. Companies.Select(column => new ExportColumn<ConnectraContact>(
            column.Name, column.Reads, FromCompany: true, column.Kind, c => c.Company is { } company ? column.Cell(company) : null)),
    ];

    /// <summary>The chosen columns in the order given, or all of them; unknown, repeated or untrimmed names are refused by name.</summary>
    public static IReadOnlyList<ExportColumn<T>> Choose<T>(IReadOnlyList<ExportColumn<T>> all, IReadOnlyList<string>? names, string location)
    {
        if (names is null || names.Count == 0)
        {
            return all;
        }

        if (names.Count > all.Count)
        {
            throw new Vql.VqlValidationException(location, $"at most {all.Count} columns exist, {names.Count} were asked for");
        }

        var chosen = new List<ExportColumn<T>>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            // Exact, as the header the name becomes is: a name with spaces around it is refused, not trimmed.
            var column = all.FirstOrDefault(c => string.Equals(c.Name, names[i], StringComparison.Ordinal))
                ?? throw new Vql.VqlValidationException($"{location}[{i}]", Unknown(all, names[i]));
            if (chosen.Contains(column))
            {
                throw new Vql.VqlValidationException($"{location}[{i}]", $"'{column.Name}' is listed twice");
            }

            chosen.Add(column);
        }

        return chosen;
    }

    private static ExportColumn<ConnectraContact> Contact(
        string name, string column, Func<ConnectraContact, string?> cell, ExportCellKind kind = ExportCellKind.Text) =>
        new(name, [column], false, kind, cell);

    private static ExportColumn<ConnectraCompany> Company(
        string name, string column, Func<ConnectraCompany, string?> cell, ExportCellKind kind = ExportCellKind.Text) =>
        new(name, [column], false, kind, cell);

    private static string? List(IReadOnlyList<string>? values) =>
        Values.CleanList(values) is { Count: > 0 } list ? string.Join(ListSeparator, list) : null;

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Time(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static string Unknown<T>(IReadOnlyList<ExportColumn<T>> all, string? name) =>
        name is not null && all.FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.Ordinal)) is { } spaced
            ? $"'{Shorten(name)}' has white space around it; column names are exact: '{spaced.Name}'"
            : $"'{Shorten(name)}' is not a column of this export; the columns are: {string.Join(", ", all.Select(c => c.Name))}";

    private static string Shorten(string? text) => text is null ? "null" : text.Length <= 64 ? text : text[..64] + "…";
}
