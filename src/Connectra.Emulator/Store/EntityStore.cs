using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Connectra.Client;
using Connectra.Client.Records;
using Npgsql;
using NpgsqlTypes;

namespace Connectra.Emulator.Store;

/// <summary>A row as the search index needs it, with the write sequence the index commits against.</summary>
internal sealed record StoredContact(ConnectraContact Contact, long IndexSeq);

internal sealed record StoredCompany(ConnectraCompany Company, long IndexSeq);

/// <summary>Contacts and companies in PostgreSQL, the source of truth (docs/connectra.md#execution-model step 2, docs/connectra.md#entity-batch-upserts).</summary>
internal sealed class EntityStore(NpgsqlDataSource db)
{
    private static readonly string ContactUpsert = UpsertSql(TableColumns.Contacts);
    private static readonly string CompanyUpsert = UpsertSql(TableColumns.Companies);

    /// <summary>
    /// Inserts or fully overwrites rows by uuid (docs/connectra.md#entity-batch-upserts): every data column is replaced, created_at and deleted_at are
    /// kept on update. One statement, so a batch that PostgreSQL rejects (e.g. a uuid twice) writes nothing.
    /// </summary>
    /// <returns>The highest index sequence the batch was given.</returns>
    public Task<long> UpsertContactsAsync(IReadOnlyList<ConnectraContact> contacts, CancellationToken ct) =>
        UpsertAsync(ContactUpsert, JsonSerializer.Serialize(contacts, ConnectraJsonContext.Default.IReadOnlyListConnectraContact), ct);

    public Task<long> UpsertCompaniesAsync(IReadOnlyList<ConnectraCompany> companies, CancellationToken ct) =>
        UpsertAsync(CompanyUpsert, JsonSerializer.Serialize(companies, ConnectraJsonContext.Default.IReadOnlyListConnectraCompany), ct);

    /// <summary>Phase 2 of a search: the selected columns of the rows with these uuids, in no particular order.</summary>
    public async Task<List<ConnectraContact>> FetchContactsAsync(
        IReadOnlyCollection<string> uuids, IReadOnlyList<string>? columns, CancellationToken ct)
    {
        var result = new List<ConnectraContact>(uuids.Count);
        await foreach (var reader in QueryAsync(TableColumns.Contacts, columns, "WHERE uuid = ANY($1)", uuids.ToArray(), ct))
        {
            result.Add(ReadContact(reader));
        }

        return result;
    }

    public async Task<List<ConnectraCompany>> FetchCompaniesAsync(
        IReadOnlyCollection<string> uuids, IReadOnlyList<string>? columns, CancellationToken ct)
    {
        var result = new List<ConnectraCompany>(uuids.Count);
        await foreach (var reader in QueryAsync(TableColumns.Companies, columns, "WHERE uuid = ANY($1)", uuids.ToArray(), ct))
        {
            result.Add(ReadCompany(reader));
        }

        return result;
    }

    /// <summary>Every company, for a full index build: contacts need them for their company_* copies.</summary>
    public async Task<Dictionary<string, ConnectraCompany>> LoadCompaniesByUuidAsync(CancellationToken ct)
    {
        var result = new Dictionary<string, ConnectraCompany>(StringComparer.Ordinal);
        await foreach (var stored in StreamCompaniesAsync(0, ct))
        {
            result[stored.Company.Uuid ?? ""] = stored.Company;
        }

        return result;
    }

