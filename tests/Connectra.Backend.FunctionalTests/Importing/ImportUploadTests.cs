using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.Infrastructure;

namespace Connectra.Backend.FunctionalTests.Importing;

/// <summary>
/// What an upload must be: options that are refused name the option, a header that cannot be mapped names its
/// columns, and files that are not CSV text — or are built to exhaust a reader — get a clear 4xx or row errors in
/// bounded time, never a 500 or a hung job. Encodings and shapes a CSV legitimately comes in are taken.
/// </summary>
[Collection(ImportTestGroup.Name)]
public sealed class ImportUploadTests(ImportHost host)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What the process may grow by while refusing or importing the hostile files: far below what reading any of them
    /// into memory would take (the 20-million-column header alone would be hundreds of MiB as cells), with room for
    /// the other tests running beside it.
    /// </summary>
    private const long MemoryBound = 160L << 20;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string, string> Refusals => new()
    {
        // query, file, field the 400 names, phrase of its message
        { "mode=merge", "email\r\na@b.co\r\n", "mode", "not one of: upsert, create, update" },
        { "match_on=website", "email\r\na@b.co\r\n", "match_on", "not a match key for contacts" },
        { "match_on=email", "title\r\nx\r\n", "match_on", "needs a column for email" },
        { "blank_values=skip", "email\r\na@b.co\r\n", "blank_values", "not one of: ignore, clear" },
        { "dry_run=perhaps", "email\r\na@b.co\r\n", "dry_run", "not true or false" },
        { "colour=red", "email\r\na@b.co\r\n", "colour", "not an import option" },
        { "mapping=" + Uri.EscapeDataString("""{"E-mail":"e_mail"}"""), "E-mail\r\na@b.co\r\n", "mapping[E-mail]", "not a field of contacts" },
        { "mapping=" + Uri.EscapeDataString("""["email"]"""), "email\r\na@b.co\r\n", "mapping", "expects an object" },
        { "mapping=" + Uri.EscapeDataString("""{"Mail":"email"}"""), "email\r\na@b.co\r\n", "mapping", "names columns the file's header does not have: 'Mail'" },
        { "", "email,title,email\r\na@b.co,x,c@d.co\r\n", "file", "names a column more than once: 'email'" },
        { "", "email,Favourite colour,Shoe size\r\na@b.co,red,9\r\n", "file", "map to no field: 'Favourite colour', 'Shoe size'" },
        { "", "email,\"broken\"x\r\n", "file", "the header (line 1) has text after the closing quote" },
        { "", "", "file", "is empty" },
        { "", "\r\n\r\n", "file", "holds no header row" },
        { "", "email\r\nok@example.com\r\nbad\xFF@example.com\r\n", "file", "line 3: is not valid UTF-8" },
        { "", "email\r\nnul\0@example.com\r\n", "file", "line 2: holds a NUL byte" },
        { "", "PK\u0003\u0004\u0014\0\0\0\u0008\0contacts.csv", "file", "is a ZIP archive" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_upload_names_the_option_or_the_file(string query, string file, string field, string says)
    {
        using var importer = ImportClient.For(host);

        var (status, body) = await importer.UploadAsync("contacts", Latin1(file), query);

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {body.GetRawText()}");
        var messages = body.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains(says, StringComparison.Ordinal));
        // A refused upload leaves no file behind.
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(host.StoragePath, "imports")), f => file.Length > 8 && File.ReadAllBytes(f).SequenceEqual(Latin1(file)));
    }

    [Fact]
    public async Task Bodies_other_than_csv_or_multipart_are_415_and_readers_are_403_and_other_users_imports_404()
    {
        using var importer = ImportClient.For(host);
        using var reader = ImportClient.For(host, "a-reader", "reader");
        using var stranger = ImportClient.For(host, "a-stranger");

        var (json, _) = await importer.UploadAsync("contacts", Encoding.UTF8.GetBytes("""{"email":"a@b.co"}"""), contentType: "application/json");
        var (latin, _) = await importer.UploadAsync("contacts", Encoding.UTF8.GetBytes("email\r\n"), contentType: "text/csv; charset=iso-8859-1");
        var (forbidden, _) = await reader.UploadAsync("contacts", ImportClient.Csv("email", "a@b.co"));
        var id = await importer.StartAsync("contacts", ImportClient.Csv("email", "x@y.co"), "match_on=email&dry_run=true");
        using var notFound = await stranger.Http.GetAsync($"/api/v3/imports/{id}", Ct);
        using var notFoundErrors = await stranger.Http.GetAsync($"/api/v3/imports/{id}/errors.csv", Ct);
        using var readerStatus = await reader.Http.GetAsync($"/api/v3/imports/{id}", Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, latin);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        await Problems.AssertProblemAsync(notFound, HttpStatusCode.NotFound);
        await Problems.AssertProblemAsync(notFoundErrors, HttpStatusCode.NotFound);
        await Problems.AssertProblemAsync(readerStatus, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Multipart_uploads_and_every_encoding_and_line_ending_import_the_same_rows()
    {
        var tag = "shapes" + Guid.NewGuid().ToString("N")[..8];
        using var importer = ImportClient.For(host);
        string Text(string newline, int n) => string.Join(newline, "last_name,email,title", $"{tag},{n}a.{tag}@example.com,\"Line one{newline}line two\"", $"{tag},{n}b.{tag}@example.com,Plain") + newline;

        var bodies = new (string Name, byte[] File)[]
        {
            ("utf-8 crlf", Encoding.UTF8.GetBytes(Text("\r\n", 1))),
            ("utf-8 lf, no final newline", Encoding.UTF8.GetBytes(Text("\n", 2).TrimEnd('\n'))),
            ("utf-8 bom", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Text("\r\n", 3))]),
            ("utf-16 le bom", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Text("\r\n", 4))]),
            ("utf-16 be bom", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(Text("\n", 5))]),
            ("trailing empty lines", Encoding.UTF8.GetBytes(Text("\r\n", 6) + "\r\n\r\n")),
        };
        foreach (var (name, file) in bodies)
        {
            var status = await importer.ImportAsync("contacts", file, "match_on=email");
            Assert.True(ImportClient.Count(status, "created") == 2 && ImportClient.Count(status, "failed") == 0, $"{name}: {status.GetRawText()}");
        }

        var (created, body) = await importer.UploadPartsAsync("contacts", Encoding.UTF8.GetBytes(Text("\r\n", 7)), """{"match_on":"email","mode":"create"}""");
        Assert.True(created == HttpStatusCode.Created, body.GetRawText());
        Assert.Equal("create", body.GetProperty("mode").GetString());
        var done = await importer.WaitAsync(body.GetProperty("import_id").GetString()!);
        Assert.Equal(2, ImportClient.Count(done, "created"));
        var (noFile, noFileBody) = await importer.UploadPartsAsync("contacts", null, """{"mode":"create"}""");
        Assert.Equal(HttpStatusCode.BadRequest, noFile);
        Assert.True(noFileBody.GetProperty("errors").TryGetProperty("file", out _), noFileBody.GetRawText());
        Assert.Equal(14, await host.ScalarAsync($"SELECT count(*) FROM contacts WHERE last_name = '{tag}' AND (title = 'Plain' OR title LIKE 'Line one_%line two')", Ct));
        Assert.Equal(7, await host.ScalarAsync($"SELECT count(*) FROM contacts WHERE last_name = '{tag}' AND title LIKE 'Line one%'", Ct));
    }

    [Fact]
    public async Task Hostile_files_get_a_4xx_or_row_errors_in_bounded_time_and_memory()
    {
        var tag = "hostile" + Guid.NewGuid().ToString("N")[..8];
        using var importer = ImportClient.For(host);
        byte[] wideHeader = [.. "email"u8, .. Enumerable.Repeat((byte)',', 20_000_000), .. "\r\n"u8];
        // A ZIP archive named and sent as a CSV: its first bytes give it away before anything else is read.
        byte[] zip = [.. "PK\u0003\u0004\u0014\0\0\0\u0008\0contacts.csv"u8, .. Enumerable.Repeat((byte)'x', 16 << 20)];
        // One enormous cell (16 MB), a row of 5 million empty columns, and 2 million quotes nested in one cell: each a
        // row error; the rows around them go in.
        var file = new MemoryStream();
        file.Write(Encoding.UTF8.GetBytes($"last_name,email,title\r\n{tag},a.{tag}@example.com,ok\r\n{tag},b.{tag}@example.com,\""));
        file.Write(Enumerable.Repeat((byte)'x', 16 << 20).ToArray());
        file.Write(Encoding.UTF8.GetBytes($"\"\r\n{tag},c.{tag}@example.com,"));
        file.Write(Enumerable.Repeat((byte)',', 5_000_000).ToArray());
        file.Write(Encoding.UTF8.GetBytes($"\r\n{tag},d.{tag}@example.com,\""));
        file.Write(Enumerable.Repeat((byte)'"', 2_000_000).ToArray());
        file.Write(Encoding.UTF8.GetBytes($"\"\r\n{tag},e.{tag}@example.com,ok\r\n"));
        var bomb = file.ToArray();
        GC.Collect();
        var rssBefore = PeakRss.Now();
        using var sampling = new CancellationTokenSource();
        var peak = PeakRss.SampleAsync(sampling.Token);
        var clock = Stopwatch.StartNew();

        // A header line of 20 million empty columns: refused at the column limit, not read to its end into memory.
        var (wide, wideBody) = await importer.UploadAsync("contacts", wideHeader);
        var (zipped, zipBody) = await importer.UploadAsync("contacts", zip);
        var id = await importer.StartAsync("contacts", bomb, "match_on=email");
        var status = await importer.WaitAsync(id, Bounded);
        var elapsed = clock.Elapsed;
        await sampling.CancelAsync();
        var growth = await peak - rssBefore;

        Assert.Equal(HttpStatusCode.BadRequest, wide);
        Assert.Contains("more than 200 cells", wideBody.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, zipped);
        Assert.Contains("is a ZIP archive", zipBody.GetRawText(), StringComparison.Ordinal);
        Assert.True(status.GetProperty("status").GetString() == "completed", status.GetRawText());
        Assert.Equal((2, 3), (ImportClient.Count(status, "created"), ImportClient.Count(status, "failed")));
        var errors = (await importer.ErrorsAsync(id)).GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt64(), e.GetProperty("message").GetString()!)).ToList();
        Assert.Equal([3L, 4L, 5L], errors.Select(e => e.Item1));
        Assert.Contains("longer than 10000 characters", errors[0].Item2, StringComparison.Ordinal);
        Assert.Contains("more than 200 cells", errors[1].Item2, StringComparison.Ordinal);
        Assert.Contains("longer than 10000 characters", errors[2].Item2, StringComparison.Ordinal);
        Assert.True(elapsed < Bounded * 2, $"took {elapsed}");
        Assert.True(growth < MemoryBound, $"peak RSS grew {growth >> 20} MiB while refusing and importing {(wideHeader.Length + zip.Length + bomb.Length) >> 20} MiB of hostile files");
        TestContext.Current.SendDiagnosticMessage($"hostile files: peak RSS grew {growth >> 20} MiB in {elapsed.TotalSeconds:F1} s");
    }

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);
}
