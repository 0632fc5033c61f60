using System.Buffers;
using System.Text;
using Connectra.Backend.Application.Exports;

namespace Connectra.Backend.UnitTests.Exports;

public sealed class Utf8CsvWriterTests
{
    /// <summary>
    /// Characters that break CSV files or spreadsheets: the format's own, formula starters ASCII and not, controls,
    /// lone surrogates, a byte-order mark, invisible and full-width characters, and a few ordinary ones.
    /// </summary>
    private static readonly string[] Hostile =
    [
        "\"", ",", "\r", "\n", "\r\n", "\t", "=", "+", "-", "@", "'", "\0", "\u0001", "\u007F", "\u0085",
        "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "😀", "\uFEFF", "＝", "＋", "－", "＠", "﹦", "⁺", "₌", "﬩",
        "\u00A0", "\u3000", "\u2003", "\u200B", "\u200C", "\u200D", "\u2060", "\u202E", "\u2066", "\u2028", "\u00AD", "\u3164", "\uFE0F",
        " ", "a", "Z", "1", "é", "中", "|", "!", "(", ";",
    ];

    [Fact]
    public void Random_cells_over_a_hostile_alphabet_read_back_strictly_as_written_with_lone_surrogates_as_U_FFFD()
    {
        var random = new Random(4180);
        for (var file = 0; file < 3000; file++)
        {
            var width = random.Next(1, 6);
            var records = Enumerable.Range(0, random.Next(1, 6))
                .Select(_ => Enumerable.Range(0, width).Select(_ => HostileCell(random)).ToArray())
                .ToList();

            var bytes = Write(records);
            IReadOnlyList<string[]> parsed;
            try
            {
                parsed = StrictCsv.Parse(bytes);
            }
            catch (FormatException broken)
            {
                Assert.Fail($"file {file}: {broken.Message}; records {Show(records)}");
                throw;
            }

            Assert.True(records.Count == parsed.Count, $"file {file}: {parsed.Count} records read, {records.Count} written: {Show(records)}");
            for (var r = 0; r < records.Count; r++)
            {
                for (var c = 0; c < width; c++)
                {
                    var expected = Expected(records[r][c]);
                    Assert.True(expected == parsed[r][c], $"file {file} [{r},{c}]: wrote {Show(records[r][c])}, read {Show(parsed[r][c])}, expected {Show(expected)}");
                }
            }
        }
    }

