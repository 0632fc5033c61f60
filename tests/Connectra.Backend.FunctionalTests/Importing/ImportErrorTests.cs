using System.Net;
using System.Text;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.FunctionalTests.Writes;

namespace Connectra.Backend.FunctionalTests.Importing;

/// <summary>
/// Every kind of row error, each reported at the physical line its row starts on with the column at fault, while the
/// other rows are imported; the error file gives the rejected rows back as they were, ready to fix and upload again.
/// </summary>
[Collection(ImportTestGroup.Name)]
public sealed class ImportErrorTests(ImportHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_row_error_names_its_line_and_column_and_the_other_rows_are_imported()
    {
        var tag = "errors" + Guid.NewGuid().ToString("N")[..8];
        static string Uuid(int _) => Guid.NewGuid().ToString("D");
        var lines = new[]
        {
            "contact_uuid,contact_last_name,contact_email,contact_seniority,contact_company_id,contact_title",
            $"{Uuid(0)},{tag},ok1@example.com,director,,Fine",                              // 2 ok
            $"{Uuid(0)},{tag},not-an-address,director,,Bad e-mail",                         // 3 e-mail
            $"{Uuid(0)},{tag},ok3@example.com,emperor,,Bad seniority",                      // 4 choice
            $"{Uuid(0)},{tag},ok4@example.com,director,{Guid.NewGuid():D},No company",      // 5 company
            $"{Uuid(0)},{tag},ok5@example.com",                                             // 6 too few cells
            $"{Uuid(0)},{tag},ok6@example.com,director,,Title,extra",                       // 7 too many cells
            $"{Uuid(0)},{tag},ok7@exa\"mple.com,director,,Stray quote",                     // 8 quote inside a cell
            $"{Uuid(0)},{tag},\"ok8@example.com\"x,director,,After quote",                  // 9 text after a quote
            $"{Uuid(0)},{tag},ok9@example.com,director,,\"Head of\r\nSales\"",              // 10-11 ok, two lines
            $"not-a-uuid,{tag},ok12@example.com,director,,Bad uuid",                        // 12 uuid
            $"{Uuid(0)},{tag},ok13@example.com,director,,{new string('t', 513)}",           // 13 too long
            $",{tag},ok14@example.com,director,,No key",                                    // 14 empty match key
            $"{Uuid(0)},{tag},ok15@example.com,director,,'=1+1",                            // 15 ok: an export's neutralised cell
        };
        using var importer = ImportClient.For(host);

        var id = await importer.StartAsync("contacts", ImportClient.Csv(lines));
        var status = await importer.WaitAsync(id);

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(13, ImportClient.Count(status, "rows_total"));
        Assert.Equal(3, ImportClient.Count(status, "created"));
        Assert.Equal(10, ImportClient.Count(status, "failed"));
        var errors = (await importer.ErrorsAsync(id)).GetProperty("errors").EnumerateArray()
            .Select(e => (Line: e.GetProperty("line").GetInt64(), Column: e.GetProperty("column").GetString(), Message: e.GetProperty("message").GetString()!))
            .ToList();
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 12, 13, 14], errors.Select(e => e.Line));
        Assert.Equal(["contact_email", "contact_seniority", "contact_company_id", null, null, "contact_email", "contact_email", "contact_uuid", "contact_title", "contact_uuid"],
            errors.Select(e => e.Column));
        Assert.Contains("not an e-mail address", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("not one of", errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("no company has the uuid", errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("has 3 cells but the header has 6", errors[3].Message, StringComparison.Ordinal);
        Assert.Contains("has 7 cells but the header has 6", errors[4].Message, StringComparison.Ordinal);
        Assert.Contains("quote inside an unquoted cell", errors[5].Message, StringComparison.Ordinal);
        Assert.Contains("text after the closing quote", errors[6].Message, StringComparison.Ordinal);
        Assert.Contains("at most 512 characters", errors[8].Message, StringComparison.Ordinal);
        Assert.Contains("uuid is empty", errors[9].Message, StringComparison.Ordinal);

        var titles = await TitlesAsync(tag);
        Assert.Equal(["=1+1", "Fine", "Head of\r\nSales"], titles);

        // The error file: the header and each rejected row as it was (cells the reader could keep), with its error.
        var file = await importer.ErrorFileAsync(id);
        Assert.Equal([.. lines[0].Split(','), "error"], file[0]);
        Assert.Equal(11, file.Count);
        Assert.Equal("not-an-address", file[1][2]);
        Assert.StartsWith("contact_email: ", file[1][6], StringComparison.Ordinal);
        Assert.Equal(["", "", ""], file[4][3..6]); // the short row, padded to the header
        Assert.Equal(new string('t', 513), file[9][5]);

        // Fixed and uploaded again (the error column is left out by mapping), the rejected rows go in.
        var header = file[0][..^1];
        var fixedRows = file.Skip(1).Where(r => r[6].StartsWith("contact_email: '", StringComparison.Ordinal) || r[6].StartsWith("contact_seniority", StringComparison.Ordinal))
            .Select(r => r[..^1].Select((cell, c) => c == 2 && cell == "not-an-address" ? "fixed@example.com" : c == 3 ? "director" : cell).ToArray());
        var again = await importer.ImportAsync("contacts", Write([.. header, "error"], fixedRows.Select(r => (string[])[.. r, ""])), "mapping=" + Uri.EscapeDataString("""{"error":null}"""));
        Assert.Equal(2, ImportClient.Count(again, "created"));
        Assert.Equal(0, ImportClient.Count(again, "failed"));
    }

    [Fact]
    public async Task Create_update_and_ambiguous_matches_are_row_errors_that_say_which_mode_to_use()
    {
        var tag = "modes" + Guid.NewGuid().ToString("N")[..8];
        using var writer = Tokens.Authorize(host.CreateClient(), "writer-user", "writer");
        await WriteHost.CreateAsync(writer, "contacts", $$"""{"last_name":"{{tag}}","email":"twice.{{tag}}@example.com"}""");
        await WriteHost.CreateAsync(writer, "contacts", $$"""{"last_name":"{{tag}}","email":"twice.{{tag}}@example.com"}""");
        await WriteHost.CreateAsync(writer, "contacts", $$"""{"last_name":"{{tag}}","email":"once.{{tag}}@example.com"}""");
        using var importer = ImportClient.For(host);
        var file = ImportClient.Csv("email,title", $"twice.{tag}@example.com,A", $"once.{tag}@example.com,B", $"new.{tag}@example.com,C");

        var updated = await importer.WaitAsync(await importer.StartAsync("contacts", file, "match_on=email&mode=update"));
        var created = await importer.WaitAsync(await importer.StartAsync("contacts", file, "match_on=email&mode=create"));

        Assert.Equal((1, 0, 2), (ImportClient.Count(created, "created"), ImportClient.Count(created, "updated"), ImportClient.Count(created, "failed")));
        Assert.Equal((0, 1, 2), (ImportClient.Count(updated, "created"), ImportClient.Count(updated, "updated"), ImportClient.Count(updated, "failed")));
        var createErrors = (await importer.ErrorsAsync(created.GetProperty("import_id").GetString()!)).GetProperty("errors");
        Assert.Contains("2 records have this email", createErrors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("mode create only adds records", createErrors[1].GetProperty("message").GetString(), StringComparison.Ordinal);
        var updateErrors = (await importer.ErrorsAsync(updated.GetProperty("import_id").GetString()!)).GetProperty("errors");
        Assert.Equal(4, updateErrors[1].GetProperty("line").GetInt64());
        Assert.Contains("mode update only changes records", updateErrors[1].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await host.ScalarAsync($"SELECT count(*) FROM contacts WHERE email = 'new.{tag}@example.com'", Ct));
    }

    [Fact]
    public async Task Rows_of_consecutive_batches_naming_one_record_apply_in_file_order_though_batches_overlap()
    {
        // A batch is matched while the one before it is still being written (docs/imports.md#pipeline); what that one
        // creates or renames must count as it would if the batches ran one at a time.
        var tag = "order" + Guid.NewGuid().ToString("N")[..8];
        using var writer = Tokens.Authorize(host.CreateClient(), "writer-user", "writer");
        var (renamed, _) = await WriteHost.CreateAsync(writer, "contacts", $$"""{"last_name":"{{tag}}","email":"old.{{tag}}@example.com","title":"Before"}""");
        var rows = new List<string> { "contact_uuid,contact_last_name,contact_email,contact_title" };
        for (var batch = 0; batch < 4; batch++)
        {
            rows.Add(batch switch
            {
                0 => $",{tag},again.{tag}@example.com,Created",
                1 => $",{tag},again.{tag}@example.com,Updated",
                _ => $",{tag},again.{tag}@example.com,Updated {batch}",
            });
            rows.Add(batch switch
            {
                0 => $"{renamed},{tag},new.{tag}@example.com,Renamed",
                1 => $",{tag},old.{tag}@example.com,Reborn",
                _ => $",{tag},fill.{batch}.{tag}@example.com,Fill",
            });
            rows.AddRange(Enumerable.Range(2, ImportHost.BatchSize - 2).Select(i => $",{tag},fill.{batch}.{i}.{tag}@example.com,Fill"));
        }

        using var importer = ImportClient.For(host);
        var status = await importer.ImportAsync("contacts", ImportClient.Csv([.. rows]), "match_on=email");

        Assert.Equal((0, 4 * ImportHost.BatchSize), (ImportClient.Count(status, "failed"), ImportClient.Count(status, "rows_read")));
        // Batch 1 created "again" and renamed the stored record; batches 2-4 updated "again"; batch 2's "old" is new.
        Assert.Equal(4 * ImportHost.BatchSize - 4, ImportClient.Count(status, "created"));
        Assert.Equal(4, ImportClient.Count(status, "updated"));
        Assert.Equal(1, await host.ScalarAsync($"SELECT count(*) FROM contacts WHERE email = 'again.{tag}@example.com' AND title = 'Updated 3'", Ct));
        Assert.Equal(1, await host.ScalarAsync($"SELECT count(*) FROM contacts WHERE uuid = '{renamed}' AND email = 'new.{tag}@example.com' AND title = 'Renamed'", Ct));
        Assert.Equal(1, await host.ScalarAsync($"SELECT count(*) FROM contacts WHERE email = 'old.{tag}@example.com' AND uuid <> '{renamed}' AND title = 'Reborn'", Ct));
        Assert.Equal(4 * ImportHost.BatchSize - 3, await host.ScalarAsync($"SELECT count(*) FROM contacts WHERE last_name = '{tag}'", Ct));
    }

    [Fact]
    public async Task Companies_match_on_their_website_domain_and_blank_cells_clear_only_when_asked()
    {
        var tag = "acme" + Guid.NewGuid().ToString("N")[..8];
        using var importer = ImportClient.For(host);
        await importer.ImportAsync("companies", ImportClient.Csv(
            "company_name,company_employees_count,company_metadata_website,company_metadata_city",
            $"{tag},10,https://www.{tag}.example/about,Paris"), "match_on=website");

        var kept = await importer.ImportAsync("companies", ImportClient.Csv("name,employees_count,metadata.website,metadata.city", $"{tag} Inc,many,http://{tag}.EXAMPLE,", $"{tag} Two,12,https://{tag}.example,"), "match_on=website");
        Assert.Equal((0, 1, 1), (ImportClient.Count(kept, "created"), ImportClient.Count(kept, "updated"), ImportClient.Count(kept, "failed")));
        Assert.Equal(1, await host.ScalarAsync($"SELECT count(*) FROM companies c JOIN companies_metadata m ON m.uuid = c.uuid WHERE c.name = '{tag} Two' AND c.employees_count = 12 AND m.city = 'Paris'", Ct));

        await importer.ImportAsync("companies", ImportClient.Csv("name,metadata.website,metadata.city", $"{tag} Two,https://{tag}.example,"), "match_on=website&blank_values=clear");
        Assert.Equal(1, await host.ScalarAsync($"SELECT count(*) FROM companies c JOIN companies_metadata m ON m.uuid = c.uuid WHERE c.name = '{tag} Two' AND m.city IS NULL", Ct));
    }

    private async Task<List<string>> TitlesAsync(string tag)
    {
        await using var connection = new Npgsql.NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new Npgsql.NpgsqlCommand($"SELECT title FROM contacts WHERE last_name = '{tag}' ORDER BY title", connection);
        var titles = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            titles.Add(reader.GetString(0));
        }

        return titles;
    }

    private static byte[] Write(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var csv = new Connectra.Backend.Application.Exports.Utf8CsvWriter(buffer);
        csv.WriteRecord(header);
        foreach (var row in rows)
        {
            csv.WriteRecord(row);
        }

        return buffer.WrittenMemory.ToArray();
    }
}
