using Connectra.Client.Records;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Connectra.Emulator.Search;

/// <summary>
/// Builds the Elasticsearch documents Connectra indexes (docs/connectra.md#documents, docs/connectra.md#entity-batch-upserts). Empty strings are real keyword
/// values (Connectra sends <c>""</c>), empty arrays are missing, numbers are indexed even when 0, and
/// <c>created_at</c> is the time of indexing (docs/connectra.md#x8).
/// </summary>
internal static class IndexDocuments
{
    /// <summary>Trie precision of every long and date field; queries must use the same.</summary>
    public const int PrecisionStep = 8;

    private static readonly FieldType LongType = new()
    {
        IsIndexed = true,
        IsTokenized = true,
        OmitNorms = true,
        IndexOptions = IndexOptions.DOCS_ONLY,
        NumericType = NumericType.INT64,
        NumericPrecisionStep = PrecisionStep,
    };

    // Substring queries are boolean over grams, never phrases, so the gram field needs no positions or norms.
    private static readonly FieldType NGramType = new(TextField.TYPE_NOT_STORED)
    {
        OmitNorms = true,
        IndexOptions = IndexOptions.DOCS_ONLY,
    };

    static IndexDocuments()
    {
        LongType.Freeze();
        NGramType.Freeze();
    }

    public static Document Contact(ConnectraContact c, ConnectraCompany? company, long indexedAtMillis)
    {
        var doc = new Document();
        Keyword(doc, "uuid", c.Uuid);
        Text(doc, "first_name", c.FirstName);
        Text(doc, "last_name", c.LastName);
        Keyword(doc, "company_id", c.CompanyId);
        Keyword(doc, "email", c.Email);
        Text(doc, "title", c.Title);
        Keywords(doc, "departments", c.Departments);
        Keyword(doc, "mobile_phone", c.MobilePhone);
        Keyword(doc, "email_status", c.EmailStatus);
        Keyword(doc, "seniority", c.Seniority);
        Keyword(doc, "city", c.City);
        Keyword(doc, "state", c.State);
        Keyword(doc, "country", c.Country);
        Keyword(doc, "linkedin_url", c.LinkedinUrl);
        Text(doc, "company_name", company?.Name);
        Text(doc, "company_address", company?.Address);
        Text(doc, "company_website", company?.Website);
        Text(doc, "company_normalized_domain", company?.NormalizedDomain);
        Long(doc, "company_employees_count", company?.EmployeesCount);
        Long(doc, "company_annual_revenue", company?.AnnualRevenue);
        Long(doc, "company_total_funding", company?.TotalFunding);
        Keywords(doc, "company_industries", company?.Industries);
        Keywords(doc, "company_keywords", company?.Keywords);
        Keywords(doc, "company_technologies", company?.Technologies);
        Keyword(doc, "company_city", company?.City);
        Keyword(doc, "company_state", company?.State);
        Keyword(doc, "company_country", company?.Country);
        Keyword(doc, "company_linkedin_url", company?.LinkedinUrl);
        Long(doc, "created_at", indexedAtMillis);
        return doc;
    }

    public static Document Company(ConnectraCompany c, long indexedAtMillis)
    {
        var doc = new Document();
        Keyword(doc, "uuid", c.Uuid);
        Text(doc, "name", c.Name);
        Long(doc, "employees_count", c.EmployeesCount);
        Keywords(doc, "industries", c.Industries);
        Keywords(doc, "keywords", c.Keywords);
        Text(doc, "address", c.Address);
        Long(doc, "annual_revenue", c.AnnualRevenue);
        Long(doc, "total_funding", c.TotalFunding);
        Keywords(doc, "technologies", c.Technologies);
        Keyword(doc, "city", c.City);
        Keyword(doc, "state", c.State);
        Keyword(doc, "country", c.Country);
        Keyword(doc, "linkedin_url", c.LinkedinUrl);
        Text(doc, "website", c.Website);
        Text(doc, "normalized_domain", c.NormalizedDomain);
        Long(doc, "created_at", indexedAtMillis);
        return doc;
    }

    private static void Text(Document doc, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        doc.Add(new TextField(name, value, Field.Store.NO));
        doc.Add(new Field(name + Analyzers.NGramSuffix, value, NGramType));
    }

    private static void Keyword(Document doc, string name, string? value)
    {
        value ??= "";
        doc.Add(new StringField(name, value, Field.Store.NO));
        doc.Add(new SortedDocValuesField(name, new BytesRef(value)));
    }

    private static void Keywords(Document doc, string name, IReadOnlyList<string>? values)
    {
        if (values is not { Count: > 0 })
        {
            return;
        }

        var min = values[0];
        var max = values[0];
        foreach (var value in values)
        {
            doc.Add(new StringField(name, value, Field.Store.NO));
            if (string.CompareOrdinal(value, min) < 0)
            {
                min = value;
            }

            if (string.CompareOrdinal(value, max) > 0)
            {
                max = value;
            }
        }

        doc.Add(new SortedDocValuesField(name + IndexSchema.MinSuffix, new BytesRef(min)));
        doc.Add(new SortedDocValuesField(name + IndexSchema.MaxSuffix, new BytesRef(max)));
    }

    private static void Long(Document doc, string name, long? value)
    {
        doc.Add(new Int64Field(name, value ?? 0, LongType));
        doc.Add(new NumericDocValuesField(name, value ?? 0));
    }
}
