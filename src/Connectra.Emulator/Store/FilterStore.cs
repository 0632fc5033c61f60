using Connectra.Client.Filters;
using Connectra.Client.Records;
using Npgsql;

namespace Connectra.Emulator.Store;

/// <summary>A filter row the value generator needs: which field of which service feeds filters_data.</summary>
internal sealed record StoredFilterValue(string FilterKey, string Service, string Value);

/// <summary>The filter catalogue and its values (docs/connectra.md#filters-and-filter-values), with Connectra's quirks kept (X11).</summary>
internal sealed class FilterStore(NpgsqlDataSource db)
{
    public async Task<List<ConnectraFilter>> ListAsync(string service, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT id, key, service, filter_type, display_name, direct_derived, active, deleted_at FROM filters
            WHERE active = true AND deleted_at IS NULL AND service = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = service });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new List<ConnectraFilter>();
        while (await reader.ReadAsync(ct))
        {
            result.Add(new ConnectraFilter
            {
                Id = reader.GetInt64(0),
                Key = reader.GetString(1),
                Service = reader.GetString(2),
                FilterType = reader.GetString(3),
                DisplayName = reader.GetString(4),
                DirectDerived = !reader.IsDBNull(5) && reader.GetBoolean(5),
                Active = reader.GetBoolean(6),
                DeletedAt = reader.IsDBNull(7) ? null : new DateTimeOffset(reader.GetFieldValue<DateTime>(7), TimeSpan.Zero),
            });
        }

        return result;
    }

    /// <summary>
    /// F2. Throws <see cref="FilterNotFoundException"/> for an unknown or inactive key, and lets PostgreSQL errors
    /// through (an ILIKE on an array column fails, as on Connectra).
    /// </summary>
    public async Task<List<ConnectraFilterValue>> ValuesAsync(
        string service, string filterKey, string searchText, long page, long limit, CancellationToken ct)
    {
        bool? directDerived;
        await using (var find = db.CreateCommand(
            "SELECT direct_derived FROM filters WHERE service = $1 AND key = $2 AND active = true AND deleted_at IS NULL LIMIT 1"))
        {
            find.Parameters.Add(new NpgsqlParameter { Value = service });
            find.Parameters.Add(new NpgsqlParameter { Value = filterKey });
            var found = await find.ExecuteScalarAsync(ct) ?? throw new FilterNotFoundException();
            directDerived = found is DBNull ? null : (bool)found;
        }

        var size = limit > 0 ? limit : 25;
        var offset = page > 0 ? (page - 1) * limit : 0;
        var result = new List<ConnectraFilterValue>();
        if (directDerived == true)
        {
            var table = service == ConnectraService.Contact ? TableColumns.Contacts : TableColumns.Companies;
            // The key names the column; an unknown one fails in PostgreSQL exactly as Connectra's raw SQL does.
            var column = "\"" + filterKey.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            var where = searchText.Length > 0 ? $"WHERE {column} ILIKE $1" : "";
            await using var command = db.CreateCommand($"SELECT {column} FROM {table.Table} {where} OFFSET {offset} LIMIT {size}");
            if (searchText.Length > 0)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = $"%{searchText}%" });
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                // Connectra keeps only non-empty string values, after the LIMIT: pages can come back short.
                if (!reader.IsDBNull(0) && reader.GetValue(0) is string { Length: > 0 } value)
                {
                    result.Add(new ConnectraFilterValue { Value = value, DisplayValue = value });
                }
            }

            return result;
        }

        await using (var command = db.CreateCommand($"""
            SELECT value, display_value FROM filters_data
            WHERE service = $1 AND filter_key = $2 {(searchText.Length > 0 ? "AND display_value ILIKE $3" : "")}
            OFFSET {offset} LIMIT {size}
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = service });
            command.Parameters.Add(new NpgsqlParameter { Value = filterKey });
            if (searchText.Length > 0)
            {
                // Wildcards in the text stay wildcards: Connectra does not escape them (docs/connectra.md#x11).
                command.Parameters.Add(new NpgsqlParameter { Value = $"%{searchText}%" });
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                result.Add(new ConnectraFilterValue { Value = reader.GetString(0), DisplayValue = reader.GetString(1) });
            }
        }

        return result;
    }

    /// <summary>The keys of filters that feed filters_data for a service: direct_derived = false, active or not.</summary>
    public async Task<List<string>> StoredValueKeysAsync(string service, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT key FROM filters WHERE service = $1 AND direct_derived = false");
        command.Parameters.Add(new NpgsqlParameter { Value = service });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var keys = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    /// <summary>Inserts values that are not there yet; the uuid is v5 of key + service + value (docs/connectra.md#identifiers).</summary>
    public async Task AddValuesAsync(IReadOnlyCollection<StoredFilterValue> values, CancellationToken ct)
    {
        if (values.Count == 0)
        {
            return;
        }

        await using var command = db.CreateCommand("""
            INSERT INTO filters_data (uuid, filter_key, service, display_value, value)
            SELECT u, k, s, v, v FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(u, k, s, v)
            ON CONFLICT (uuid) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = values.Select(v => Uuid5.Create(v.FilterKey + v.Service + v.Value)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = values.Select(v => v.FilterKey).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = values.Select(v => v.Service).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = values.Select(v => v.Value).ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The values a contact feeds to filters_data: array elements or the scalar's text, empty ones skipped.
    /// </summary>
    public static IEnumerable<StoredFilterValue> ValuesOf(ConnectraContact contact, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            foreach (var value in ContactField(contact, key))
            {
                if (value.Length > 0)
                {
                    yield return new StoredFilterValue(key, ConnectraService.Contact, value);
                }
            }
        }
    }

    /// <summary>Companies feed plain string fields only: their array fields never produce values (docs/connectra.md#x11).</summary>
    public static IEnumerable<StoredFilterValue> ValuesOf(ConnectraCompany company, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            if (CompanyStringField(company, key) is { Length: > 0 } value)
            {
                yield return new StoredFilterValue(key, ConnectraService.Company, value);
            }
        }
    }

    private static IEnumerable<string> ContactField(ConnectraContact c, string key) => key switch
    {
        "departments" => c.Departments ?? [],
        "id" => [(c.Id ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)],
        _ => [ContactStringField(c, key) ?? ""],
    };

    private static string? ContactStringField(ConnectraContact c, string key) => key switch
    {
        "uuid" => c.Uuid,
        "first_name" => c.FirstName,
        "last_name" => c.LastName,
        "company_id" => c.CompanyId,
        "email" => c.Email,
        "title" => c.Title,
        "mobile_phone" => c.MobilePhone,
        "email_status" => c.EmailStatus,
        "seniority" => c.Seniority,
        "city" => c.City,
        "state" => c.State,
        "country" => c.Country,
        "linkedin_url" => c.LinkedinUrl,
        "facebook_url" => c.FacebookUrl,
        "twitter_url" => c.TwitterUrl,
        "website" => c.Website,
        "work_direct_phone" => c.WorkDirectPhone,
        "home_phone" => c.HomePhone,
        "other_phone" => c.OtherPhone,
        "stage" => c.Stage,
        _ => null,
    };

    private static string? CompanyStringField(ConnectraCompany c, string key) => key switch
    {
        "uuid" => c.Uuid,
        "name" => c.Name,
        "address" => c.Address,
        "city" => c.City,
        "state" => c.State,
        "country" => c.Country,
        "linkedin_url" => c.LinkedinUrl,
        "website" => c.Website,
        "normalized_domain" => c.NormalizedDomain,
        "facebook_url" => c.FacebookUrl,
        "twitter_url" => c.TwitterUrl,
        "company_name_for_emails" => c.CompanyNameForEmails,
        "phone_number" => c.PhoneNumber,
        "latest_funding" => c.LatestFunding,
        "last_raised_at" => c.LastRaisedAt,
        _ => null,
    };
}

/// <summary>F2 found no active filter with that key: Connectra answers 500 "sql: no rows in result set".</summary>
internal sealed class FilterNotFoundException : Exception
{
    public FilterNotFoundException()
        : base("sql: no rows in result set")
    {
    }
}
