using Npgsql;

namespace Connectra.Emulator.Store;

/// <summary>
/// Reads the selected columns of the current row, turning empty values into null: Connectra omits every empty value
/// from its JSON (docs/connectra.md#json-rendering), and a column that was not selected reads as null too.
/// </summary>
internal sealed class RowReader
{
    private readonly NpgsqlDataReader _reader;
    private readonly Dictionary<string, int> _ordinals = new(StringComparer.Ordinal);

    public RowReader(NpgsqlDataReader reader)
    {
        _reader = reader;
        for (var i = 0; i < reader.FieldCount; i++)
        {
            _ordinals.TryAdd(reader.GetName(i), i);
        }
    }

    public bool Has(string name) => _ordinals.ContainsKey(name);

    public string? Text(string name) =>
        _ordinals.TryGetValue(name, out var i) && !_reader.IsDBNull(i) && _reader.GetString(i) is { Length: > 0 } value
            ? value
            : null;

    public long? Number(string name) =>
        _ordinals.TryGetValue(name, out var i) && !_reader.IsDBNull(i) && _reader.GetInt64(i) is not 0 and var value
            ? value
            : null;

    public IReadOnlyList<string>? List(string name) =>
        _ordinals.TryGetValue(name, out var i) && !_reader.IsDBNull(i) && _reader.GetFieldValue<string[]>(i) is { Length: > 0 } value
            ? value
            : null;

    public DateTimeOffset? Time(string name) =>
        _ordinals.TryGetValue(name, out var i) && !_reader.IsDBNull(i)
            ? new DateTimeOffset(_reader.GetFieldValue<DateTime>(i), TimeSpan.Zero)
            : null;
}
