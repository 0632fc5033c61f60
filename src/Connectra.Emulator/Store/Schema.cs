using Npgsql;

namespace Connectra.Emulator.Store;

/// <summary>
/// The emulator's own DDL: Connectra ships no migrations (docs/connectra.md#x16), so the stand-in creates its
/// tables idempotently in whatever database it is given, and seeds the deployed filter catalogue once.
/// </summary>
internal static class Schema
{
    // index_seq orders every write the search index must see; the index commits the highest one it holds, so a
    // restart re-indexes exactly the rows written after that commit.
    private const string Ddl = """
        CREATE SEQUENCE IF NOT EXISTS emulator_index_seq;

        CREATE TABLE IF NOT EXISTS emulator_meta (key text PRIMARY KEY, value text NOT NULL);
        INSERT INTO emulator_meta (key, value) VALUES ('instance_id', gen_random_uuid()::text) ON CONFLICT DO NOTHING;

        CREATE TABLE IF NOT EXISTS companies (
            id bigserial PRIMARY KEY,
            uuid text NOT NULL UNIQUE,
            name text, employees_count bigint, industries text[], keywords text[], address text,
            annual_revenue bigint, total_funding bigint, technologies text[], city text, state text, country text,
            linkedin_url text, website text, normalized_domain text, facebook_url text, twitter_url text,
            company_name_for_emails text, phone_number text, latest_funding text, latest_funding_amount bigint,
            last_raised_at text,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            deleted_at timestamptz,
            index_seq bigint NOT NULL DEFAULT nextval('emulator_index_seq'));
        CREATE INDEX IF NOT EXISTS companies_index_seq ON companies (index_seq);

        CREATE TABLE IF NOT EXISTS contacts (
            id bigserial PRIMARY KEY,
            uuid text NOT NULL UNIQUE,
            first_name text, last_name text, company_id text, email text, title text, departments text[],
            mobile_phone text, email_status text, seniority text, city text, state text, country text,
            linkedin_url text, facebook_url text, twitter_url text, website text, work_direct_phone text,
            home_phone text, other_phone text, stage text,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            deleted_at timestamptz,
            index_seq bigint NOT NULL DEFAULT nextval('emulator_index_seq'));
        CREATE INDEX IF NOT EXISTS contacts_index_seq ON contacts (index_seq);

        CREATE TABLE IF NOT EXISTS filters (
            id bigserial PRIMARY KEY,
            key text NOT NULL,
            service text NOT NULL,
            filter_type text NOT NULL,
            display_name text NOT NULL,
            direct_derived boolean,
            active boolean NOT NULL DEFAULT true,
            deleted_at timestamptz);

        CREATE TABLE IF NOT EXISTS filters_data (
            id bigserial PRIMARY KEY,
            uuid text NOT NULL UNIQUE,
            filter_key text NOT NULL,
            service text NOT NULL,
            display_value text NOT NULL,
            value text NOT NULL,
            deleted_at timestamptz);
        CREATE INDEX IF NOT EXISTS filters_data_key ON filters_data (service, filter_key);
        """;

    /// <summary>
    /// The catalogue recorded on the deployed instance (docs/connectra.md#deployed-catalogue): 12 contact and 14 company filters. Ids and the
    /// direct_derived flags beyond the two recorded ones (mobile_phone 7 derived, industries 30 not) are guesses:
    /// per-person values are read straight from the tables, small vocabularies come from filters_data.
    /// </summary>
    internal static readonly IReadOnlyList<FilterDefinition> Catalogue =
    [
        new(4, "first_name", "contact", "text_matches", "First Name", true),
        new(5, "last_name", "contact", "text_matches", "Last Name", true),
        new(6, "title", "contact", "text_matches", "Title", true),
        new(7, "mobile_phone", "contact", "keyword_match", "Mobile Phone", true),
        new(8, "departments", "contact", "keyword_match", "Departments", false),
        new(9, "email_status", "contact", "keyword_match", "Email Status", false),
        new(10, "city", "contact", "keyword_match", "City", false),
        new(11, "seniority", "contact", "keyword_match", "Seniority", false),
        new(12, "state", "contact", "keyword_match", "State", false),
        new(13, "linkedin_url", "contact", "keyword_match", "Linkedin Url", true),
        new(14, "country", "contact", "keyword_match", "Country", false),
        new(15, "email", "contact", "keyword_match", "Email", true),
        new(26, "address", "company", "text_matches", "Address", true),
        new(27, "name", "company", "text_matches", "Name", true),
        new(28, "normalized_domain", "company", "text_matches", "Normalized Domain", true),
        new(29, "website", "company", "text_matches", "Website", true),
        new(30, "industries", "company", "keyword_match", "Industries", false),
        new(31, "keywords", "company", "keyword_match", "Keywords", false),
        new(32, "technologies", "company", "keyword_match", "Technologies", false),
        new(33, "state", "company", "keyword_match", "State", false),
        new(34, "city", "company", "keyword_match", "City", false),
        new(35, "linkedin_url", "company", "keyword_match", "Linkedin Url", true),
        new(36, "country", "company", "keyword_match", "Country", false),
        new(37, "employees_count", "company", "range_query", "Employees Count", false),
        new(38, "annual_revenue", "company", "range_query", "Annual Revenue", false),
        new(39, "total_funding", "company", "range_query", "Total Funding", false),
    ];

    public static async Task EnsureAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Two emulators starting on one fresh database must not both create the tables.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(727001)", connection, tx))
        {
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        await using (var ddl = new NpgsqlCommand(Ddl, connection, tx))
        {
            await ddl.ExecuteNonQueryAsync(ct);
        }

        await using (var count = new NpgsqlCommand("SELECT count(*) FROM filters", connection, tx))
        {
            if ((long)(await count.ExecuteScalarAsync(ct))! == 0)
            {
                await InsertCatalogueAsync(connection, tx, ct);
            }
        }

        await tx.CommitAsync(ct);
    }

    public static async Task<string> InstanceIdAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT value FROM emulator_meta WHERE key = 'instance_id'");
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task InsertCatalogueAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var filter in Catalogue)
        {
            var command = new NpgsqlBatchCommand(
                "INSERT INTO filters (id, key, service, filter_type, display_name, direct_derived) VALUES ($1, $2, $3, $4, $5, $6)");
            command.Parameters.Add(new() { Value = filter.Id });
            command.Parameters.Add(new() { Value = filter.Key });
            command.Parameters.Add(new() { Value = filter.Service });
            command.Parameters.Add(new() { Value = filter.FilterType });
            command.Parameters.Add(new() { Value = filter.DisplayName });
            command.Parameters.Add(new() { Value = filter.DirectDerived });
            batch.BatchCommands.Add(command);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT setval('filters_id_seq', (SELECT max(id) FROM filters))"));
        await batch.ExecuteNonQueryAsync(ct);
    }
}

internal sealed record FilterDefinition(
    long Id, string Key, string Service, string FilterType, string DisplayName, bool DirectDerived);
