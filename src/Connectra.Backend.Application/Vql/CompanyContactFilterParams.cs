using System.Globalization;
using System.Text.Json;
using Connectra.Client;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Vql;

/// <summary>
/// The query-string filters of S1/S2, the contacts of one company (backend-api.md §5.4). Every parameter is kept,
/// including those Connectra cannot filter: <see cref="VqlConverter.CompanyContactsWhere"/> refuses them by name
/// instead of ignoring them as the original did.
/// </summary>
public sealed record CompanyContactFilterParams
{
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Title { get; init; }
    public string? Seniority { get; init; }

    /// <summary>Query key <c>departments</c> (alias <c>department</c>): contacts having this department.</summary>
    public string? Departments { get; init; }

    public string? EmailStatus { get; init; }
    public string? Status { get; init; }
    public string? Email { get; init; }

    /// <summary>Query key <c>contact_location</c> (alias <c>text_search</c>).</summary>
    public string? ContactLocation { get; init; }

    public string? WorkDirectPhone { get; init; }
    public string? HomePhone { get; init; }
    public string? MobilePhone { get; init; }
    public string? OtherPhone { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? Country { get; init; }
    public string? PersonLinkedinUrl { get; init; }
    public string? Website { get; init; }
    public string? FacebookUrl { get; init; }
    public string? TwitterUrl { get; init; }
    public string? Stage { get; init; }

    public IReadOnlyList<string> ExcludeTitles { get; init; } = [];
    public IReadOnlyList<string> ExcludeContactLocations { get; init; } = [];
    public IReadOnlyList<string> ExcludeSeniorities { get; init; } = [];
    public IReadOnlyList<string> ExcludeDepartments { get; init; } = [];

    /// <summary>Inclusive; a date alone means the start of that UTC day.</summary>
    public DateTimeOffset? CreatedAtAfter { get; init; }

    /// <summary>Inclusive; a date alone means the end of that UTC day (its last millisecond).</summary>
    public DateTimeOffset? CreatedAtBefore { get; init; }

    public DateTimeOffset? UpdatedAtAfter { get; init; }
    public DateTimeOffset? UpdatedAtBefore { get; init; }

    /// <summary>Free-text search across fields; Connectra cannot OR across fields, so it is refused when given.</summary>
    public string? Search { get; init; }

    /// <summary>Sort clauses for <see cref="VqlConverter.ToOrderBy"/> (location "ordering").</summary>
    public string? Ordering { get; init; }

    /// <summary>≥ 1 when given.</summary>
    public int? Page { get; init; }

    /// <summary>≥ 1 when given.</summary>
    public int? PageSize { get; init; }

    /// <summary>Accepted for compatibility; every contact is one row anyway.</summary>
    public bool Distinct { get; init; }

    /// <summary>Raw; the paging layer decodes and validates it.</summary>
    public string? Cursor { get; init; }

    /// <summary>
    /// Reads the documented keys (case-insensitively, unknown keys ignored). Single-valued keys given twice with
    /// different values are refused; <c>exclude_*</c> values may be repeated keys, JSON array strings or
    /// comma-separated, and are trimmed and de-duplicated.
    /// </summary>
    public static CompanyContactFilterParams From(IReadOnlyDictionary<string, IReadOnlyList<string>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var reader = new QueryReader(query);
        return new CompanyContactFilterParams
        {
            FirstName = reader.Single("first_name"),
            LastName = reader.Single("last_name"),
            Title = reader.Single("title"),
            Seniority = reader.Single("seniority"),
            Departments = reader.Single("departments", "department"),
            EmailStatus = reader.Single("email_status"),
            Status = reader.Single("status"),
            Email = reader.Single("email"),
            ContactLocation = reader.Single("contact_location", "text_search"),
            WorkDirectPhone = reader.Single("work_direct_phone"),
            HomePhone = reader.Single("home_phone"),
            MobilePhone = reader.Single("mobile_phone"),
            OtherPhone = reader.Single("other_phone"),
            City = reader.Single("city"),
            State = reader.Single("state"),
            Country = reader.Single("country"),
            PersonLinkedinUrl = reader.Single("person_linkedin_url"),
            Website = reader.Single("website"),
            FacebookUrl = reader.Single("facebook_url"),
            TwitterUrl = reader.Single("twitter_url"),
            Stage = reader.Single("stage"),
            // Titles and locations are searched as analysed (case-insensitive) text, so case variants are
            // duplicates; seniorities and departments are case-sensitive keywords, where they are not.
            ExcludeTitles = reader.Many("exclude_titles", StringComparer.OrdinalIgnoreCase),
            ExcludeContactLocations = reader.Many("exclude_contact_locations", StringComparer.OrdinalIgnoreCase),
            ExcludeSeniorities = reader.Many("exclude_seniorities", StringComparer.Ordinal),
            ExcludeDepartments = reader.Many("exclude_departments", StringComparer.Ordinal),
            CreatedAtAfter = reader.Date("created_at_after", endOfDay: false),
            CreatedAtBefore = reader.Date("created_at_before", endOfDay: true),
            UpdatedAtAfter = reader.Date("updated_at_after", endOfDay: false),
            UpdatedAtBefore = reader.Date("updated_at_before", endOfDay: true),
            Search = reader.Single("search"),
            Ordering = reader.Single("ordering"),
            Page = reader.Int("page", minimum: 1),
            PageSize = reader.Int("page_size", minimum: 1),
            Distinct = reader.Bool("distinct"),
            Cursor = reader.Single("cursor"),
        };
    }

    private sealed class QueryReader(IReadOnlyDictionary<string, IReadOnlyList<string>> query)
    {
        private readonly Dictionary<string, List<string>> _values = Index(query);

        private static Dictionary<string, List<string>> Index(IReadOnlyDictionary<string, IReadOnlyList<string>> query)
        {
            var values = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, list) in query)
            {
                if (!values.TryGetValue(key.Trim(), out var all))
                {
                    values[key.Trim()] = all = [];
                }

                all.AddRange(list.Where(v => v is not null));
            }

            return values;
        }

