using System.Globalization;
using System.Text;
using Connectra.Backend.FunctionalTests.Exports;
using Connectra.Backend.FunctionalTests.Faults;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.FunctionalTests.Writes;

namespace Connectra.Backend.FunctionalTests.Importing;

/// <summary>
/// Imports write through the one write path and reach Connectra through the outbox: a file imported, exported,
/// imported back and exported again gives the same rows; an edited export changes exactly what was edited; and a
/// dry run writes nothing.
/// </summary>
[Collection(ImportTestGroup.Name)]
public sealed class ImportRoundTripTests(ImportHost host)
{
    private const int Rows = 10_000;
    private static readonly TimeSpan Searchable = TimeSpan.FromSeconds(240);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_export_imports_back_unchanged_and_an_edited_export_changes_only_what_was_edited()
    {
        var tag = "roundtrip" + Guid.NewGuid().ToString("N")[..8];
        using var importer = ImportClient.For(host);
        using var analyst = new ExportClient(Tokens.Authorize(host.CreateClient(), "analyst"));

        var seeded = await importer.ImportAsync("contacts", Contacts(tag, Rows));
        Assert.Equal(Rows, ImportClient.Count(seeded, "created"));
        Assert.Equal(Rows, ImportClient.Count(seeded, "rows_total"));
        await DeliveredAsync(analyst.Http, tag, Rows);
        await DrainedAsync();

        var (header, exported, bytes) = await ExportAsync(analyst, tag);
        Assert.Equal(Rows, exported.Count);

        var again = await importer.ImportAsync("contacts", bytes, "mode=update");
        Assert.Equal((0, 0, Rows, 0), Counts(again));
        var (_, reExported, reBytes) = await ExportAsync(analyst, tag);
        Assert.Equal(bytes, reBytes);

        // Every tenth row gets a new title; the file goes back as it is otherwise.
        var title = header.ToList().IndexOf("contact_title");
        var edited = exported.Select((row, i) => i % 10 == 0 ? row.Select((cell, c) => c == title ? $"Edited {i}" : cell).ToArray() : row).ToList();
        var changed = await importer.ImportAsync("contacts", Write(header, edited), "mode=update");
        Assert.Equal((0, Rows / 10, Rows - (Rows / 10), 0), Counts(changed));
        await DrainedAsync();

        var (_, final, _) = await ExportAsync(analyst, tag);
        var updatedAt = header.ToList().IndexOf("contact_updated_at");
        var byUuid = final.ToDictionary(r => r[0]);
        for (var i = 0; i < edited.Count; i++)
        {
            var row = byUuid[edited[i][0]];
            for (var c = 0; c < header.Count; c++)
            {
                if (c == updatedAt)
                {
                    Assert.Equal(i % 10 == 0, row[c] != reExported[i][c]);
                    continue;
                }

                Assert.True(edited[i][c] == row[c], $"row {i}, {header[c]}: '{edited[i][c]}' imported, '{row[c]}' exported");
            }
        }
    }

    [Fact]
    public async Task A_dry_run_counts_what_it_would_do_and_writes_nothing()
    {
        var tag = "dryrun" + Guid.NewGuid().ToString("N")[..8];
        using var importer = ImportClient.For(host);
        var outboxBefore = await host.ScalarAsync("SELECT count(*) FROM connectra_outbox", Ct);

        var status = await importer.ImportAsync("contacts", Contacts(tag, 600), "dry_run=true");

        Assert.True(status.GetProperty("dry_run").GetBoolean());
        Assert.Equal((600, 0, 0, 0), Counts(status));
        Assert.Equal(0, await host.ScalarAsync($"SELECT count(*) FROM contacts WHERE last_name = '{tag}'", Ct));
        Assert.Equal(outboxBefore, await host.ScalarAsync("SELECT count(*) FROM connectra_outbox", Ct));
    }

    [Fact]
    public async Task Rows_imported_while_Connectra_is_away_become_searchable_once_it_is_back()
    {
        var tag = "away" + Guid.NewGuid().ToString("N")[..8];
        using var importer = ImportClient.For(host);
        using var reader = Tokens.Authorize(host.CreateClient(), "reader-user");
        host.Connectra.Unplug();
        try
        {
            var status = await importer.ImportAsync("contacts", Contacts(tag, 800));
            Assert.Equal(800, ImportClient.Count(status, "created"));
            Assert.True(await host.ScalarAsync($"SELECT count(*) FROM connectra_outbox o JOIN contacts c ON c.uuid = o.uuid WHERE c.last_name = '{tag}' AND o.delivered_at IS NULL", Ct) > 0);
        }
        finally
        {
            host.Connectra.Plug();
        }

        await DeliveredAsync(reader, tag, 800);
    }

    /// <summary>A CSV of <paramref name="count"/> contacts in the export's column names, all with the last name <paramref name="tag"/>.</summary>
    public static byte[] Contacts(string tag, int count, int from = 0)
    {
        var csv = new StringBuilder("contact_uuid,contact_first_name,contact_last_name,contact_email,contact_title,contact_departments,contact_seniority,contact_metadata_city,contact_metadata_country\r\n");
        for (var i = from; i < from + count; i++)
        {
            var uuid = Connectra.Backend.Application.SalesNavigator.UuidV5.Text(Connectra.Backend.Application.SalesNavigator.UuidV5.UrlNamespace, $"{tag}/{i}");
            csv.Append(CultureInfo.InvariantCulture,
                $"{uuid},First{i},{tag},{tag}.{i}@example.com,\"Head of Sales, \"\"EMEA\"\"\",\"sales,hr\",director,Lyon,France\r\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>Waits until every outbox message is delivered, so no late delivery changes what Connectra shows.</summary>
    private async Task DrainedAsync() =>
        Assert.True(await WriteHost.EventuallyAsync(async () =>
            await host.ScalarAsync("SELECT count(*) FROM connectra_outbox WHERE delivered_at IS NULL", Ct) == 0, Searchable, Ct));

    private static async Task DeliveredAsync(HttpClient reader, string tag, int count) =>
        Assert.True(await WriteHost.EventuallyAsync(async () => await FaultHost.CountAsync(reader, "last_name", tag, Ct) == count, Searchable, Ct),
            $"{await FaultHost.CountAsync(reader, "last_name", tag, Ct)} of {count} searchable");

    private static async Task<(IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows, byte[] Bytes)> ExportAsync(ExportClient analyst, string tag)
    {
        var id = await analyst.CreateAsync("/api/v3/exports/contacts/export", new { query = FaultHost.EqualsFilter("last_name", tag) });
        return await analyst.DownloadAsync(id);
    }

    private static (int Created, int Updated, int Unchanged, int Failed) Counts(System.Text.Json.JsonElement status) =>
        (ImportClient.Count(status, "created"), ImportClient.Count(status, "updated"), ImportClient.Count(status, "unchanged"), ImportClient.Count(status, "failed"));

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
