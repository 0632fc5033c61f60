using Connectra.Backend.Application.Paging;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Vql;

/// <summary>How a filter parameter's value is read from the query string.</summary>
internal enum ParameterKind
{
    /// <summary>One string; the key repeated with a different value is refused.</summary>
    Single,

    /// <summary>A list, kept once ignoring case: analysed text, where case variants are duplicates.</summary>
    TextList,

    /// <summary>A list, kept once exactly: case-sensitive keywords, where case variants are different values.</summary>
    KeywordList,

    /// <summary>An inclusive lower date bound; a date alone means the start of its UTC day.</summary>
    From,

    /// <summary>An inclusive upper date bound; a date alone means the last millisecond of its UTC day.</summary>
    Until,
}

/// <summary>
/// One filter parameter of the company-scoped contact routes: its key and aliases, the contact field it filters,
/// with which operator of the client dialect, and how its value is read. <paramref name="Refusal"/> names why
/// Connectra cannot take the parameter at all, when that is not a property of the field itself.
/// </summary>
internal sealed record FilterParameter(
    string Name, string Field, FilterOperator Operator, ParameterKind Kind, IReadOnlyList<string> Aliases, string? Refusal);

/// <summary>A filter parameter the client gave, with its value read.</summary>
internal sealed record GivenFilter(FilterParameter Parameter, string? Text, IReadOnlyList<string> List, DateTimeOffset? Date)
{
    public System.Text.Json.JsonElement Wire => Parameter.Kind switch
    {
        ParameterKind.Single => VqlValue.Of(Text!),
        ParameterKind.TextList or ParameterKind.KeywordList => VqlValue.Of(List),
        _ => VqlValue.Of(Date!.Value),
    };
}

/// <summary>
/// The query string of the company-scoped contact routes (S1, S2): filter parameters, then sorting and paging
/// (docs/vql.md#company-scoped-contacts). Unknown keys are ignored; every parameter of the original API
/// is read, including those Connectra cannot filter, which are refused by name instead of being ignored.
/// </summary>
public sealed class CompanyContactQuery
{
    /// <summary>
    /// The one table of parameters: the reader, the conditions and the docs all follow it. Names and titles are
    /// searched word by word, like 'contains' in the client dialect; the original's 'contains' on keyword fields
    /// cannot be a partial match in Connectra, so those are whole-value equality.
    /// </summary>
    internal static IReadOnlyList<FilterParameter> Parameters { get; } =
    [
        Filter("first_name", "first_name", FilterOperator.Contains),
        Filter("last_name", "last_name", FilterOperator.Contains),
        Filter("title", "title", FilterOperator.Contains),
        Filter("seniority", "seniority", FilterOperator.Eq),
        Filter("departments", "departments", FilterOperator.Contains, aliases: ["department"]),
        Filter("email_status", "email_status", FilterOperator.Eq),
        Filter("status", "status", FilterOperator.Eq),
        Filter("email", "email", FilterOperator.Eq),
        Filter("contact_location", "contact_location", FilterOperator.Contains, aliases: ["text_search"]),
        Filter("work_direct_phone", "work_direct_phone", FilterOperator.Eq),
        Filter("home_phone", "home_phone", FilterOperator.Eq),
        Filter("mobile_phone", "mobile_phone", FilterOperator.Eq),
        Filter("other_phone", "other_phone", FilterOperator.Eq),
        Filter("city", "city", FilterOperator.Eq),
        Filter("state", "state", FilterOperator.Eq),
        Filter("country", "country", FilterOperator.Eq),
        Filter("person_linkedin_url", "person_linkedin_url", FilterOperator.Eq),
        Filter("website", "website", FilterOperator.Eq),
        Filter("facebook_url", "facebook_url", FilterOperator.Eq),
        Filter("twitter_url", "twitter_url", FilterOperator.Eq),
        Filter("stage", "stage", FilterOperator.Eq),
        Filter("exclude_titles", "title", FilterOperator.Nin, ParameterKind.TextList),
        Filter("exclude_contact_locations", "contact_location", FilterOperator.Nin, ParameterKind.TextList),
        Filter("exclude_seniorities", "seniority", FilterOperator.Nin, ParameterKind.KeywordList),
        Filter("exclude_departments", "departments", FilterOperator.Nin, ParameterKind.KeywordList),
        Filter("created_at_after", "created_at", FilterOperator.Gte, ParameterKind.From),
        Filter("created_at_before", "created_at", FilterOperator.Lte, ParameterKind.Until),
        Filter("updated_at_after", "updated_at", FilterOperator.Gte, ParameterKind.From, refusal: NoUpdatedAt),
        Filter("updated_at_before", "updated_at", FilterOperator.Lte, ParameterKind.Until, refusal: NoUpdatedAt),
        Filter("search", "", FilterOperator.Contains, refusal:
            "a free-text search over several fields would be an OR across fields, which Connectra's VQL cannot express; use the field parameters"),
    ];

    private const string NoUpdatedAt = "Connectra does not index updated_at, so contacts cannot be filtered by it";

