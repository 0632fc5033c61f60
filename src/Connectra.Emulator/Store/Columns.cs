namespace Connectra.Emulator.Store;

internal enum ColumnType
{
    Text,
    TextArray,
    BigInt,
    Timestamp,
}

internal sealed record Column(string Name, ColumnType Type);

/// <summary>The PostgreSQL columns of one main table (docs/connectra.md#documents), in table order.</summary>
internal sealed class TableColumns
{
    private readonly Dictionary<string, Column> _byName;

    public TableColumns(string table, IReadOnlyList<Column> columns)
    {
        Table = table;
        All = columns;
        _byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    public string Table { get; }

    public IReadOnlyList<Column> All { get; }

    /// <summary>Column names are matched exactly: Connectra quotes them, so PostgreSQL compares case-sensitively.</summary>
    public Column? Find(string name) => _byName.GetValueOrDefault(name);

    public static readonly TableColumns Contacts = new("contacts",
    [
        new("id", ColumnType.BigInt),
        new("uuid", ColumnType.Text),
        new("first_name", ColumnType.Text),
        new("last_name", ColumnType.Text),
        new("company_id", ColumnType.Text),
        new("email", ColumnType.Text),
        new("title", ColumnType.Text),
        new("departments", ColumnType.TextArray),
        new("mobile_phone", ColumnType.Text),
        new("email_status", ColumnType.Text),
        new("seniority", ColumnType.Text),
        new("city", ColumnType.Text),
        new("state", ColumnType.Text),
        new("country", ColumnType.Text),
        new("linkedin_url", ColumnType.Text),
        new("facebook_url", ColumnType.Text),
        new("twitter_url", ColumnType.Text),
        new("website", ColumnType.Text),
        new("work_direct_phone", ColumnType.Text),
        new("home_phone", ColumnType.Text),
        new("other_phone", ColumnType.Text),
        new("stage", ColumnType.Text),
        new("created_at", ColumnType.Timestamp),
        new("updated_at", ColumnType.Timestamp),
        new("deleted_at", ColumnType.Timestamp),
    ]);

    public static readonly TableColumns Companies = new("companies",
    [
        new("id", ColumnType.BigInt),
        new("uuid", ColumnType.Text),
        new("name", ColumnType.Text),
        new("employees_count", ColumnType.BigInt),
        new("industries", ColumnType.TextArray),
        new("keywords", ColumnType.TextArray),
        new("address", ColumnType.Text),
        new("annual_revenue", ColumnType.BigInt),
        new("total_funding", ColumnType.BigInt),
        new("technologies", ColumnType.TextArray),
        new("city", ColumnType.Text),
        new("state", ColumnType.Text),
        new("country", ColumnType.Text),
        new("linkedin_url", ColumnType.Text),
        new("website", ColumnType.Text),
        new("normalized_domain", ColumnType.Text),
        new("facebook_url", ColumnType.Text),
        new("twitter_url", ColumnType.Text),
        new("company_name_for_emails", ColumnType.Text),
        new("phone_number", ColumnType.Text),
        new("latest_funding", ColumnType.Text),
        new("latest_funding_amount", ColumnType.BigInt),
        new("last_raised_at", ColumnType.Text),
        new("created_at", ColumnType.Timestamp),
        new("updated_at", ColumnType.Timestamp),
        new("deleted_at", ColumnType.Timestamp),
    ]);
}
