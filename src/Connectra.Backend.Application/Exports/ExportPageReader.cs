using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Connectra.Backend.Application.Reading;
using Connectra.Client;

namespace Connectra.Backend.Application.Exports;

/// <summary>
/// Turns the body of one Connectra search page straight into CSV rows (docs/exports.md#reading-pages): a
/// <see cref="Utf8JsonReader"/> walk that keeps the values of the chosen columns as UTF-8 bytes, row by row, and writes
/// each row's cells with <see cref="Utf8CsvWriter"/>, with no record objects and no strings per cell. The cells are
/// exactly those <see cref="ExportColumn{T}.Cell"/> makes of the same answer, read as a record.
/// <para>
/// The answer is checked as <see cref="ConnectraAnswers.Rows{T}"/> checks it: an object saying <c>success: true</c>
/// with a <c>data</c> list of objects that each carry their uuid. A value of a chosen column of the wrong JSON type
/// breaks the contract too. Members no column reads are skipped unread. Every breach is a
/// <see cref="ConnectraContractException"/>, which callers report as Connectra being unavailable, never as rows.
/// </para>
/// One reader serves one stream of a job at a time: it keeps its CSV writer, and with it the writer's state across
/// pages, as one part file's writer does.
/// </summary>
public sealed class ExportPageReader
{
    private const int LongestName = 256;

    private readonly Fields _row = new();
    private readonly Fields _company = new();
    private readonly Cell[] _cells;
    private readonly int _uuid;
    private readonly int _cursor;
    private readonly int _companyField;
    private readonly int _tombstone;
    private readonly PooledChunk _chunk = new();
    private readonly Utf8CsvWriter _csv;
    private readonly List<(int Start, int Length)> _rowCursor = [];
    private byte[] _values = new byte[8192];
    private int _used;
    private byte[] _scratch = new byte[1024];
    private byte[] _lastCursor = new byte[256];
    private readonly List<(int Start, int Length)> _lastCursorParts = [];
    private readonly byte[]? _upTo;
    private bool _ended;

    private ExportPageReader(IEnumerable<(ExportCellKind Kind, bool FromCompany, IReadOnlyList<string> Reads)> columns, string? upTo)
    {
        _upTo = upTo is null ? null : Encoding.UTF8.GetBytes(upTo);
        _csv = new Utf8CsvWriter(_chunk);
        _uuid = _row.Add("uuid", FieldKind.Text);
        _cursor = _row.Add("cursor", FieldKind.Cursor);
        var cells = new List<Cell>();
        foreach (var (kind, fromCompany, reads) in columns)
        {
            var fields = fromCompany ? _company : _row;
            var fieldKind = kind switch
            {
                ExportCellKind.List => FieldKind.List,
                ExportCellKind.Number => FieldKind.Number,
                ExportCellKind.Time => FieldKind.Time,
                _ => FieldKind.Text,
            };
            var slots = reads.Select(read => fields.Add(read, fieldKind)).ToArray();
            if (slots.Length != (kind == ExportCellKind.Location ? 3 : 1))
            {
                throw new ArgumentException($"A {kind} column reads {(kind == ExportCellKind.Location ? 3 : 1)} fields.", nameof(columns));
            }

            cells.Add(new Cell(kind, fromCompany, slots[0], slots.Length > 1 ? slots[1] : -1, slots.Length > 2 ? slots[2] : -1));
        }

        _cells = [.. cells];
        // A contact's company that was deleted is a tombstone (Tombstones): its columns stay empty, as for no company.
        _companyField = _company.Count > 0 ? _row.Add("company", FieldKind.Company) : -1;
        _tombstone = _company.Count > 0 ? _company.Add(Tombstones.CompanyField, FieldKind.Text) : -1;
        _row.Seal();
        _company.Seal();
    }

    /// <summary>
    /// A reader for these columns of a contact or company export. With <paramref name="upTo"/>, rows of a walk in uuid
    /// order whose uuid comes after it (in Connectra's order: UTF-8 bytes) end the walk and are not written: the
    /// upper bound of a stream (<see cref="ExportStreams"/>).
    /// </summary>
    public static ExportPageReader For<T>(IReadOnlyList<ExportColumn<T>> columns, string? upTo = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return new ExportPageReader(columns.Select(c => (c.Kind, c.FromCompany, c.Reads)), upTo);
    }

