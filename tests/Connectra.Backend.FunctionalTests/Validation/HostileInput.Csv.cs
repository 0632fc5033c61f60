using System.Text.Json;

namespace Connectra.Backend.FunctionalTests.Validation;

/// <summary>A record body for a write route, and the cells an export of that record must hold, by CSV column.</summary>
public sealed record CsvHostileRecord(string Body, IReadOnlyDictionary<string, string> Cells);

/// <summary>
/// The CSV part of the hostile corpus: text that is legitimate to store but splits CSV records (CR, LF, quotes,
/// commas, in text and in list values) or smuggles a formula into a spreadsheet (ASCII, full-width and
/// invisible-led). The write routes accept it; every export must read back strictly as exactly these cells, with
/// the formulas behind a <c>'</c> (docs/exports.md#format). The write side trims white space, so the invisible leads
/// here are the ones it keeps (zero-width characters, word joiner, byte-order mark).
/// </summary>
public static partial class HostileInput
{
    /// <summary>The country of every CSV-hostile record, which the export tests' queries over real data leave out.</summary>
    public const string CsvCountry = "nowhere";

    /// <summary>The export columns <see cref="CsvHostileRecord.Cells"/> name, in file order.</summary>
    public static readonly string[] CsvColumns =
    [
        "contact_first_name", "contact_last_name", "contact_email", "contact_title", "contact_departments", "contact_mobile_phone",
        "contact_text_search", "contact_metadata_city", "contact_metadata_state", "contact_metadata_stage", "company_name",
    ];

    public static CsvHostileRecord CsvCompany { get; } = new(
        JsonSerializer.Serialize(new { name = "\u200B-1+1, \"Acme\"\r\nInc", metadata = new { country = CsvCountry } }),
        new Dictionary<string, string> { ["company_name"] = "'\u200B-1+1, \"Acme\"\r\nInc" });

    /// <summary>Contacts of the CSV class; the second belongs to <paramref name="companyUuid"/> (<see cref="CsvCompany"/>).</summary>
    public static IReadOnlyList<CsvHostileRecord> CsvContacts(string companyUuid) =>
    [
        new(JsonSerializer.Serialize(new
        {
            first_name = "Bob\n=2+5*cmd|/C calc!A0",
            last_name = "Smith\r=1+1",
            title = "\uFEFF+cmd|' /C calc'!A0",
            departments = new[] { "sales\n=1+1", "hr" },
            mobile_phone = "+15550100",
            metadata = new { city = "＝1+1", state = "\u200B@SUM(1)", country = CsvCountry, stage = "\u2060\u3000－1" },
        }), new Dictionary<string, string>
        {
            ["contact_first_name"] = "Bob\n=2+5*cmd|/C calc!A0",
            ["contact_last_name"] = "Smith\r=1+1",
            ["contact_email"] = "",
            ["contact_title"] = "'\uFEFF+cmd|' /C calc'!A0",
            ["contact_departments"] = "sales\n=1+1,hr",
            ["contact_mobile_phone"] = "'+15550100",
            ["contact_text_search"] = $"'＝1+1 \u200B@SUM(1) {CsvCountry}",
            ["contact_metadata_city"] = "'＝1+1",
            ["contact_metadata_state"] = "'\u200B@SUM(1)",
            ["contact_metadata_stage"] = "'\u2060\u3000－1",
            ["company_name"] = "",
        }),
        new(JsonSerializer.Serialize(new
        {
            first_name = "\u200D=HYPERLINK(\"http://evil.example\",\"click\")",
            last_name = "O'Brien, \"Jr.\"",
            email = "=x@evil.example",
            title = "Head of\r\n@Growth",
            departments = new[] { "a\r\nb", "＠c" },
            company_id = companyUuid,
            metadata = new { city = "\r\n", country = CsvCountry, stage = "lead" },
        }), new Dictionary<string, string>
        {
            ["contact_first_name"] = "'\u200D=HYPERLINK(\"http://evil.example\",\"click\")",
            ["contact_last_name"] = "O'Brien, \"Jr.\"",
            ["contact_email"] = "'=x@evil.example",
            ["contact_title"] = "Head of\r\n@Growth",
            ["contact_departments"] = "a\r\nb,＠c",
            ["contact_mobile_phone"] = "",
            ["contact_text_search"] = CsvCountry,
            ["contact_metadata_city"] = "",
            ["contact_metadata_state"] = "",
            ["contact_metadata_stage"] = "lead",
            ["company_name"] = CsvCompany.Cells["company_name"],
        }),
        new(JsonSerializer.Serialize(new { first_name = "Ada", last_name = "Lovelace", metadata = new { country = CsvCountry } }), new Dictionary<string, string>
        {
            ["contact_first_name"] = "Ada", ["contact_last_name"] = "Lovelace", ["contact_email"] = "", ["contact_title"] = "",
            ["contact_departments"] = "", ["contact_mobile_phone"] = "", ["contact_text_search"] = CsvCountry, ["contact_metadata_city"] = "",
            ["contact_metadata_state"] = "", ["contact_metadata_stage"] = "", ["company_name"] = "",
        }),
    ];
}
