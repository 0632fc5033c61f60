using System.Collections.Frozen;
using Connectra.Client.Records;

namespace Connectra.Backend.Application.Contacts;

/// <summary>The values a contact holds in its PostgreSQL columns, for value lists computed from contacts.</summary>
internal static class ContactColumns
{
    private static readonly FrozenDictionary<string, Func<ConnectraContact, string?>> Scalars =
        new Dictionary<string, Func<ConnectraContact, string?>>(StringComparer.Ordinal)
        {
            ["uuid"] = c => c.Uuid,
            ["first_name"] = c => c.FirstName,
            ["last_name"] = c => c.LastName,
            ["company_id"] = c => c.CompanyId,
            ["email"] = c => c.Email,
            ["title"] = c => c.Title,
            ["mobile_phone"] = c => c.MobilePhone,
            ["email_status"] = c => c.EmailStatus,
            ["seniority"] = c => c.Seniority,
            ["city"] = c => c.City,
            ["state"] = c => c.State,
            ["country"] = c => c.Country,
            ["linkedin_url"] = c => c.LinkedinUrl,
            ["facebook_url"] = c => c.FacebookUrl,
            ["twitter_url"] = c => c.TwitterUrl,
            ["website"] = c => c.Website,
            ["work_direct_phone"] = c => c.WorkDirectPhone,
            ["home_phone"] = c => c.HomePhone,
            ["other_phone"] = c => c.OtherPhone,
            ["stage"] = c => c.Stage,
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>True for the columns that hold text values (times have none a value list could show).</summary>
    public static bool HasValues(string column) => column == "departments" || Scalars.ContainsKey(column);

    /// <summary>The non-empty values a contact holds in one column (a list column gives each element).</summary>
    public static IReadOnlyList<string> Values(ConnectraContact contact, string column) =>
        column == "departments"
            ? Application.Values.CleanList(contact.Departments)
            : Scalars.TryGetValue(column, out var read) && Application.Values.Clean(read(contact)) is { } value ? [value] : [];
}