    private CompanyContactQuery(IReadOnlyList<GivenFilter> filters, QueryStringReader reader)
    {
        Filters = filters;
        Ordering = reader.Single("ordering");
        Cursor = reader.Single("cursor");
        Distinct = reader.Bool("distinct");
        Page = reader.Int("page", minimum: 1);
        PageSize = reader.Int("page_size", minimum: 1);
        Limit = reader.Int("limit", minimum: 1);
        Offset = reader.Int("offset", minimum: 0);
    }

    /// <summary>The filter parameters given, in the order of <see cref="Parameters"/>.</summary>
    internal IReadOnlyList<GivenFilter> Filters { get; }

    /// <summary>Sort clauses for <see cref="VqlConverter.ToOrderBy"/> (location "ordering").</summary>
    public string? Ordering { get; }

    /// <summary>Raw; the paging layer decodes and checks it.</summary>
    public string? Cursor { get; }

    /// <summary>Accepted for compatibility; every contact is one row anyway.</summary>
    public bool Distinct { get; }

    public int? Page { get; }

    public int? PageSize { get; }

    public int? Limit { get; }

    public int? Offset { get; }

    /// <summary>Reads every parameter of the table and the paging keys; a malformed value is a 400 naming its key.</summary>
    public static CompanyContactQuery Parse(IReadOnlyDictionary<string, IReadOnlyList<string>> query)
    {
        var reader = new QueryStringReader(query);
        var given = new List<GivenFilter>();
        foreach (var parameter in Parameters)
        {
            var filter = parameter.Kind switch
            {
                ParameterKind.Single => reader.Single(parameter.Name, parameter.Aliases) is { } text
                    ? new GivenFilter(parameter, text, [], null)
                    : null,
                ParameterKind.TextList or ParameterKind.KeywordList =>
                    reader.Many(parameter.Name, parameter.Kind == ParameterKind.TextList ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)
                        is { Count: > 0 } list
                        ? new GivenFilter(parameter, null, list, null)
                        : null,
                _ => reader.Date(parameter.Name, endOfDay: parameter.Kind == ParameterKind.Until, parameter.Aliases) is { } date
                    ? new GivenFilter(parameter, null, [], date)
                    : null,
            };
            if (filter is not null)
            {
                given.Add(filter);
            }
        }

        return new CompanyContactQuery(given, reader);
    }

    /// <summary>The value given for the filter parameter called <paramref name="name"/>, or null.</summary>
    internal GivenFilter? Filter(string name) => Filters.FirstOrDefault(f => f.Parameter.Name == name);

    /// <summary>
    /// The page asked for: <c>limit</c>, else <c>page_size</c> capped at Connectra's maximum; an explicit
    /// <c>offset</c>, else (<c>page</c> − 1) pages; or the <c>cursor</c> of an earlier page.
    /// </summary>
    internal PageRequest RequestedPage()
    {
        var size = Limit ?? (PageSize is { } pageSize ? Math.Min(pageSize, PageRequest.MaxLimit) : null);
        // In long arithmetic: a huge page must land beyond the offset window (a 400 naming it), not wrap around.
        long offset = Offset is > 0 ? Offset.Value : Page is { } page ? (page - 1L) * (size ?? PageRequest.DefaultLimit) : 0;
        return new PageRequest(size, offset == 0 ? null : (int)Math.Min(offset, int.MaxValue), Cursor);
    }

    /// <summary>
    /// Conditions on the contact catalogue, led by the company itself; a parameter Connectra cannot filter is refused
    /// by its name.
    /// </summary>
    internal List<FilterLeaf> Leaves(string companyUuid)
    {
        var contacts = FieldCatalogue.Contacts;
        var leaves = new List<FilterLeaf>
        {
            FilterLeaf.Internal(contacts.Resolve("company_id")!, FilterOperator.Eq, VqlValue.Of(companyUuid), "company_uuid"),
        };
        foreach (var filter in Filters)
        {
            var parameter = filter.Parameter;
            if (parameter.Refusal is { } refusal)
            {
                throw new VqlValidationException(parameter.Name, refusal);
            }

            leaves.Add(FilterLeaf.Internal(Filterable(parameter), parameter.Operator, filter.Wire, parameter.Name));
        }

        return leaves;
    }

    private static FieldDefinition Filterable(FilterParameter parameter)
    {
        var field = FieldCatalogue.Contacts.Resolve(parameter.Field)!;
        if (!field.Filterable)
        {
            throw new VqlValidationException(parameter.Name, field.Kind == FieldKind.Unavailable
                ? $"{parameter.Name} cannot filter contacts: {field.Note}"
                : $"{parameter.Name} cannot filter contacts: Connectra returns it but does not index it for search");
        }

        return field;
    }

    private static FilterParameter Filter(
        string name, string field, FilterOperator op, ParameterKind kind = ParameterKind.Single, string[]? aliases = null,
        string? refusal = null) =>
        new(name, field, op, kind, aliases ?? [], refusal);
}
