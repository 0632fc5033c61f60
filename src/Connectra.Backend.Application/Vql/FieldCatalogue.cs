using System.Collections.Frozen;

namespace Connectra.Backend.Application.Vql;

/// <summary>
/// The public fields of one entity: names and aliases of the client dialect mapped to Connectra's index fields,
/// their kinds and their PostgreSQL columns (docs/connectra.md#documents, docs/connectra.md#field-kinds-and-clauses). Names resolve case-insensitively.
/// </summary>
public sealed class FieldCatalogue
{
    private readonly FrozenDictionary<string, FieldDefinition> _byName;

    private FieldCatalogue(string entity, IReadOnlyList<FieldDefinition> fields, IReadOnlyList<string> requiredColumns)
    {
        Entity = entity;
        Fields = fields;
        RequiredSelectColumns = requiredColumns;
        var byName = new Dictionary<string, FieldDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in fields)
        {
            foreach (var name in field.Aliases.Prepend(field.Name))
            {
                if (!byName.TryAdd(name, field))
                {
                    throw new InvalidOperationException($"{entity}: the name '{name}' is given to two fields.");
                }
            }
        }

        _byName = byName.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        SelectColumns = fields.Where(f => f.SelectColumn is not null).Select(f => f.SelectColumn!).Distinct().ToArray();
    }

    /// <summary>"contacts" or "companies", for messages.</summary>
    public string Entity { get; }

    public IReadOnlyList<FieldDefinition> Fields { get; }

    /// <summary>Every PostgreSQL column of the entity's table that a client may select (Connectra's bigint id is not one).</summary>
    public IReadOnlyList<string> SelectColumns { get; }

    /// <summary>
    /// Columns always sent in <c>select_columns</c>: Connectra matches rows to hits by uuid and returns nothing
    /// without it (docs/connectra.md#x2); contacts also need company_id to attach a populated company.
    /// </summary>
    public IReadOnlyList<string> RequiredSelectColumns { get; }

    /// <summary>The field with this name or alias (case-insensitive), or null.</summary>
    public FieldDefinition? Resolve(string publicName) =>
        _byName.GetValueOrDefault(publicName.Trim());

    public static FieldCatalogue Contacts { get; } = new("contacts",
    [
        Keyword("uuid", ["id"], select: "uuid"),
        Text("first_name", select: "first_name"),
        Text("last_name", select: "last_name"),
        Text("title", select: "title"),
        Keyword("email", select: "email"),
        Keyword("company_id", select: "company_id"),
        Keyword("seniority", select: "seniority"),
        KeywordArray("departments", ["department"], select: "departments"),
        Keyword("mobile_phone", select: "mobile_phone"),
        Keyword("email_status", select: "email_status"),
        Keyword("city", select: "city"),
        Keyword("state", select: "state"),
        Keyword("country", select: "country"),
        Keyword("person_linkedin_url", ["linkedin_url"], connectra: "linkedin_url", select: "linkedin_url"),
        Date("created_at", select: "created_at"),
        ResponseOnly("facebook_url"),
        ResponseOnly("twitter_url"),
        ResponseOnly("website"),
        ResponseOnly("work_direct_phone"),
        ResponseOnly("home_phone"),
        ResponseOnly("other_phone"),
        ResponseOnly("stage"),
        ResponseOnly("updated_at"),
        ResponseOnly("deleted_at"),

        // The contact index carries a copy of the contact's company taken when the contact was last indexed
        // (docs/connectra.md#company-copy-on-contacts, docs/connectra.md#x8); the contacts table has none of these columns.
        Text("company_name", ["company"], connectra: "company_name", note: CompanyCopy),
        Text("company_address", connectra: "company_address", note: CompanyCopy),
        Text("company_website", connectra: "company_website", note: CompanyCopy, fragments: true),
        Text("company_normalized_domain", connectra: "company_normalized_domain", note: CompanyCopy, fragments: true),
        Long("employees_count", ["employees", "company_employees_count"], connectra: "company_employees_count", note: CompanyCopy),
        Long("annual_revenue", ["company_annual_revenue"], connectra: "company_annual_revenue", note: CompanyCopy),
        Long("total_funding", ["company_total_funding"], connectra: "company_total_funding", note: CompanyCopy),
        KeywordArray("industries", ["industry", "company_industries"], connectra: "company_industries", note: CompanyCopy),
        KeywordArray("keywords", ["company_keywords"], connectra: "company_keywords", note: CompanyCopy),
        KeywordArray("technologies", ["company_technologies"], connectra: "company_technologies", note: CompanyCopy),
        Keyword("company_city", connectra: "company_city", note: CompanyCopy),
        Keyword("company_state", connectra: "company_state", note: CompanyCopy),
        Keyword("company_country", connectra: "company_country", note: CompanyCopy),
        Keyword("company_linkedin_url", connectra: "company_linkedin_url", note: CompanyCopy),

        Unavailable("status", "Connectra has no contact status: neither its index nor its contacts table holds one"),
        Unavailable("contact_location", ["text_search"],
            "Connectra has no free-text location field; filter city, state or country instead"),
        Unavailable("company_location", ["company_text_search"],
            "Connectra has no free-text company location; filter company_city, company_state, company_country or company_address instead"),
        Unavailable("company_name_for_emails",
            "the contact index has no copy of company_name_for_emails; filter it on companies instead"),
    ], ["uuid", "company_id"]);

    public static FieldCatalogue Companies { get; } = new("companies",
    [
        Keyword("uuid", ["id"], select: "uuid"),
        Text("name", select: "name"),
        Long("employees_count", ["employees"], select: "employees_count"),
        KeywordArray("industries", ["industry"], select: "industries"),
        KeywordArray("keywords", select: "keywords"),
        KeywordArray("technologies", select: "technologies"),
        Text("address", select: "address"),
        Long("annual_revenue", select: "annual_revenue"),
        Long("total_funding", select: "total_funding"),
        Keyword("city", select: "city"),
        Keyword("state", select: "state"),
        Keyword("country", select: "country"),
        Keyword("linkedin_url", select: "linkedin_url"),
        Text("website", ["domain"], select: "website", fragments: true),
        Text("normalized_domain", select: "normalized_domain", fragments: true),
        Date("created_at", select: "created_at"),
        ResponseOnly("facebook_url"),
        ResponseOnly("twitter_url"),
        ResponseOnly("company_name_for_emails"),
        ResponseOnly("phone_number"),
        ResponseOnly("latest_funding"),
        ResponseOnly("latest_funding_amount"),
        ResponseOnly("last_raised_at"),
        ResponseOnly("updated_at"),
        ResponseOnly("deleted_at"),
        Unavailable("company_location", ["text_search", "company_text_search"],
            "Connectra has no free-text company location; filter city, state, country or address instead"),
    ], ["uuid"]);

    private const string CompanyCopy =
        "a copy of the contact's company kept in the contact index; select it through company_config.select_columns";

    private static FieldDefinition Text(
        string name, string[]? aliases = null, string? connectra = null, string? select = null, string? note = null,
        bool fragments = false) =>
        new()
        {
            Name = name, Aliases = aliases ?? [], ConnectraField = connectra ?? name, Kind = FieldKind.Text,
            SelectColumn = select, Note = note, FragmentSearch = fragments,
        };

    private static FieldDefinition Keyword(
        string name, string[]? aliases = null, string? connectra = null, string? select = null, string? note = null) =>
        new()
        {
            Name = name, Aliases = aliases ?? [], ConnectraField = connectra ?? name, Kind = FieldKind.Keyword,
            SelectColumn = select, Note = note,
        };

    private static FieldDefinition KeywordArray(
        string name, string[]? aliases = null, string? connectra = null, string? select = null, string? note = null) =>
        new()
        {
            Name = name, Aliases = aliases ?? [], ConnectraField = connectra ?? name, Kind = FieldKind.KeywordArray,
            SelectColumn = select, Note = note,
        };

    private static FieldDefinition Long(
        string name, string[]? aliases = null, string? connectra = null, string? select = null, string? note = null) =>
        new()
        {
            Name = name, Aliases = aliases ?? [], ConnectraField = connectra ?? name, Kind = FieldKind.Long,
            SelectColumn = select, Note = note,
        };

    private static FieldDefinition Date(string name, string? select = null) =>
        new() { Name = name, ConnectraField = name, Kind = FieldKind.Date, SelectColumn = select };

    private static FieldDefinition ResponseOnly(string name) =>
        new()
        {
            Name = name, Kind = FieldKind.ResponseOnly, SelectColumn = name,
            Note = "Connectra returns it but does not index it, so it is not filterable in Connectra",
        };

    private static FieldDefinition Unavailable(string name, string note) => Unavailable(name, [], note);

    private static FieldDefinition Unavailable(string name, string[] aliases, string note) =>
        new() { Name = name, Aliases = aliases, Kind = FieldKind.Unavailable, Note = note };
}