        private List<(string Key, string Value)> Raw(string key, string[] aliases) =>
            aliases.Prepend(key)
                .SelectMany(k => _values.TryGetValue(k, out var list) ? list.Select(v => (k, v)) : [])
                .ToList();

        public string? Single(string key, params string[] aliases)
        {
            var given = Raw(key, aliases).Select(r => r.Value.Trim()).Where(v => v.Length > 0).Distinct().ToList();
            return given.Count switch
            {
                0 => null,
                1 => given[0],
                _ => throw new VqlValidationException(key,
                    $"{key} was given more than once with different values ({string.Join(", ", given.Select(v => $"'{v}'"))}); send one"),
            };
        }

        public List<string> Many(string key, StringComparer comparer)
        {
            var items = new List<string>();
            foreach (var (_, raw) in Raw(key, []))
            {
                var text = raw.Trim();
                IEnumerable<string?> parts;
                if (text.StartsWith('['))
                {
                    try
                    {
                        parts = JsonSerializer.Deserialize(text, ConnectraJsonContext.Default.IReadOnlyListString) ?? [];
                    }
                    catch (JsonException)
                    {
                        throw new VqlValidationException(key, $"{key} starts with '[' but is not a JSON array of strings");
                    }
                }
                else
                {
                    parts = text.Split(',');
                }

                foreach (var part in parts)
                {
                    var value = part?.Trim();
                    if (!string.IsNullOrEmpty(value) && !items.Contains(value, comparer))
                    {
                        items.Add(value);
                    }
                }
            }

            return items;
        }

        public int? Int(string key, int minimum)
        {
            var text = Single(key);
            if (text is null)
            {
                return null;
            }

            return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum
                ? value
                : throw new VqlValidationException(key, $"{key} must be an integer of at least {minimum}, not '{text}'");
        }

        public DateTimeOffset? Date(string key, bool endOfDay)
        {
            var text = Single(key);
            if (text is null)
            {
                return null;
            }

            if (!VqlValues.TryParseDate(text, allowDateMath: false, out var date))
            {
                throw new VqlValidationException(key,
                    $"{key} must be an ISO-8601 date (2025-01-31) or date-time (2025-01-31T08:00:00Z), not '{text}'");
            }

            // Both bounds are inclusive: a date alone reaches from the start of its UTC day to its last
            // millisecond, the precision of Connectra's date fields.
            return new DateTimeOffset(endOfDay ? date.End!.Value : date.Start!.Value, TimeSpan.Zero);
        }

        public bool Bool(string key)
        {
            var text = Single(key);
            return text is not null && text.ToLowerInvariant() is "true" or "1" or "yes" or "y" or "on";
        }
    }
}

