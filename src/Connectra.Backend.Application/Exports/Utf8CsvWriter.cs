using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Connectra.Backend.Application.Exports;

/// <summary>
/// RFC 4180 records as UTF-8 into a buffer (docs/exports.md#format): cells separated by <c>,</c>, records ended by
/// CRLF, a cell quoted exactly when it holds <c>"</c>, <c>,</c>, CR or LF anywhere (quotes inside doubled), and a cell a
/// spreadsheet would run as a formula led by <c>'</c> (<see cref="CsvInjection"/>). A record of one empty cell is
/// written <c>""</c>, since an empty line reads as no record at all in many readers; the first cell of the output is
/// quoted when it starts with U+FEFF, which would otherwise be taken for a byte-order mark and dropped.
/// <para>
/// Cells come as UTF-16 (<see cref="WriteField(ReadOnlySpan{char})"/>) or as UTF-8 bytes
/// (<see cref="WriteUtf8Field"/>, for values taken straight from a <c>Utf8JsonReader</c>); neither allocates per cell.
/// A lone surrogate or a malformed UTF-8 sequence cannot be written as UTF-8 and becomes U+FFFD.
/// </para>
/// </summary>
public sealed class Utf8CsvWriter(IBufferWriter<byte> output)
{
    /// <summary>Cells up to this many UTF-8 bytes are transcoded on the stack; longer ones in a pooled buffer.</summary>
    private const int StackLimit = 512;

    private static readonly SearchValues<byte> MustQuote = SearchValues.Create("\",\r\n"u8);

    private int _fields;
    private bool _lastFieldEmpty;
    private bool _started;

    public void WriteField(ReadOnlySpan<char> value)
    {
        var longest = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        Span<byte> utf8 = longest <= StackLimit ? stackalloc byte[StackLimit] : rented = ArrayPool<byte>.Shared.Rent(longest);
        try
        {
            // Cannot fail for want of room; invalid UTF-16 (a lone surrogate) becomes U+FFFD.
            Utf8.FromUtf16(value, utf8, out _, out var written, replaceInvalidSequences: true);
            WriteValidField(utf8[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public void WriteUtf8Field(ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            WriteValidField(utf8);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(utf8.Length * 3);
        try
        {
            WriteValidField(rented.AsSpan(0, Repair(utf8, rented)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Ends the record with CRLF.</summary>
    public void EndRecord()
    {
        if (_fields == 1 && _lastFieldEmpty)
        {
            output.Write("\"\""u8);
        }

        output.Write("\r\n"u8);
        _fields = 0;
    }

    /// <summary>Writes a whole record of cells.</summary>
    public void WriteRecord(IEnumerable<string> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        foreach (var cell in cells)
        {
            WriteField(cell);
        }

        EndRecord();
    }

    private void WriteValidField(ReadOnlySpan<byte> utf8)
    {
        if (_fields++ > 0)
        {
            output.Write(","u8);
        }

        _lastFieldEmpty = utf8.IsEmpty;
        var prefix = CsvInjection.NeedsPrefix(utf8);
        var looksLikeByteOrderMark = !_started && !prefix && utf8.StartsWith("\uFEFF"u8);
        _started = true;
        if (!looksLikeByteOrderMark && utf8.IndexOfAny(MustQuote) < 0)
        {
            var plain = output.GetSpan(utf8.Length + 1);
            var at = 0;
            if (prefix)
            {
                plain[at++] = (byte)CsvInjection.Prefix;
            }

            utf8.CopyTo(plain[at..]);
            output.Advance(at + utf8.Length);
            return;
        }

        var quoted = output.GetSpan(utf8.Length + utf8.Count((byte)'"') + 3);
        var written = 0;
        quoted[written++] = (byte)'"';
        if (prefix)
        {
            quoted[written++] = (byte)CsvInjection.Prefix;
        }

        var rest = utf8;
        int quote;
        while ((quote = rest.IndexOf((byte)'"')) >= 0)
        {
            rest[..(quote + 1)].CopyTo(quoted[written..]);
            written += quote + 1;
            quoted[written++] = (byte)'"';
            rest = rest[(quote + 1)..];
        }

        rest.CopyTo(quoted[written..]);
        written += rest.Length;
        quoted[written++] = (byte)'"';
        output.Advance(written);
    }

    /// <summary>Copies <paramref name="utf8"/> with every malformed sequence replaced by U+FFFD; returns the length.</summary>
    private static int Repair(ReadOnlySpan<byte> utf8, Span<byte> target)
    {
        var written = 0;
        while (!utf8.IsEmpty)
        {
            // On malformed input the rune is U+FFFD and the length that of the maximal invalid subsequence.
            Rune.DecodeFromUtf8(utf8, out var rune, out var consumed);
            written += rune.EncodeToUtf8(target[written..]);
            utf8 = utf8[consumed..];
        }

        return written;
    }
}
