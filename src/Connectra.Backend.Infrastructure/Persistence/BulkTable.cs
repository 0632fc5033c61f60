using System.Collections.Concurrent;
using System.Linq.Expressions;
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
                column.Set(row, column.Default);
            }
        }

        if (rows is [var single])
        {
            // One record (every API write): one plain statement instead of a sequence query and a COPY.
            await using var insert = Command(connection,
                $"INSERT INTO {Quoted} ({string.Join(", ", Values.Select(c => Quote(c.Name)))}) " +
                $"VALUES ({string.Join(", ", Values.Select((_, i) => $"@p{i}"))}) RETURNING {Quote(_key.Name)}", single, Values);
            _key.Set(single, (long)(await insert.ExecuteScalarAsync(ct))!);
            return;
        }

        // The sequence is looked up once (a MATERIALIZED CTE): called per row, pg_get_serial_sequence's catalog lookups
        // cost ~7 ms per 1,000 ids, most of what drawing them costs.
        await using (var ids = new NpgsqlCommand(
            "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(@table, @key)::regclass AS sequence) " +
            "SELECT nextval(s.sequence) FROM s, generate_series(1, @count) ORDER BY 1", connection))
        {
            ids.Parameters.AddWithValue("table", Quoted);
            ids.Parameters.AddWithValue("key", _key.Name);
            ids.Parameters.AddWithValue("count", rows.Count);
            await using var reader = await ids.ExecuteReaderAsync(ct);
            foreach (var row in rows)
            {
                await reader.ReadAsync(ct);
                _key.Set(row, reader.GetInt64(0));
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
        // Values go in with the synchronous calls: each only fills Npgsql's buffer, which flushes when full, and the
        // asynchronous ones cost a state machine and a cancellation registration per value, the most of a row's copy.
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            copy.StartRow();
            foreach (var column in _columns)
            {
                column.Write(copy, row);
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

    /// <summary>
    /// One column: its property, how a value reaches the database, and the model's default for new rows. The property
    /// is read and set through compiled delegates and written to <c>COPY</c> as its own type, since reflection and
    /// Npgsql's per-value type lookup for a boxed value cost more than the rest of a row's copy.
    /// </summary>
    private sealed class Column
    {
        private static readonly System.Reflection.MethodInfo TypedWriter =
            typeof(Column).GetMethod(nameof(Typed), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

        private readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? _converter;
        private readonly object? _clrDefault;
        private readonly Func<object, object?> _get;
        private readonly Action<object, object?> _set;
        private readonly Action<NpgsqlBinaryImporter, object> _write;

        public Column(IProperty property, string name, bool isKey)
        {
            (Property, Name, IsKey) = (property, name, isKey);
            _converter = property.GetTypeMapping().Converter;
            _clrDefault = property.ClrType.IsValueType && Nullable.GetUnderlyingType(property.ClrType) is null
                ? Activator.CreateInstance(property.ClrType)
                : null;
            Default = isKey ? null : property.GetDefaultValue();
            var info = property.PropertyInfo ?? throw new InvalidOperationException($"{property.DeclaringType.DisplayName()}.{property.Name} is not a CLR property");
            var row = Expression.Parameter(typeof(object), "row");
            var value = Expression.Parameter(typeof(object), "value");
            var typed = Expression.Property(Expression.Convert(row, info.DeclaringType!), info);
            _get = Expression.Lambda<Func<object, object?>>(Expression.Convert(typed, typeof(object)), row).Compile();
            _set = Expression.Lambda<Action<object, object?>>(Expression.Assign(typed, Expression.Convert(value, info.PropertyType)), row, value).Compile();
            var stored = _converter?.ProviderClrType ?? property.ClrType;
            _write = TypedWriter
                .MakeGenericMethod(Nullable.GetUnderlyingType(stored) ?? stored)
                .CreateDelegate<Action<NpgsqlBinaryImporter, object>>();
        }

        public IProperty Property { get; }

        public string Name { get; }

        public bool IsKey { get; }

        /// <summary>The model's constant default (not a SQL one: a stamped time is always set by the write).</summary>
        public object? Default { get; }

        public bool IsClrDefault(object row) => Equals(_get(row), _clrDefault);

        public void Set(object row, object? value) => _set(row, value);

        /// <summary>The row's value of this column as the database stores it (converted as the model says).</summary>
        public object? Value(object row)
        {
            var value = _get(row);
            return value is not null && _converter is not null ? _converter.ConvertToProvider(value) : value;
        }

        /// <summary>The row's value of this column into the <c>COPY</c>, converted as the model says, or a null.</summary>
        public void Write(NpgsqlBinaryImporter copy, object row)
        {
            var value = _get(row);
            if (value is null)
            {
                copy.WriteNull();
                return;
            }

            _write(copy, _converter is null ? value : _converter.ConvertToProvider(value)!);
        }

        private static void Typed<T>(NpgsqlBinaryImporter copy, object value) => copy.Write((T)value);
    }
}