    public async IAsyncEnumerable<StoredCompany> StreamCompaniesAsync(long afterSeq, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var reader in QueryAsync(TableColumns.Companies, null, "WHERE index_seq > $1 ORDER BY index_seq", afterSeq, ct, withSeq: true))
        {
            yield return new StoredCompany(ReadCompany(reader), reader.Number("index_seq") ?? 0);
        }
    }

    public async IAsyncEnumerable<StoredContact> StreamContactsAsync(long afterSeq, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var reader in QueryAsync(TableColumns.Contacts, null, "WHERE index_seq > $1 ORDER BY index_seq", afterSeq, ct, withSeq: true))
        {
            yield return new StoredContact(ReadContact(reader), reader.Number("index_seq") ?? 0);
        }
    }

    /// <summary>Counts rows of both tables, e.g. to tell whether a database was seeded already.</summary>
    public async Task<(long Companies, long Contacts)> CountAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT (SELECT count(*) FROM companies), (SELECT count(*) FROM contacts)");
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Empties contacts, companies and filter values; the filter catalogue stays.</summary>
    public async Task ClearAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("TRUNCATE contacts, companies, filters_data");
        await command.ExecuteNonQueryAsync(ct);
    }

    internal static ConnectraContact ReadContact(RowReader row) => new()
    {
        Id = row.Number("id"),
        Uuid = row.Text("uuid"),
        FirstName = row.Text("first_name"),
        LastName = row.Text("last_name"),
        CompanyId = row.Text("company_id"),
        Email = row.Text("email"),
        Title = row.Text("title"),
        Departments = row.List("departments"),
        MobilePhone = row.Text("mobile_phone"),
        EmailStatus = row.Text("email_status"),
        Seniority = row.Text("seniority"),
        City = row.Text("city"),
        State = row.Text("state"),
        Country = row.Text("country"),
        LinkedinUrl = row.Text("linkedin_url"),
        FacebookUrl = row.Text("facebook_url"),
        TwitterUrl = row.Text("twitter_url"),
        Website = row.Text("website"),
        WorkDirectPhone = row.Text("work_direct_phone"),
        HomePhone = row.Text("home_phone"),
        OtherPhone = row.Text("other_phone"),
        Stage = row.Text("stage"),
        CreatedAt = row.Time("created_at"),
        UpdatedAt = row.Time("updated_at"),
        DeletedAt = row.Time("deleted_at"),
    };

    internal static ConnectraCompany ReadCompany(RowReader row) => new()
    {
        Id = row.Number("id"),
        Uuid = row.Text("uuid"),
        Name = row.Text("name"),
        EmployeesCount = row.Number("employees_count"),
        Industries = row.List("industries"),
        Keywords = row.List("keywords"),
        Address = row.Text("address"),
        AnnualRevenue = row.Number("annual_revenue"),
        TotalFunding = row.Number("total_funding"),
        Technologies = row.List("technologies"),
        City = row.Text("city"),
        State = row.Text("state"),
        Country = row.Text("country"),
        LinkedinUrl = row.Text("linkedin_url"),
        Website = row.Text("website"),
        NormalizedDomain = row.Text("normalized_domain"),
        FacebookUrl = row.Text("facebook_url"),
        TwitterUrl = row.Text("twitter_url"),
        CompanyNameForEmails = row.Text("company_name_for_emails"),
        PhoneNumber = row.Text("phone_number"),
        LatestFunding = row.Text("latest_funding"),
        LatestFundingAmount = row.Number("latest_funding_amount"),
        LastRaisedAt = row.Text("last_raised_at"),
        CreatedAt = row.Time("created_at"),
        UpdatedAt = row.Time("updated_at"),
        DeletedAt = row.Time("deleted_at"),
    };

    private async Task<long> UpsertAsync(string sql, string rowsJson, CancellationToken ct)
    {
        await using var command = db.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = rowsJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        var highest = await command.ExecuteScalarAsync(ct);
        return highest is long seq ? seq : 0;
    }

    private async IAsyncEnumerable<RowReader> QueryAsync(
        TableColumns table, IReadOnlyList<string>? columns, string where, object parameter,
        [EnumeratorCancellation] CancellationToken ct, bool withSeq = false)
    {
        var list = columns is { Count: > 0 }
            ? string.Join(", ", columns.Select(c => Quote(table.Find(c)!.Name)))
            : "*";
        await using var command = db.CreateCommand($"SELECT {list}{(withSeq && list != "*" ? ", index_seq" : "")} FROM {table.Table} {where}");
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var row = new RowReader(reader);
        while (await reader.ReadAsync(ct))
        {
            yield return row;
        }
    }

    private static string Quote(string identifier) => $"\"{identifier}\"";

    private static string UpsertSql(TableColumns table)
    {
        var data = table.All.Where(c => c.Name is not ("id" or "uuid" or "created_at" or "updated_at" or "deleted_at")).ToList();
        var recordType = string.Join(", ", table.All.Select(c => $"{c.Name} {SqlType(c.Type)}"));
        var values = new StringBuilder();
        values.Append(CultureInvariant($"COALESCE(NULLIF(x.id, 0), nextval('{table.Table}_id_seq')), COALESCE(x.uuid, '')"));
        foreach (var column in data)
        {
            values.Append(", ").Append(column.Type switch
            {
                ColumnType.Text => $"COALESCE(x.{column.Name}, '')",
                ColumnType.BigInt => $"COALESCE(x.{column.Name}, 0)",
                _ => $"x.{column.Name}",
            });
        }

        values.Append(", COALESCE(x.created_at, now()), now(), x.deleted_at, nextval('emulator_index_seq')");
        var names = string.Join(", ", data.Select(c => c.Name));
        var updates = string.Join(", ", data.Select(c => $"{c.Name} = excluded.{c.Name}"));
        return $"""
            WITH written AS (
                INSERT INTO {table.Table} AS t (id, uuid, {names}, created_at, updated_at, deleted_at, index_seq)
                SELECT {values} FROM jsonb_to_recordset($1) AS x({recordType})
                ON CONFLICT (uuid) DO UPDATE SET {updates}, updated_at = excluded.updated_at, index_seq = excluded.index_seq
                RETURNING index_seq)
            SELECT max(index_seq) FROM written
            """;
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    private static string SqlType(ColumnType type) => type switch
    {
        ColumnType.Text => "text",
        ColumnType.TextArray => "text[]",
        ColumnType.BigInt => "bigint",
        _ => "timestamptz",
    };
}
