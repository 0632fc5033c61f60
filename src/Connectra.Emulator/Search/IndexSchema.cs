namespace Connectra.Emulator.Search;

internal enum FieldKind
{
    /// <summary>Analysed text with a <c>.ngram</c> sub-field.</summary>
    Text,
    Keyword,
    KeywordArray,
    Long,
    Date,
}

/// <summary>The Elasticsearch mapping of one index (docs/connectra.md#documents, current build).</summary>
internal sealed class IndexSchema
{
    /// <summary>Sort doc values of an array field: asc sorts on the smallest element, desc on the largest.</summary>
    public const string MinSuffix = "$min";
    public const string MaxSuffix = "$max";

    private readonly Dictionary<string, FieldKind> _fields;

    private IndexSchema(string name, Dictionary<string, FieldKind> fields)
    {
        Name = name;
        _fields = fields;
    }

    public string Name { get; }

    public IReadOnlyDictionary<string, FieldKind> Fields => _fields;

    /// <summary>Null for a field the mapping does not know: queries on it match nothing, sorts on it fail.</summary>
    public FieldKind? Find(string field) => _fields.TryGetValue(field, out var kind) ? kind : null;

    public static IndexSchema Contacts { get; } = new("contacts_index", new(StringComparer.Ordinal)
    {
        ["uuid"] = FieldKind.Keyword,
        ["first_name"] = FieldKind.Text,
        ["last_name"] = FieldKind.Text,
        ["company_id"] = FieldKind.Keyword,
        ["email"] = FieldKind.Keyword,
        ["title"] = FieldKind.Text,
        ["departments"] = FieldKind.KeywordArray,
        ["mobile_phone"] = FieldKind.Keyword,
        ["email_status"] = FieldKind.Keyword,
        ["seniority"] = FieldKind.Keyword,
        ["city"] = FieldKind.Keyword,
        ["state"] = FieldKind.Keyword,
        ["country"] = FieldKind.Keyword,
        ["linkedin_url"] = FieldKind.Keyword,
        ["company_name"] = FieldKind.Text,
        ["company_address"] = FieldKind.Text,
        ["company_website"] = FieldKind.Text,
        ["company_normalized_domain"] = FieldKind.Text,
        ["company_employees_count"] = FieldKind.Long,
        ["company_annual_revenue"] = FieldKind.Long,
        ["company_total_funding"] = FieldKind.Long,
        ["company_industries"] = FieldKind.KeywordArray,
        ["company_keywords"] = FieldKind.KeywordArray,
        ["company_technologies"] = FieldKind.KeywordArray,
        ["company_city"] = FieldKind.Keyword,
        ["company_state"] = FieldKind.Keyword,
        ["company_country"] = FieldKind.Keyword,
        ["company_linkedin_url"] = FieldKind.Keyword,
        ["created_at"] = FieldKind.Date,
    });

    public static IndexSchema Companies { get; } = new("companies_index", new(StringComparer.Ordinal)
    {
        ["uuid"] = FieldKind.Keyword,
        ["name"] = FieldKind.Text,
        ["employees_count"] = FieldKind.Long,
        ["industries"] = FieldKind.KeywordArray,
        ["keywords"] = FieldKind.KeywordArray,
        ["address"] = FieldKind.Text,
        ["annual_revenue"] = FieldKind.Long,
        ["total_funding"] = FieldKind.Long,
        ["technologies"] = FieldKind.KeywordArray,
        ["city"] = FieldKind.Keyword,
        ["state"] = FieldKind.Keyword,
        ["country"] = FieldKind.Keyword,
        ["linkedin_url"] = FieldKind.Keyword,
        ["website"] = FieldKind.Text,
        ["normalized_domain"] = FieldKind.Text,
        ["created_at"] = FieldKind.Date,
    });
}