    /// <summary>
    /// The page's rows as CSV, how many there are and the last row's sort values. Throws
    /// <see cref="ConnectraContractException"/> for an answer that breaks the contract, and then writes nothing.
    /// </summary>
    public ExportPage Read(ReadOnlySpan<byte> body)
    {
        try
        {
            _ended = false;
            var rows = ReadEnvelope(body);
            var (buffer, length) = _chunk.Detach();
            return new ExportPage(buffer, length, rows, LastCursor(rows), _ended);
        }
        catch
        {
            _chunk.Truncate(0);
            throw;
        }
    }

    private int ReadEnvelope(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, isFinalBlock: true, default);
        bool? success = null;
        var rows = -1;
        try
        {
            if (!reader.Read() || reader.TokenType == JsonTokenType.Null)
            {
                throw new ConnectraContractException("the answer was empty");
            }

            Expect(ref reader, JsonTokenType.StartObject, "the answer");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = Envelope(ref reader);
                reader.Read();
                switch (name)
                {
                    case EnvelopeMember.Data when reader.TokenType == JsonTokenType.Null:
                        rows = -1;
                        break;
                    case EnvelopeMember.Data:
                        if (rows >= 0)
                        {
                            throw new ConnectraContractException("the search answer has two data lists");
                        }

                        Expect(ref reader, JsonTokenType.StartArray, "data");
                        rows = ReadRows(ref reader);
                        break;
                    case EnvelopeMember.Success:
                        success = reader.TokenType switch
                        {
                            JsonTokenType.True => true,
                            JsonTokenType.False => false,
                            JsonTokenType.Null => null,
                            _ => throw new ConnectraContractException("success is not a boolean"),
                        };
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (reader.Read())
            {
                throw new ConnectraContractException("the answer goes on after its object");
            }
        }
        catch (Exception unreadable) when (unreadable is JsonException or InvalidOperationException)
        {
            throw new ConnectraContractException("the search answer is not well-formed JSON");
        }

        if (success is not true)
        {
            throw new ConnectraContractException("the answer does not say success: true");
        }

        return rows >= 0 ? rows : throw new ConnectraContractException("the search answer has no data list");
    }

    private int ReadRows(ref Utf8JsonReader reader)
    {
        var rows = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new ConnectraContractException($"search row {rows} has no uuid");
            }

            _used = 0;
            _rowCursor.Clear();
            ReadObject(ref reader, _row);
            if (!_row.Has(_uuid) || _row.Length[_uuid] == 0)
            {
                throw new ConnectraContractException($"search row {rows} has no uuid");
            }

            if (_ended || (_upTo is not null && Value(_row, _uuid).SequenceCompareTo(_upTo) > 0))
            {
                // Past the stream's bound: the rest of the page belongs to the next stream. Still read, to check it.
                _ended = true;
                continue;
            }

            WriteRow();
            _lastCursorParts.Clear();
            if (_row.Has(_cursor))
            {
                KeepCursor();
            }

