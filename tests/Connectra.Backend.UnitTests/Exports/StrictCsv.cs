using System.Text;

namespace Connectra.Backend.UnitTests.Exports;

/// <summary>
/// An RFC 4180 reader that forgives nothing, to hold written files to the format rather than to what a lenient
/// reader makes of them. It refuses: bytes that are not UTF-8, a byte-order mark, a <c>"</c> inside an unquoted
/// cell, anything but <c>,</c> or CRLF after a closing quote, a quoted cell left open, a CR or LF outside quotes that
/// is not part of a CRLF, an empty line (no record, or one empty cell?), a last record without its CRLF, and records
/// of different lengths.
/// </summary>
internal static class StrictCsv
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IReadOnlyList<string[]> Parse(byte[] file)
    {
        if (file.AsSpan().StartsWith("\uFEFF"u8))
        {
            throw new FormatException("the file starts with a byte-order mark");
        }

        string text;
        try
        {
            text = Utf8.GetString(file);
        }
        catch (DecoderFallbackException invalid)
        {
            throw new FormatException("the file is not UTF-8", invalid);
        }

        var records = new List<string[]>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var at = 0;
        while (at < text.Length)
        {
            if (cells.Count == 0 && text.AsSpan(at).StartsWith("\r\n", StringComparison.Ordinal))
            {
                throw Error(text, at, "an empty line");
            }

            if (text[at] == '"')
            {
                at++;
                while (true)
                {
                    if (at >= text.Length)
                    {
                        throw Error(text, at, "a quoted cell is never closed");
                    }

                    if (text[at] == '"')
                    {
                        if (at + 1 < text.Length && text[at + 1] == '"')
                        {
                            cell.Append('"');
                            at += 2;
                            continue;
                        }

                        at++;
                        break;
                    }

                    cell.Append(text[at++]);
                }

                if (at < text.Length && text[at] != ',' && !text.AsSpan(at).StartsWith("\r\n", StringComparison.Ordinal))
                {
                    throw Error(text, at, $"'{text[at]}' after a closing quote");
                }
            }
            else
            {
                while (at < text.Length && text[at] != ',' && text[at] != '\r' && text[at] != '\n')
                {
                    if (text[at] == '"')
                    {
                        throw Error(text, at, "a quote inside an unquoted cell");
                    }

                    cell.Append(text[at++]);
                }

                if (at < text.Length && text[at] != ',' && !text.AsSpan(at).StartsWith("\r\n", StringComparison.Ordinal))
                {
                    throw Error(text, at, text[at] == '\r' ? "a CR outside quotes without its LF" : "an LF outside quotes without a CR before it");
                }
            }

            cells.Add(cell.ToString());
            cell.Clear();
            if (at >= text.Length)
            {
                throw Error(text, at, "the last record has no CRLF");
            }

            if (text[at] == ',')
            {
                at++;
                if (at >= text.Length)
                {
                    throw Error(text, at, "the file ends after a comma");
                }

                continue;
            }

            at += 2; // CRLF, checked above
            if (records.Count > 0 && records[0].Length != cells.Count)
            {
                throw Error(text, at, $"a record of {cells.Count} cells after records of {records[0].Length}");
            }

            records.Add([.. cells]);
            cells.Clear();
        }

        return records;
    }

    private static FormatException Error(string text, int at, string what) =>
        new($"not RFC 4180 at character {at}: {what} (near {Escape(text.Substring(Math.Max(0, at - 20), Math.Min(text.Length, at + 20) - Math.Max(0, at - 20)))})");

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c is < ' ' or '\u007F' or > '\u00FF' ? $"\\u{(int)c:X4}" : c.ToString()));
}
