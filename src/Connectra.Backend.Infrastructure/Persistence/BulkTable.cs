using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace Connectra.Backend.Infrastructure.Persistence;

/// <summary>
/// Set-based writes of one table, driven by the EF Core model (its columns, defaults and value conversions), so a
/// batch costs a few statements whatever its size: new rows go in with one binary <c>COPY</c>, changed rows are
/// copied into a temporary staging table and applied with one <c>UPDATE … FROM</c>; a single row takes one plain
/// <c>INSERT</c> or <c>UPDATE</c>. Ids come from the table's identity
/// sequence before the copy, in the rows' order, so every row knows its id afterwards as it would from EF Core.
/// Runs on the context's open connection, inside its current transaction.
/// </summary>
internal sealed class BulkTable
{
    private static readonly ConcurrentDictionary<Type, BulkTable> Tables = new();

    private readonly string _name;
    private readonly Column _key;
    private readonly Column[] _columns;

    private BulkTable(IEntityType entity)
    {
        _name = entity.GetTableName() ?? throw new InvalidOperationException($"{entity.DisplayName()} is not mapped to a table");
        var table = StoreObjectIdentifier.Table(_name, entity.GetSchema());
        var key = entity.FindPrimaryKey()?.Properties is [var single] ? single : throw new InvalidOperationException($"{_name} needs a single-column key");
        _columns = [.. entity.GetProperties().Select(p => new Column(p, p.GetColumnName(table) ?? p.Name, p == key))];
        _key = _columns.Single(c => c.IsKey);
    }

    /// <summary>The table of an entity type of the context's model.</summary>
    public static BulkTable Of<T>(DbContext db) => Tables.GetOrAdd(typeof(T), _ =>
        new BulkTable(db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model")));

    private string Quoted => Quote(_name);

    /// <summary>Every column but the key.</summary>
    private Column[] Values => field ??= [.. _columns.Where(c => !c.IsKey)];

    /// <summary>
    /// Inserts the rows with one <c>COPY</c>. A property left at its CLR default that has a default value in the model
    /// gets that value, in the row too (what EF Core reads back after an insert).
    /// </summary>
    public async Task InsertAsync(NpgsqlConnection connection, IReadOnlyList<object> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        foreach (var column in _columns.Where(c => c.Default is not null))
        {
            foreach (var row in rows.Where(r => column.IsClrDefault(r)))
            {
                column.Property.PropertyInfo!.SetValue(row, column.Default);
            }
        }

        if (rows is [var single])
        {
            // One record (every API write): one plain statement instead of a sequence query and a COPY.
            await using var insert = Command(connection,
                $"INSERT INTO {Quoted} ({string.Join(", ", Values.Select(c => Quote(c.Name)))}) " +
                $"VALUES ({string.Join(", ", Values.Select((_, i) => $"@p{i}"))}) RETURNING {Quote(_key.Name)}", single, Values);
            _key.Property.PropertyInfo!.SetValue(single, (long)(await insert.ExecuteScalarAsync(ct))!);
            return;
        }

        await using (var ids = new NpgsqlCommand($"SELECT nextval(pg_get_serial_sequence(@table, @key)) FROM generate_series(1, @count) ORDER BY 1", connection))
        {
            ids.Parameters.AddWithValue("table", Quoted);
            ids.Parameters.AddWithValue("key", _key.Name);
            ids.Parameters.AddWithValue("count", rows.Count);
            await using var reader = await ids.ExecuteReaderAsync(ct);
            foreach (var row in rows)
            {
                await reader.ReadAsync(ct);
                _key.Property.PropertyInfo!.SetValue(row, reader.GetInt64(0));
            }
        }

        await CopyAsync(connection, Quoted, rows, ct);
    }

    /// <summary>
    /// Overwrites every column of the rows, found by key, with one statement. <paramref name="guard"/> names a property
    /// whose stored value must be one less than the row's (the version a write started from); the answer is how many
    /// rows were changed, which falls short when a guarded row moved meanwhile.
    /// </summary>
    public async Task<int> UpdateAsync(NpgsqlConnection connection, IReadOnlyList<object> rows, string? guard, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        var guarded = guard is null ? null : Quote(_columns.Single(c => c.Property.Name == guard).Name);
        if (rows is [var single])
        {
            // One record (every API write): one plain statement, no staging table.
            var guardValue = Array.FindIndex(Values, c => c.Property.Name == guard);
            await using var update = Command(connection,
                $"UPDATE {Quoted} SET {string.Join(", ", Values.Select((c, i) => $"{Quote(c.Name)} = @p{i}"))} " +
                $"WHERE {Quote(_key.Name)} = @key" + (guarded is null ? "" : $" AND {guarded} = @p{guardValue} - 1"),
                single, Values);
            update.Parameters.AddWithValue("key", _key.Value(single)!);
            return await update.ExecuteNonQueryAsync(ct);
        }

        var staging = Quote("staging_" + _name);
        await Execute(connection, $"CREATE TEMP TABLE {staging} ON COMMIT DROP AS TABLE {Quoted} WITH NO DATA", ct);
        await CopyAsync(connection, staging, rows, ct);
        var set = string.Join(", ", _columns.Where(c => !c.IsKey).Select(c => $"{Quote(c.Name)} = s.{Quote(c.Name)}"));
        var changed = await Execute(connection,
            $"UPDATE {Quoted} t SET {set} FROM {staging} s WHERE t.{Quote(_key.Name)} = s.{Quote(_key.Name)}" +
            (guarded is null ? "" : $" AND t.{guarded} = s.{guarded} - 1"), ct);
        await Execute(connection, $"DROP TABLE {staging}", ct);
        return changed;
    }

    private async Task CopyAsync(NpgsqlConnection connection, string table, IReadOnlyList<object> rows, CancellationToken ct)
    {
        var columns = string.Join(", ", _columns.Select(c => Quote(c.Name)));
        await using var copy = await connection.BeginBinaryImportAsync($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            foreach (var column in _columns)
            {
                if (column.Value(row) is { } value)
                {
                    await copy.WriteAsync(value, ct);
                }
                else
                {
                    await copy.WriteNullAsync(ct);
                }
            }
        }

        await copy.CompleteAsync(ct);
    }

    /// <summary>A statement with the row's values of <paramref name="columns"/> as parameters <c>@p0</c>, <c>@p1</c>, ….</summary>
    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object row, Column[] columns)
    {
        var command = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < columns.Length; i++)
        {
            command.Parameters.AddWithValue($"p{i}", columns[i].Value(row) ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<int> Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>One column: its property, how a value reaches the database, and the model's default for new rows.</summary>
    private sealed class Column(IProperty property, string name, bool isKey)
    {
        private readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? _converter = property.GetTypeMapping().Converter;
        private readonly object? _clrDefault = property.ClrType.IsValueType && Nullable.GetUnderlyingType(property.ClrType) is null
            ? Activator.CreateInstance(property.ClrType)
            : null;

        public IProperty Property { get; } = property;

        public string Name { get; } = name;

        public bool IsKey { get; } = isKey;

        /// <summary>The model's constant default (not a SQL one: a stamped time is always set by the write).</summary>
        public object? Default { get; } = isKey ? null : property.GetDefaultValue();

        public bool IsClrDefault(object row) => Equals(Property.PropertyInfo!.GetValue(row), _clrDefault);

        public object? Value(object row)
        {
            var value = Property.PropertyInfo!.GetValue(row);
            return value is not null && _converter is not null ? _converter.ConvertToProvider(value) : value;
        }
    }
}
