using System.Buffers;
using System.Text;

namespace Connectra.Backend.Application.Importing;

/// <summary>The limits a reader holds every row to (docs/imports.md#limits).</summary>
public sealed record CsvLimits(int MaxColumns, int MaxCellLength);

/// <summary>
/// One record of a CSV file: the physical line it starts on, its cells, and what is wrong with it when something is
/// (then the cells are what could be read: a cell over the length limit is cut to it, cells past the column limit are
/// dropped). <see cref="ErrorColumn"/> is the 0-based cell at fault, or null for the row as a whole.
/// </summary>
public sealed record CsvRow(long Line, IReadOnlyList<string> Cells, string? Error, int? ErrorColumn);

/// <summary>The file cannot be read any further (its encoding is broken): the job fails, naming the line.</summary>
public sealed class CsvFileException(long line, string message) : Exception($"line {line}: {message}")
{
    public long Line { get; } = line;
}

/// <summary>
/// A strict, streaming RFC 4180 reader (docs/imports.md#files). Cells are separated by <c>,</c>; records end with
/// CRLF, LF or a lone CR; a quoted cell may hold separators, line breaks and doubled quotes. Blank lines (a trailing
/// empty line among them) are skipped. Broken records are reported, not guessed at: a quote inside an unquoted
/// cell, text after a closing quote, and a quoted cell left open at the end of the file each make their row an error,
/// and reading goes on after the end of that physical line. Work is linear in the file's length and memory is bounded
/// by the limits: a cell past <see cref="CsvLimits.MaxCellLength"/> stops growing and cells past
/// <see cref="CsvLimits.MaxColumns"/> are not kept, however long the line. The encoding comes from the byte-order mark
/// (UTF-8, UTF-16 LE/BE), else UTF-8; invalid bytes stop the file with a <see cref="CsvFileException"/>.
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    private const int BufferChars = 1 << 15;
    private static readonly SearchValues<char> UnquotedStops = SearchValues.Create(",\"\r\n");
    private static readonly SearchValues<char> QuotedStops = SearchValues.Create("\"\n\r");
    private static readonly SearchValues<char> RecordStops = SearchValues.Create("\"\r\n");

    /// <summary>What a byte sequence the encoding refuses decodes to: a noncharacter no CSV file of ours holds.</summary>
    private const char Invalid = '\uFFFF';

    private readonly Stream _stream;
    private readonly byte[] _bytes = new byte[BufferChars];
    private readonly InvalidMarker _invalid = new();
    private Encoding? _encoding;
    private Decoder? _decoder;
    private int _byteAt;
    private int _byteEnd;
    private bool _streamDone;
    private bool _broken;
    private readonly CsvLimits _limits;
    private readonly char[] _buffer = new char[BufferChars];
    private readonly StringBuilder _cell = new();
    private int _at;
    private int _end;
    private bool _eof;
    private long _line = 1;
    private bool _afterCr;
    private bool _cellFull;

    public CsvRecordReader(Stream stream, CsvLimits limits)
    {
        _stream = stream;
        _limits = limits;
    }

    /// <summary>The physical line the next record starts on.</summary>
    public long Line => _line;

    public void Dispose() => _stream.Dispose();

    /// <summary>The next record, or null at the end of the file.</summary>
    public async ValueTask<CsvRow?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            if (!await FillAsync(ct))
            {
                return null;
            }

            // A line break left from the record before, or a blank line: not a record.
            var c = _buffer[_at];
            if (c == '\n' && _afterCr)
            {
                _afterCr = false;
                _at++;
                continue;
            }

            if (c is '\r' or '\n')
            {
                Break(c);
                _at++;
                continue;
            }

            return await RecordAsync(ct);
        }
    }

    private async ValueTask<CsvRow> RecordAsync(CancellationToken ct)
    {
        var start = _line;
        var cells = new List<string>();
        string? error = null;
        int? errorColumn = null;

        void Fail(string message, int? column)
        {
            if (error is null)
            {
                (error, errorColumn) = (message, column);
            }
        }

        void EndCell()
        {
            if (cells.Count < _limits.MaxColumns)
            {
                cells.Add(_cell.ToString());
            }
            else
            {
                Fail($"has more than {_limits.MaxColumns} cells (Imports:MaxColumns)", null);
            }

            _cell.Clear();
            _cellFull = false;
        }

        while (true)
        {
            // The start of a cell.
            if (!await FillAsync(ct))
            {
                EndCell();
                return new CsvRow(start, cells, error, errorColumn);
            }

            var quoted = _buffer[_at] == '"';
            if (quoted)
            {
                _at++;
                _afterCr = false;
            }

            var endOfRecord = quoted
                ? await QuotedCellAsync(cells.Count, Fail, ct)
                : await UnquotedCellAsync(cells.Count, Fail, ct);
            EndCell();
            if (endOfRecord)
            {
                return new CsvRow(start, cells, error, errorColumn);
            }

            if (cells.Count >= _limits.MaxColumns)
            {
                // Any further cell is one too many: the rest of the record is only looked through for its end.
                Fail($"has more than {_limits.MaxColumns} cells (Imports:MaxColumns)", null);
                await SkipRecordAsync(ct);
                return new CsvRow(start, cells, error, errorColumn);
            }
        }
    }

    /// <summary>Passes over the rest of a record, quotes respected, without looking at its cells.</summary>
    private async ValueTask SkipRecordAsync(CancellationToken ct)
    {
        var quoted = false;
        while (await FillAsync(ct))
        {
            var span = _buffer.AsSpan(_at, _end - _at);
            var stop = span.IndexOfAny(quoted ? QuotedStops : RecordStops);
            if (stop != 0)
            {
                _afterCr = false;
            }

            if (stop < 0)
            {
                _at = _end;
                continue;
            }

            _at += stop;
            var c = _buffer[_at++];
            if (c == '"')
            {
                quoted = !quoted;
                _afterCr = false;
                continue;
            }

            Break(c);
            if (!quoted)
            {
                return;
            }
        }
    }

    /// <summary>Reads an unquoted cell up to its separator; true when it ended the record (or the file).</summary>
    private async ValueTask<bool> UnquotedCellAsync(int column, Action<string, int?> fail, CancellationToken ct)
    {
        while (await FillAsync(ct))
        {
            var span = _buffer.AsSpan(_at, _end - _at);
            var stop = span.IndexOfAny(UnquotedStops);
            Append(span[..(stop < 0 ? span.Length : stop)], column, fail);
            if (stop < 0)
            {
                _at = _end;
                continue;
            }

            _at += stop;
            var c = _buffer[_at++];
            switch (c)
            {
                case ',':
                    _afterCr = false;
                    return false;
                case '"':
                    _afterCr = false;
                    fail("has a quote inside an unquoted cell; quote the whole cell and double the quotes inside it", column);
                    await SkipLineAsync(ct);
                    return true;
                default:
                    Break(c);
                    return true;
            }
        }

        return true;
    }

    /// <summary>Reads a quoted cell after its opening quote; true when it ended the record (or the file).</summary>
    private async ValueTask<bool> QuotedCellAsync(int column, Action<string, int?> fail, CancellationToken ct)
    {
        while (true)
        {
            if (!await FillAsync(ct))
            {
                fail("has a quoted cell that is not closed before the end of the file", column);
                return true;
            }

            var span = _buffer.AsSpan(_at, _end - _at);
            var stop = span.IndexOfAny(QuotedStops);
            Append(span[..(stop < 0 ? span.Length : stop)], column, fail);
            if (stop < 0)
            {
                _at = _end;
                continue;
            }

            _at += stop;
            var c = _buffer[_at++];
            _afterCr &= c != '"';
            if (c != '"')
            {
                // A line break inside the cell: part of its value, and a new physical line.
                Break(c);
                AppendBreak(c, column, fail);
                continue;
            }

            if (!await FillAsync(ct))
            {
                return true;
            }

            var next = _buffer[_at];
            switch (next)
            {
                case '"':
                    _at++;
                    EscapedQuotes(column, fail);
                    continue;
                case ',':
                    _at++;
                    _afterCr = false;
                    return false;
                case '\r' or '\n':
                    _at++;
                    Break(next);
                    return true;
                default:
                    fail("has text after the closing quote of a cell; quote the whole cell and double the quotes inside it", column);
                    await SkipLineAsync(ct);
                    return true;
            }
        }
    }

    private void Append(ReadOnlySpan<char> text, int column, Action<string, int?> fail)
    {
        if (!text.IsEmpty)
        {
            _afterCr = false;
        }

        AppendText(text, column, fail);
    }

    /// <summary>
    /// A doubled quote inside a quoted cell has been read: it and every further pair that follows in the buffer become
    /// quotes of the value here, in one loop, so a cell of millions of nested quotes costs a scan, not a step each.
    /// </summary>
    private void EscapedQuotes(int column, Action<string, int?> fail)
    {
        var quotes = 1;
        while (_at + 1 < _end && _buffer[_at] == '"' && _buffer[_at + 1] == '"')
        {
            quotes++;
            _at += 2;
        }

        _afterCr = false;
        if (column >= _limits.MaxColumns || _cellFull)
        {
            return;
        }

        var room = _limits.MaxCellLength - _cell.Length;
        if (quotes > room)
        {
            _cellFull = true;
            fail($"has a cell longer than {_limits.MaxCellLength} characters (Imports:MaxCellLength)", column);
            quotes = room;
        }

        _cell.Append('"', quotes);
    }

    /// <summary>A line break inside a quoted cell, already counted by <see cref="Break"/>.</summary>
    private void AppendBreak(char c, int column, Action<string, int?> fail) => AppendText([c], column, fail);

    private void AppendText(ReadOnlySpan<char> text, int column, Action<string, int?> fail)
    {
        if (column >= _limits.MaxColumns)
        {
            return;
        }

        if (_cellFull)
        {
            return;
        }

        var room = _limits.MaxCellLength - _cell.Length;
        if (text.Length > room)
        {
            // Once per cell: the rest of an enormous cell costs a scan, not a message per chunk.
            _cellFull = true;
            fail($"has a cell longer than {_limits.MaxCellLength} characters (Imports:MaxCellLength)", column);
            text = text[..room];
        }

        _cell.Append(text);
    }

    /// <summary>Counts a line break: CRLF is one, and so is a lone CR or LF.</summary>
    private void Break(char c)
    {
        if (c == '\n' && _afterCr)
        {
            _afterCr = false;
            return;
        }

        _line++;
        _afterCr = c == '\r';
    }

    /// <summary>After a broken record: everything up to the end of its physical line belongs to it.</summary>
    private async ValueTask SkipLineAsync(CancellationToken ct)
    {
        while (await FillAsync(ct))
        {
            var span = _buffer.AsSpan(_at, _end - _at);
            var stop = span.IndexOfAny('\r', '\n');
            if (stop < 0)
            {
                _at = _end;
                continue;
            }

            _at += stop;
            Break(_buffer[_at++]);
            return;
        }
    }

    /// <summary>Makes sure a character is buffered; false at the end of the file.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        if (_at < _end)
        {
            return true;
        }

        if (_eof)
        {
            return false;
        }

        if (_broken)
        {
            // Every character before the bad bytes has been read, so the line is the one they are on.
            throw new CsvFileException(_line, $"is not valid {Describe(_encoding!)} text; save the file as UTF-8 and upload it again");
        }

        var decoder = _decoder ?? await StartAsync(ct);
        while (true)
        {
            if (_byteAt == _byteEnd && !_streamDone)
            {
                (_byteAt, _byteEnd) = (0, await _stream.ReadAsync(_bytes, ct));
                _streamDone = _byteEnd == 0;
            }

            _invalid.Seen = false;
            decoder.Convert(_bytes, _byteAt, _byteEnd - _byteAt, _buffer, 0, _buffer.Length, _streamDone, out var used, out var chars, out _);
            _byteAt += used;
            (_at, _end) = (0, chars);
            if (_invalid.Seen && _buffer.AsSpan(0, chars).IndexOf(Invalid) is var bad and >= 0)
            {
                // Strict decoding: a malformed sequence stops the file, never a silent U+FFFD in a stored record. The
                // text before it is read first, so the error names the line the sequence is on.
                (_end, _broken) = (bad, true);
                return await FillAsync(ct);
            }

            if (chars > 0)
            {
                return true;
            }

            if (_streamDone && _byteAt == _byteEnd)
            {
                _eof = true;
                return false;
            }
        }
    }

    /// <summary>The encoding from the byte-order mark (UTF-8, UTF-16 LE or BE), else UTF-8; the mark is skipped.</summary>
    private async ValueTask<Decoder> StartAsync(CancellationToken ct)
    {
        while (_byteEnd < 3 && !_streamDone)
        {
            var read = await _stream.ReadAsync(_bytes.AsMemory(_byteEnd), ct);
            _byteEnd += read;
            _streamDone = read == 0;
        }

        var start = _bytes.AsSpan(0, _byteEnd);
        (_encoding, _byteAt) = start switch
        {
            [0xEF, 0xBB, 0xBF, ..] => (new UTF8Encoding(false), 3),
            [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: false), 2),
            [0xFE, 0xFF, ..] => ((Encoding)new UnicodeEncoding(bigEndian: true, byteOrderMark: false), 2),
            _ => (new UTF8Encoding(false), 0),
        };
        _decoder = _encoding.GetDecoder();
        _decoder.Fallback = _invalid;
        return _decoder;
    }

    /// <summary>Decodes a refused byte sequence to <see cref="Invalid"/> and notes that it did.</summary>
    private sealed class InvalidMarker : DecoderFallback
    {
        public bool Seen { get; set; }

        public override int MaxCharCount => 1;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

        private sealed class Buffer(InvalidMarker marker) : DecoderFallbackBuffer
        {
            private int _left;

            public override int Remaining => _left;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                marker.Seen = true;
                _left = 1;
                return true;
            }

            public override char GetNextChar()
            {
                if (_left == 0)
                {
                    return '\0';
                }

                _left--;
                return Invalid;
            }

            public override bool MovePrevious()
            {
                if (_left == 1)
                {
                    return false;
                }

                _left = 1;
                return true;
            }
        }
    }

    private static string Describe(Encoding encoding) => encoding.CodePage switch
    {
        1200 => "UTF-16 (little-endian)",
        1201 => "UTF-16 (big-endian)",
        _ => "UTF-8",
    };
}
