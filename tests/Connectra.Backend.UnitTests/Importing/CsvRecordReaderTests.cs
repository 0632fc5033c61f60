using System.Text;
using Connectra.Backend.Application.Importing;

namespace Connectra.Backend.UnitTests.Importing;

public sealed class CsvRecordReaderTests
{
    private static readonly CsvLimits Limits = new(MaxColumns: 200, MaxCellLength: 10_000);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public async Task Records_keep_quoted_line_breaks_and_start_on_their_physical_line(string newline)
    {
        var text = $"a,b{newline}\"x{newline}y\",\"say \"\"hi\"\"\"{newline}{newline}last,{newline}{newline}";

        var rows = await ReadAllAsync(Encoding.UTF8.GetBytes(text));

        Assert.Equal([1L, 2L, 5L], rows.Select(r => r.Line));
        Assert.Equal(["a", "b"], rows[0].Cells);
        Assert.Equal([$"x{newline}y", "say \"hi\""], rows[1].Cells);
        Assert.Equal(["last", ""], rows[2].Cells);
        Assert.All(rows, r => Assert.Null(r.Error));
    }

    [Fact]
    public async Task Byte_order_marks_choose_the_encoding_and_invalid_text_stops_the_file()
    {
        var utf16 = await ReadAllAsync([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("é,ü\r\n")]);
        var utf8 = await ReadAllAsync([.. Encoding.UTF8.GetPreamble(), .. "\u00e9,\u00fc"u8]);
        var broken = await Assert.ThrowsAsync<CsvFileException>(() => ReadAllAsync([.. "a\r\nb\r\n"u8, 0xFF, .. "\r\n"u8]));

        Assert.Equal(["é", "ü"], utf16[0].Cells);
        Assert.Equal(["é", "ü"], utf8[0].Cells);
        Assert.Equal(3, broken.Line);
    }

    [Theory]
    [InlineData("utf-16le", 4)]
    [InlineData("utf-16le", 2_500)]
    [InlineData("utf-16be", 3_001)]
    [InlineData("utf-8", 2_999)]
    public async Task Text_the_encoding_refuses_stops_the_file_at_its_exact_physical_line(string encoding, int line)
    {
        // Rows before it (one with a quoted line break, so physical lines and records differ), then a row whose
        // second cell holds a lone surrogate in UTF-16 or a stray byte in UTF-8, far inside the decoder's first block.
        var text = Encoding.GetEncoding(encoding);
        var before = new StringBuilder("name,title\r\n\"two\r\nlines\",x\r\n");
        for (var physical = 4; physical < line; physical++)
        {
            before.Append("ok,fine\r\n");
        }

        byte[] bad = encoding switch
        {
            "utf-16le" => [0x00, 0xD8],
            "utf-16be" => [0xD8, 0x00],
            _ => [0xC3],
        };
        byte[] file = [.. text.GetPreamble(), .. text.GetBytes(before + "bad,"), .. bad, .. text.GetBytes("x\r\nafter,row\r\n")];

        var broken = await Assert.ThrowsAsync<CsvFileException>(() => ReadAllAsync(file));

        Assert.Equal(line, broken.Line);
        Assert.Contains(encoding == "utf-8" ? "not valid UTF-8" : "not valid UTF-16", broken.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b\"c,d\r\nnext\r\n", "quote inside an unquoted cell", 1)]
    [InlineData("a,\"b\"c,d\r\nnext\r\n", "text after the closing quote", 1)]
    public async Task A_broken_record_is_an_error_and_reading_goes_on_at_the_next_line(string text, string says, int column)
    {
        var rows = await ReadAllAsync(Encoding.UTF8.GetBytes(text));

        Assert.Contains(says, rows[0].Error, StringComparison.Ordinal);
        Assert.Equal(column, rows[0].ErrorColumn);
        Assert.Equal(["next"], rows[1].Cells);
        Assert.Equal(2, rows[1].Line);
    }

    [Fact]
    public async Task A_quoted_cell_left_open_is_an_error_of_its_row()
    {
        var rows = await ReadAllAsync("a\r\n\"never closed\r\nb\r\n"u8.ToArray());

        Assert.Contains("not closed before the end of the file", rows[1].Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// A 64 MiB cell, a row of 8 million empty columns and 4 million nested quotes, produced lazily: each is a row
    /// error, and reading them allocates a small fraction of their size (the reader holds no more than its limits).
    /// </summary>
    [Fact]
    public void Hostile_records_are_row_errors_read_in_bounded_memory()
    {
        var parts = new List<Func<IEnumerable<byte[]>>>
        {
            () => [Encoding.UTF8.GetBytes("h\r\n\"")],
            () => Repeat((byte)'x', 64 << 20),
            () => [Encoding.UTF8.GetBytes("\"\r\n")],
            () => Repeat((byte)',', 8_000_000),
            () => [Encoding.UTF8.GetBytes("\r\n\"")],
            () => Repeat((byte)'"', 4_000_000),
            () => [Encoding.UTF8.GetBytes("\"\r\nok\r\n")],
        };
        using var stream = new LazyStream(parts.SelectMany(p => p()));
        using var reader = new CsvRecordReader(stream, Limits);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var rows = new List<CsvRow>();
        // The stream completes synchronously, so every continuation runs on this thread and is counted; awaiting
        // could move the reads to another thread, whose allocations this count would miss.
#pragma warning disable xUnit1031
        while (reader.ReadAsync(Ct).AsTask().GetAwaiter().GetResult() is { } row)
#pragma warning restore xUnit1031
        {
            rows.Add(row);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(5, rows.Count);
        Assert.Contains("longer than 10000 characters", rows[1].Error, StringComparison.Ordinal);
        Assert.Contains("more than 200 cells", rows[2].Error, StringComparison.Ordinal);
        Assert.Equal(200, rows[2].Cells.Count);
        Assert.Contains("longer than 10000 characters", rows[3].Error, StringComparison.Ordinal);
        Assert.Equal(["ok"], rows[4].Cells);
        Assert.True(allocated < 8 << 20, $"allocated {allocated} bytes reading ~84 MB");
    }

    private static IEnumerable<byte[]> Repeat(byte value, int count)
    {
        var chunk = Enumerable.Repeat(value, 1 << 16).ToArray();
        for (var left = count; left > 0; left -= chunk.Length)
        {
            yield return left >= chunk.Length ? chunk : chunk[..left];
        }
    }

    private static async Task<List<CsvRow>> ReadAllAsync(byte[] file)
    {
        using var reader = new CsvRecordReader(new MemoryStream(file), Limits);
        var rows = new List<CsvRow>();
        while (await reader.ReadAsync(Ct) is { } row)
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Bytes made as they are read, so a test file never exists in memory as a whole.</summary>
    private sealed class LazyStream(IEnumerable<byte[]> chunks) : Stream
    {
        private readonly IEnumerator<byte[]> _chunks = chunks.GetEnumerator();
        private byte[] _current = [];
        private int _at;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_at == _current.Length)
            {
                if (!_chunks.MoveNext())
                {
                    return 0;
                }

                (_current, _at) = (_chunks.Current, 0);
            }

            var n = Math.Min(count, _current.Length - _at);
            Array.Copy(_current, _at, buffer, offset, n);
            _at += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_at == _current.Length)
            {
                if (!_chunks.MoveNext())
                {
                    return ValueTask.FromResult(0);
                }

                (_current, _at) = (_chunks.Current, 0);
            }

            var n = Math.Min(buffer.Length, _current.Length - _at);
            _current.AsMemory(_at, n).CopyTo(buffer);
            _at += n;
            return ValueTask.FromResult(n);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _chunks.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