    [Fact]
    public void No_cell_read_back_starts_with_a_formula_character_after_its_invisible_lead_unless_it_starts_with_a_quote_mark()
    {
        var random = new Random(1);
        var records = Enumerable.Range(0, 20_000).Select(_ => new[] { FormulaLike(random), HostileCell(random) }).ToList();

        var parsed = StrictCsv.Parse(Write(records));

        Assert.All(parsed.SelectMany(r => r), cell =>
        {
            var runes = cell.EnumerateRunes().ToList();
            if (runes.Count > 0 && runes[0].Value == '\'')
            {
                return;
            }

            var visible = runes.SkipWhile(CsvInjection.IsIgnorable).Select(r => (Rune?)r).FirstOrDefault();
            Assert.False(visible is { } first && CsvInjection.IsFormula(first), $"live formula: {Show(cell)}");
            Assert.False(runes.Count > 0 && CsvInjection.IsNeutralisedFirst(runes[0]), $"starts with tab or CR: {Show(cell)}");
        });
        Assert.All(parsed, record => Assert.StartsWith("'", record[0], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Bob\n=2+5*cmd|/C calc!A0", "\"Bob\n=2+5*cmd|/C calc!A0\"")]
    [InlineData("Bob\r=1+1", "\"Bob\r=1+1\"")]
    [InlineData("sales,=1+1\nhr", "\"sales,=1+1\nhr\"")]
    [InlineData("\r", "\"'\r\"")]
    [InlineData("\n", "\"\n\"")]
    [InlineData("plain text", "plain text")]
    [InlineData(" spaced ", " spaced ")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("+15550100", "'+15550100")]
    [InlineData("=1,2", "\"'=1,2\"")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\tplain", "'\tplain")]
    [InlineData(" =1", "' =1")]
    [InlineData("\u00A0\u3000\u200B\uFEFF@SUM(A1)", "'\u00A0\u3000\u200B\uFEFF@SUM(A1)")]
    [InlineData("＝1+1", "'＝1+1")]
    [InlineData("\u200D－1", "'\u200D－1")]
    [InlineData("a=1", "a=1")]
    [InlineData("'=1", "'=1")]
    public void A_cell_is_quoted_exactly_when_it_holds_a_quote_comma_CR_or_LF_and_led_by_a_quote_mark_when_it_could_run(string cell, string written)
    {
        Assert.Equal(written + ",x\r\n", Encoding.UTF8.GetString(Write([[cell, "x"]])));
    }

    [Fact]
    public void A_lone_surrogate_becomes_U_FFFD_which_is_no_invisible_lead()
    {
        // Not in InlineData: attribute arguments are stored as UTF-8, which would replace the surrogate before the test.
        Assert.Equal("x\uFFFDy,\uFFFD=1,\"\uFFFD\n\"\r\n", Encoding.UTF8.GetString(Write([["x\uD800y", "\uDC00=1", "\uDBFF\n"]])));
    }

    [Fact]
    public void A_record_of_one_empty_cell_is_written_as_two_quotes_so_it_is_not_an_empty_line()
    {
        Assert.Equal("h\r\n\"\"\r\nx\r\n", Encoding.UTF8.GetString(Write([["h"], [""], ["x"]])));
        Assert.Equal(",\r\n", Encoding.UTF8.GetString(Write([["", ""]])));
    }

    [Fact]
    public void The_output_never_starts_with_what_reads_as_a_byte_order_mark_even_when_its_first_cell_starts_with_U_FEFF()
    {
        var neutralised = Write([["\uFEFF=1"], ["\uFEFFx"]]);
        var quoted = Write([["\uFEFFx"], ["\uFEFFx"]]);

        Assert.Equal("'\uFEFF=1\r\n\uFEFFx\r\n", Encoding.UTF8.GetString(neutralised));
        Assert.Equal("\"\uFEFFx\"\r\n\uFEFFx\r\n", Encoding.UTF8.GetString(quoted));
        Assert.Equal([["\uFEFFx"], ["\uFEFFx"]], StrictCsv.Parse(quoted));
    }

    [Fact]
    public void A_UTF8_cell_is_written_as_its_text_would_be_and_malformed_bytes_become_U_FFFD()
    {
        var random = new Random(8);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 12)];
            for (var b = 0; b < bytes.Length; b++)
            {
                // Mostly the interesting bytes: formula starters, quotes, line ends, lead and continuation bytes.
                bytes[b] = random.Next(4) == 0 ? (byte)random.Next(256) : "=+-@\",\r\n\t "u8[random.Next(10)];
                if (random.Next(6) == 0)
                {
                    bytes[b] = (byte)(0x80 + random.Next(0x80));
                }
            }

            var fromBytes = new ArrayBufferWriter<byte>();
            var csv = new Utf8CsvWriter(fromBytes);
            csv.WriteUtf8Field(bytes);
            csv.WriteUtf8Field("\uFF1D1"u8);
            csv.EndRecord();

            var text = Encoding.UTF8.GetString(bytes); // replaces malformed sequences with U+FFFD, as the writer must
            Assert.True(Write([[text, "\uFF1D1"]]).AsSpan().SequenceEqual(fromBytes.WrittenSpan), $"bytes {Convert.ToHexString(bytes)}");
        }
    }

    [Fact]
    public void Writing_cells_allocates_nothing_once_the_buffer_is_large_enough()
    {
        string[] cells = ["Jane", "=1+1", "a,b", "Bob\n=2", "\u200B＝1", "中文 text", "+15550100", "", new string('x', 2000)];
        var utf8 = "sales\n=1+1"u8.ToArray();
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        var csv = new Utf8CsvWriter(buffer);
        void WriteAll()
        {
            buffer.ResetWrittenCount();
            for (var i = 0; i < 100; i++)
            {
                foreach (var cell in cells)
                {
                    csv.WriteField(cell);
                }

                csv.WriteUtf8Field(utf8);
                csv.EndRecord();
            }
        }

        WriteAll(); // the first pass fills the pools and runs the static constructors
        var before = GC.GetAllocatedBytesForCurrentThread();
        WriteAll();

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Long_cells_are_written_whole()
    {
        var longCell = string.Concat(Enumerable.Repeat("ab\"c,\n中😀", 5000));

        var parsed = StrictCsv.Parse(Write([["=" + longCell, longCell]]));

        Assert.Equal(["'=" + longCell, longCell], Assert.Single(parsed));
    }

    /// <summary>What a cell must read back as: lone surrogates as U+FFFD, and behind a ' when a spreadsheet could run it.</summary>
    private static string Expected(string cell)
    {
        var text = new StringBuilder(cell.Length);
        for (var i = 0; i < cell.Length; i++)
        {
            if (char.IsHighSurrogate(cell[i]) && i + 1 < cell.Length && char.IsLowSurrogate(cell[i + 1]))
            {
                text.Append(cell, i++, 2);
            }
            else
            {
                text.Append(char.IsSurrogate(cell[i]) ? '\uFFFD' : cell[i]);
            }
        }

        var runes = text.ToString().EnumerateRunes().ToList();
        var neutralised = runes.Count > 0 && CsvInjection.IsNeutralisedFirst(runes[0])
            || runes.SkipWhile(CsvInjection.IsIgnorable).Take(1).Any(CsvInjection.IsFormula);
        return neutralised ? "'" + text : text.ToString();
    }

    private static string HostileCell(Random random) =>
        string.Concat(Enumerable.Range(0, random.Next(0, 11)).Select(_ => Hostile[random.Next(Hostile.Length)]));

    /// <summary>A run of invisible characters, then a formula character, then anything.</summary>
    private static string FormulaLike(Random random)
    {
        string[] lead = ["", " ", "\t", "\r", "\n", "\u00A0", "\u3000", "\u200B", "\u200D", "\u2060", "\uFEFF", "\u0000", "\u202E", "\u00AD", "\u3164"];
        string[] formula = ["=", "+", "-", "@", "＝", "＋", "－", "＠", "﹫", "⁼"];
        return string.Concat(Enumerable.Range(0, random.Next(0, 4)).Select(_ => lead[random.Next(lead.Length)]))
            + formula[random.Next(formula.Length)] + HostileCell(random);
    }

    private static byte[] Write(IEnumerable<string[]> records)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var csv = new Utf8CsvWriter(buffer);
        foreach (var record in records)
        {
            csv.WriteRecord(record);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string Show(IEnumerable<string[]> records) => string.Join(" | ", records.Select(r => string.Join(" ; ", r.Select(Show))));

    private static string Show(string text) =>
        "\"" + string.Concat(text.Select(c => c is < ' ' or '"' or > '~' ? $"\\u{(int)c:X4}" : c.ToString())) + "\"";
}
