using System.Text;

namespace Connectra.Backend.FunctionalTests.Validation;

/// <summary>
/// The import uploads' part of the hostile corpus: files that are not CSV text, headers built to exhaust a reader,
/// broken encodings, options that mean nothing, and bodies of the wrong kind. Each is refused before a job is made.
/// (Hostile data rows are row errors, not refusals: docs/imports.md#row-errors, and the import tests.)
/// </summary>
public static partial class HostileInput
{
    private static void AddImportCases(List<HostileRequest> cases)
    {
        const string Csv = "text/csv";
        void Upload(string id, string query, byte[]? file, int status, string? contentType = Csv, string? field = null, string? says = null) =>
            cases.Add(new HostileRequest($"import {id}", "POST", "/api/v3/imports/contacts" + query, file, contentType, status, Field: field, Says: says));

        Upload("zip posing as csv", "", [.. "PK\u0003\u0004\u0014\0\u0008\0"u8, .. new byte[64]], 400, field: "file", says: "ZIP archive");
        Upload("gzip posing as csv", "", [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0], 400, field: "file", says: "gzip");
        Upload("header of a million empty columns", "", [.. "email"u8, .. Enumerable.Repeat((byte)',', 1_000_000), .. "\r\n"u8], 400, field: "file", says: "more than 200 cells");
        Upload("header cell of a megabyte", "", [.. "\""u8, .. Enumerable.Repeat((byte)'h', 1 << 20), .. "\"\r\n"u8], 400, field: "file", says: "longer than 10000 characters");
        Upload("header of nested quotes", "", [.. "\""u8, .. Enumerable.Repeat((byte)'"', 1 << 20), .. "\r\n"u8], 400, field: "file");
        Upload("header quote never closed", "", Encoding.UTF8.GetBytes("\"email\r\nx@y.co\r\n"), 400, field: "file", says: "not closed");
        Upload("invalid utf-8", "", [.. "email\r\n"u8, 0xC3, 0x28, .. "\r\n"u8], 400, field: "file", says: "line 2");
        Upload("overlong utf-8", "", [.. "email\r\n"u8, 0xC0, 0xAF, .. "\r\n"u8], 400, field: "file", says: "not valid UTF-8");
        Upload("nul byte", "", Encoding.UTF8.GetBytes("email\r\na\0b\r\n"), 400, field: "file", says: "NUL");
        Upload("empty file", "", [], 400, field: "file");
        Upload("duplicate header", "", Encoding.UTF8.GetBytes("email,email\r\n"), 400, field: "file", says: "more than once");
        Upload("injection header", "", Encoding.UTF8.GetBytes("email,'; DROP TABLE contacts; --\r\n"), 400, field: "file", says: "map to no field");
        Upload("mode injection", "?mode=%27%20OR%201%3D1", Encoding.UTF8.GetBytes("email\r\n"), 400, field: "mode");
        Upload("match_on of companies", "?match_on=website", Encoding.UTF8.GetBytes("email\r\n"), 400, field: "match_on");
        Upload("mapping not json", "?mapping=%7Bnope", Encoding.UTF8.GetBytes("email\r\n"), 400, field: "mapping");
        Upload("mapping to a path", "?mapping=%7B%22email%22%3A%22..%2F..%2Fetc%22%7D", Encoding.UTF8.GetBytes("email\r\n"), 400, field: "mapping[email]");
        Upload("option twice", "?mode=create&mode=update", Encoding.UTF8.GetBytes("uuid\r\n"), 400, field: "mode");
        Upload("json body", "", Encoding.UTF8.GetBytes("""{"email":"a@b.co"}"""), 415, "application/json");
        Upload("latin-1 charset", "", Encoding.UTF8.GetBytes("email\r\n"), 415, "text/csv; charset=iso-8859-1");
        Upload("no content type", "", Encoding.UTF8.GetBytes("email\r\n"), 415, null);
        Upload("multipart without boundary", "", Encoding.UTF8.GetBytes("--x\r\n"), 400, "multipart/form-data", field: "Content-Type");
    }
}