/// <summary>Turns <see cref="CompanyContactFilterParams"/> into conditions on the contact catalogue (docs/vql.md).</summary>
internal static class CompanyContactFilter
{
    public static List<FilterLeaf> Leaves(string companyUuid, CompanyContactFilterParams p)
    {
        var contacts = FieldCatalogue.Contacts;
        var leaves = new List<FilterLeaf>
        {
            FilterLeaf.Internal(contacts.Resolve("company_id")!, FilterOperator.Eq, VqlValue.Of(companyUuid), "company_uuid"),
        };

        void Add(string param, string field, FilterOperator op, string? value)
        {
            if (value is not null)
            {
                leaves.Add(FilterLeaf.Internal(Filterable(param, field), op, VqlValue.Of(value), param));
            }
        }

        void AddList(string param, string field, FilterOperator op, IReadOnlyList<string> values)
        {
            if (values.Count > 0)
            {
                leaves.Add(FilterLeaf.Internal(Filterable(param, field), op, VqlValue.Of(values), param));
            }
        }

        void AddDate(string param, FilterOperator op, DateTimeOffset? value)
        {
            if (value is not null)
            {
                leaves.Add(FilterLeaf.Internal(contacts.Resolve("created_at")!, op, VqlValue.Of(value.Value), param));
            }
        }

        // Names and titles are searched word by word, like 'contains' in the client dialect; the original's
        // 'contains' on keyword fields cannot be a partial match in Connectra, so those are whole-value equality.
        Add("first_name", "first_name", FilterOperator.Contains, p.FirstName);
        Add("last_name", "last_name", FilterOperator.Contains, p.LastName);
        Add("title", "title", FilterOperator.Contains, p.Title);
        Add("seniority", "seniority", FilterOperator.Eq, p.Seniority);
        Add("departments", "departments", FilterOperator.Contains, p.Departments);
        Add("email_status", "email_status", FilterOperator.Eq, p.EmailStatus);
        Add("status", "status", FilterOperator.Eq, p.Status);
        Add("email", "email", FilterOperator.Eq, p.Email);
        Add("contact_location", "contact_location", FilterOperator.Contains, p.ContactLocation);
        Add("work_direct_phone", "work_direct_phone", FilterOperator.Eq, p.WorkDirectPhone);
        Add("home_phone", "home_phone", FilterOperator.Eq, p.HomePhone);
        Add("mobile_phone", "mobile_phone", FilterOperator.Eq, p.MobilePhone);
        Add("other_phone", "other_phone", FilterOperator.Eq, p.OtherPhone);
        Add("city", "city", FilterOperator.Eq, p.City);
        Add("state", "state", FilterOperator.Eq, p.State);
        Add("country", "country", FilterOperator.Eq, p.Country);
        Add("person_linkedin_url", "person_linkedin_url", FilterOperator.Eq, p.PersonLinkedinUrl);
        Add("website", "website", FilterOperator.Eq, p.Website);
        Add("facebook_url", "facebook_url", FilterOperator.Eq, p.FacebookUrl);
        Add("twitter_url", "twitter_url", FilterOperator.Eq, p.TwitterUrl);
        Add("stage", "stage", FilterOperator.Eq, p.Stage);
        AddList("exclude_titles", "title", FilterOperator.Nin, p.ExcludeTitles);
        AddList("exclude_contact_locations", "contact_location", FilterOperator.Nin, p.ExcludeContactLocations);
        AddList("exclude_seniorities", "seniority", FilterOperator.Nin, p.ExcludeSeniorities);
        AddList("exclude_departments", "departments", FilterOperator.Nin, p.ExcludeDepartments);
        AddDate("created_at_after", FilterOperator.Gte, p.CreatedAtAfter);
        AddDate("created_at_before", FilterOperator.Lte, p.CreatedAtBefore);
        if (p.UpdatedAtAfter is not null || p.UpdatedAtBefore is not null)
        {
            throw new VqlValidationException(p.UpdatedAtAfter is not null ? "updated_at_after" : "updated_at_before",
                "Connectra does not index updated_at, so contacts cannot be filtered by it");
        }

        if (p.Search is not null)
        {
            throw new VqlValidationException("search",
                "a free-text search over several fields would be an OR across fields, which Connectra's VQL cannot express; use the field parameters");
        }

        return leaves;
    }

    private static FieldDefinition Filterable(string param, string fieldName)
    {
        var field = FieldCatalogue.Contacts.Resolve(fieldName)!;
        if (!field.Filterable)
        {
            throw new VqlValidationException(param, field.Kind == FieldKind.Unavailable
                ? $"{param} cannot filter contacts: {field.Note}"
                : $"{param} cannot filter contacts: Connectra returns it but does not index it for search");
        }

        return field;
    }
}
