using Connectra.Client.Records;

namespace Connectra.Backend.Application.Contacts;

internal static class ContactColumns
{
    /// <summary>The non-empty values a contact holds in one PostgreSQL column (a list column gives each element).</summary>
    public static IReadOnlyList<string> Values(ConnectraContact contact, string column) =>
        column == "departments"
            ? Application.Values.CleanList(contact.Departments)
            : Application.Values.Clean(Scalar(contact, column)) is { } value ? [value] : [];

    private static string? Scalar(ConnectraContact contact, string column) => column switch
    {
        "uuid" => contact.Uuid,
        "first_name" => contact.FirstName,
        "last_name" => contact.LastName,
        "company_id" => contact.CompanyId,
        "email" => contact.Email,
        "title" => contact.Title,
        "mobile_phone" => contact.MobilePhone,
        "email_status" => contact.EmailStatus,
        "seniority" => contact.Seniority,
        "city" => contact.City,
        "state" => contact.State,
        "country" => contact.Country,
        "linkedin_url" => contact.LinkedinUrl,
        "facebook_url" => contact.FacebookUrl,
        "twitter_url" => contact.TwitterUrl,
        "website" => contact.Website,
        "work_direct_phone" => contact.WorkDirectPhone,
        "home_phone" => contact.HomePhone,
        "other_phone" => contact.OtherPhone,
        "stage" => contact.Stage,
        _ => null,
    };
}