            rows++;
        }

        return rows;
    }

    private void ReadObject(ref Utf8JsonReader reader, Fields fields)
    {
        fields.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Find(ref reader, fields);
            reader.Read();
            if (field < 0)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType == JsonTokenType.Null)
            {
                fields.Present[field] = false;
                continue;
            }

            var start = _used;
            switch (fields.Kinds[field])
            {
                case FieldKind.Text:
                    Expect(ref reader, JsonTokenType.String, fields.Names[field]);
                    AppendString(ref reader);
                    break;
                case FieldKind.List:
                    ReadList(ref reader, fields.Names[field]);
                    break;
                case FieldKind.Number:
                    AppendNumber(ref reader, fields.Names[field]);
                    break;
                case FieldKind.Time:
                    AppendTime(ref reader, fields.Names[field]);
                    break;
                case FieldKind.Cursor:
                    ReadCursor(ref reader);
                    break;
                case FieldKind.Company:
                    Expect(ref reader, JsonTokenType.StartObject, "company");
                    ReadObject(ref reader, _company);
                    break;
            }

            fields.Present[field] = true;
            fields.Start[field] = start;
            fields.Length[field] = _used - start;
        }
    }

    /// <summary>Items that are null, empty or unknown are left out, the rest joined: what an empty cell means stays the same.</summary>
    private void ReadList(ref Utf8JsonReader reader, string name)
    {
        Expect(ref reader, JsonTokenType.StartArray, name);
        var start = _used;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            Expect(ref reader, JsonTokenType.String, name);
            var before = _used;
            if (before > start)
            {
                Append(","u8);
            }

            var item = _used;
            AppendString(ref reader);
            if (IsUnknown(_values.AsSpan(item, _used - item)))
            {
                _used = before;
            }
        }
    }

    private void ReadCursor(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "cursor");
        _rowCursor.Clear();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.String, "cursor");
            var start = _used;
            AppendString(ref reader);
            _rowCursor.Add((start, _used - start));
        }
    }

    /// <summary>Integers come as JSON numbers or, as the record reader also takes them, as strings of digits.</summary>
    private void AppendNumber(ref Utf8JsonReader reader, string name)
    {
        long value;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.TryGetInt64(out value))
            {
                throw new ConnectraContractException($"{name} is not a 64-bit integer");
            }
        }
        else
        {
            Expect(ref reader, JsonTokenType.String, name);
            var start = _used;
            AppendString(ref reader);
            var digits = _values.AsSpan(start, _used - start);
            _used = start;
            if (!Utf8Parser.TryParse(digits, out value, out var consumed) || consumed != digits.Length)
            {
                throw new ConnectraContractException($"{name} is not a 64-bit integer");
            }
        }

        Ensure(20);
        Utf8Formatter.TryFormat(value, _values.AsSpan(_used), out var written);
        _used += written;
    }

    private void AppendTime(ref Utf8JsonReader reader, string name)
    {
        Expect(ref reader, JsonTokenType.String, name);
        if (!reader.TryGetDateTimeOffset(out var time))
        {
            throw new ConnectraContractException($"{name} is not a timestamp");
        }

        Ensure(40);
        time.UtcDateTime.TryFormat(_values.AsSpan(_used), out var written, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
        _used += written;
    }

    private void AppendString(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        Ensure(raw.Length);
        if (reader.ValueIsEscaped)
        {
            _used += reader.CopyString(_values.AsSpan(_used));
        }
        else
        {
            raw.CopyTo(_values.AsSpan(_used));
            _used += raw.Length;
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_values.AsSpan(_used));
        _used += bytes.Length;
    }

    private void Ensure(int more)
    {
        if (_values.Length - _used < more)
        {
            Array.Resize(ref _values, Math.Max(_values.Length * 2, _used + more));
        }
    }

    private void WriteRow()
    {
        var company = _companyField >= 0 && _row.Has(_companyField)
            && !(_company.Has(_tombstone) && Value(_company, _tombstone).SequenceEqual(Tombstones.MarkerUtf8));
        foreach (var cell in _cells)
        {
            if (cell.FromCompany && !company)
            {
                _csv.WriteUtf8Field([]);
                continue;
            }

            var fields = cell.FromCompany ? _company : _row;
            switch (cell.Kind)
            {
                case ExportCellKind.Text:
                    var text = Value(fields, cell.First);
                    _csv.WriteUtf8Field(IsUnknown(text) ? [] : text);
                    break;
                case ExportCellKind.Location:
                    _csv.WriteUtf8Field(Location(fields, cell));
                    break;
                default:
                    _csv.WriteUtf8Field(Value(fields, cell.First));
                    break;
            }
        }

        _csv.EndRecord();
    }

    /// <summary>"city state country" of the parts that are known, as <c>Values.Location</c> makes it.</summary>
    private ReadOnlySpan<byte> Location(Fields fields, Cell cell)
    {
        var length = 0;
        foreach (var field in (ReadOnlySpan<int>)[cell.First, cell.Second, cell.Third])
        {
            var part = Value(fields, field);
            if (IsUnknown(part))
            {
                continue;
            }

            if (_scratch.Length < length + part.Length + 1)
            {
                Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, length + part.Length + 1));
            }

            if (length > 0)
            {
                _scratch[length++] = (byte)' ';
            }

            part.CopyTo(_scratch.AsSpan(length));
            length += part.Length;
        }

        return _scratch.AsSpan(0, length);
    }

    private ReadOnlySpan<byte> Value(Fields fields, int field) =>
        fields.Has(field) ? _values.AsSpan(fields.Start[field], fields.Length[field]) : [];

    /// <summary>Empty, or Connectra's placeholder for unknown: both an empty cell (<c>Values.Clean</c>).</summary>
    private static bool IsUnknown(ReadOnlySpan<byte> value) => value.IsEmpty || (value.Length == 1 && value[0] == (byte)'_');

    private void KeepCursor()
    {
        var length = 0;
        foreach (var (start, count) in _rowCursor)
        {
            if (_lastCursor.Length < length + count)
            {
                Array.Resize(ref _lastCursor, Math.Max(_lastCursor.Length * 2, length + count));
            }

            _values.AsSpan(start, count).CopyTo(_lastCursor.AsSpan(length));
            _lastCursorParts.Add((length, count));
            length += count;
        }
    }

    /// <summary>The last row's sort values: what the walk goes on after. Strings once a page, not per row.</summary>
    private string[]? LastCursor(int rows) =>
        rows == 0 || _lastCursorParts.Count == 0
            ? null
            : [.. _lastCursorParts.Select(p => Encoding.UTF8.GetString(_lastCursor, p.Start, p.Length))];

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw new ConnectraContractException($"{what} is not {(type switch
            {
                JsonTokenType.String => "a string",
                JsonTokenType.StartArray => "a list",
                _ => "an object",
            })}");
        }
    }

    private static EnvelopeMember Envelope(ref Utf8JsonReader reader)
    {
        Span<char> name = stackalloc char[LongestName];
        var length = Name(ref reader, name);
        return length switch
        {
            4 when name[..4].Equals("data", StringComparison.OrdinalIgnoreCase) => EnvelopeMember.Data,
            7 when name[..7].Equals("success", StringComparison.OrdinalIgnoreCase) => EnvelopeMember.Success,
            _ => EnvelopeMember.Other,
        };
    }

    private static int Find(ref Utf8JsonReader reader, Fields fields) => fields.Find(ref reader);

    private static int FindByName(ref Utf8JsonReader reader, Fields fields)
    {
        Span<char> name = stackalloc char[LongestName];
        var length = Name(ref reader, name);
        return length < 0 ? -1 : fields.Find(name[..length]);
    }

    /// <summary>
    /// The property name as characters, or -1 when it is too long to be one a column reads. Names are matched as the
    /// record reader matches them: without regard to case.
    /// </summary>
    private static int Name(ref Utf8JsonReader reader, scoped Span<char> name)
    {
        if (reader.ValueSpan.Length > LongestName)
        {
            return -1;
        }

        Span<byte> utf8 = stackalloc byte[LongestName];
        var length = reader.ValueIsEscaped ? reader.CopyString(utf8) : Copy(reader.ValueSpan, utf8);
        return Encoding.UTF8.GetChars(utf8[..length], name);
    }

    private static int Copy(ReadOnlySpan<byte> from, Span<byte> to)
    {
        from.CopyTo(to);
        return from.Length;
    }

    private enum EnvelopeMember
    {
        Other,
        Data,
        Success,
    }

    private enum FieldKind : byte
    {
        Text,
        List,
        Number,
        Time,
        Cursor,
        Company,
    }

    private readonly record struct Cell(ExportCellKind Kind, bool FromCompany, int First, int Second, int Third);

    /// <summary>The members one kind of object (a row, or its company) has read, and where this row's values lie.</summary>
    private sealed class Fields
    {
        /// <summary>Names met as raw bytes, known or not, that are looked up without decoding: most of a page's work is here.</summary>
        private const int MaxLearned = 256;

        private readonly (byte[] Name, int Field)[][] _bytes = [.. Enumerable.Range(0, 64).Select(_ => Array.Empty<(byte[], int)>())];
        private int _learned;
        private readonly Dictionary<string, int> _byName = new(StringComparer.OrdinalIgnoreCase);
        private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public List<string> Names { get; } = [];

        public List<FieldKind> Kinds { get; } = [];

        public bool[] Present { get; private set; } = [];

        public int[] Start { get; private set; } = [];

        public int[] Length { get; private set; } = [];

        public int Count => Names.Count;

        public int Add(string name, FieldKind kind)
        {
            if (_byName.TryGetValue(name, out var known))
            {
                return Kinds[known] == kind ? known : throw new ArgumentException($"'{name}' is read as {Kinds[known]} and as {kind}.", nameof(kind));
            }

            _byName[name] = Names.Count;
            Names.Add(name);
            Kinds.Add(kind);
            return Names.Count - 1;
        }

        public void Seal()
        {
            _lookup = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
            for (var i = 0; i < Names.Count; i++)
            {
                Remember(Encoding.UTF8.GetBytes(Names[i]), i);
            }

            Present = new bool[Count];
            Start = new int[Count];
            Length = new int[Count];
        }

        public int Find(ReadOnlySpan<char> name) => _lookup.TryGetValue(name, out var field) ? field : -1;

        /// <summary>
        /// The field the current property name stands for, or -1. Names as Connectra writes them (unescaped) are
        /// matched byte for byte; any other form, in other letter case or escaped, is decoded and matched as the
        /// record reader would, and then remembered as it came.
        /// </summary>
        public int Find(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped)
            {
                return FindByName(ref reader, this);
            }

            var raw = reader.ValueSpan;
            var bucket = _bytes[Bucket(raw)];
            for (var i = 0; i < bucket.Length; i++)
            {
                if (raw.SequenceEqual(bucket[i].Name))
                {
                    return bucket[i].Field;
                }
            }

            var field = FindByName(ref reader, this);
            if (_learned < MaxLearned && raw.Length <= LongestName)
            {
                _learned++;
                Remember(raw.ToArray(), field);
            }

            return field;
        }

        private void Remember(byte[] name, int field)
        {
            ref var bucket = ref _bytes[Bucket(name)];
            bucket = [.. bucket, (name, field)];
        }

        private static int Bucket(ReadOnlySpan<byte> name) => name.IsEmpty ? 0 : ((name.Length * 31) + (name[0] * 7) + name[^1]) & 63;

        public bool Has(int field) => field >= 0 && Present[field];

        public void Clear() => Array.Clear(Present);
    }

    /// <summary>The CSV of the page being read, in a pooled array that the finished page takes along.</summary>
    private sealed class PooledChunk : IBufferWriter<byte>
    {
        private int _size = 1 << 16;
        private byte[] _buffer = [];
        private int _written;

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _buffer.AsMemory(_written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _buffer.AsSpan(_written);
        }

        public (byte[] Buffer, int Length) Detach()
        {
            var page = (_buffer, _written);
            // The next page is likely about as long: start at this one's size and rarely grow.
            _size = Math.Max(_size, _written);
            _buffer = [];
            _written = 0;
            return page;
        }

        public void Truncate(int length) => _written = length;

        private void Ensure(int sizeHint)
        {
            var needed = _written + Math.Max(sizeHint, 1);
            if (needed <= _buffer.Length)
            {
                return;
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length == 0 ? _size : _buffer.Length * 2));
            _buffer.AsSpan(0, _written).CopyTo(larger);
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = larger;
        }
    }
}

/// <summary>One page of an export as CSV rows; its buffer goes back to the pool when it is disposed.</summary>
public sealed class ExportPage : IRawPage
{
    private byte[]? _buffer;

    internal ExportPage(byte[] buffer, int length, int count, IReadOnlyList<string>? cursor, bool ended)
    {
        Ended = ended;
        _buffer = buffer;
        Length = length;
        Count = count;
        Cursor = cursor;
    }

    /// <summary>Rows in the page.</summary>
    public int Count { get; }

    /// <summary>The last row's sort values, when the search was ordered.</summary>
    public IReadOnlyList<string>? Cursor { get; }

    public int Length { get; }

    /// <summary>A row past the stream's upper bound was met: this page is the stream's last.</summary>
    public bool Ended { get; }

    public ReadOnlyMemory<byte> Csv => _buffer is { } buffer ? buffer.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(ExportPage));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { Length: > 0 } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
