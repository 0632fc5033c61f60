using System.Net;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.Validation;
using Connectra.Backend.FunctionalTests.Writes;

namespace Connectra.Backend.FunctionalTests.Exports;

/// <summary>
/// The CSV class of the hostile corpus end to end: records written through the API, delivered to Connectra by the
/// outbox, exported by each kind of export, downloaded and read back strictly as RFC 4180.
/// </summary>
[Collection(ExportTestGroup.Name)]
public sealed class ExportCsvTests(ExportHost stack)
{
    private const string Contacts = "/api/v3/exports/contacts/export";
    private static readonly TimeSpan Delivered = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Text_that_breaks_csv_reads_back_from_every_kind_of_export_as_exactly_the_cells_written()
    {
        using var worker = stack.StartWorker(WriteHost.DeliverOutboxPromptly);
        using var client = ExportClient.For(stack, "csv-analyst", "writer");
        var (company, _) = await WriteHost.CreateAsync(client.Http, "companies", HostileInput.CsvCompany.Body);
        // Connectra copies a contact's company when it indexes the contact, so the company must be there first.
        Assert.True(await WriteHost.EventuallyAsync(async () =>
        {
            using var found = await client.Http.GetAsync($"/api/v3/companies/{company}/", Ct);
            return found.StatusCode == HttpStatusCode.OK;
        }, Delivered, Ct), "the company never reached Connectra");
        var records = HostileInput.CsvContacts(company);
        var uuids = new List<string>();
        foreach (var record in records)
        {
            uuids.Add((await WriteHost.CreateAsync(client.Http, "contacts", record.Body)).Uuid);
        }

        var byUuid = new { filters = new { and = new[] { new { field = "uuid", @operator = "in", value = uuids } } } };
        Assert.True(await WriteHost.EventuallyAsync(async () =>
        {
            using var count = await client.Http.PostAsJsonAsync("/api/v3/contacts/count", byUuid, Ct);
            return count.StatusCode == HttpStatusCode.OK
                && (await count.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("count").GetInt32() == uuids.Count;
        }, Delivered, Ct), "the contacts never reached Connectra");
        string[] columns = ["contact_uuid", .. HostileInput.CsvColumns];
        var expected = uuids.Zip(records, (uuid, record) => (string[])[uuid, .. HostileInput.CsvColumns.Select(c => record.Cells[c])]).ToList();

        var listed = await client.CreateAsync(Contacts, new { contact_uuids = uuids, columns });
        var queried = await client.CreateAsync(Contacts, new { query = byUuid, columns });
        using var chunkedResponse = await client.Http.PostAsJsonAsync($"{Contacts}/chunked", new { chunks = new[] { uuids.Take(1), uuids.Skip(1) }, columns }, Ct);
        var chunked = (await chunkedResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("export_id").GetString()!;

        foreach (var (id, rows) in new[]
        {
            (listed, expected),
            (queried, [.. expected.OrderBy(r => r[0], StringComparer.Ordinal)]),
            (chunked, expected),
        })
        {
            var (header, read, _) = await client.DownloadAsync(id);

            Assert.Equal(columns, header);
            Assert.Equal(rows.Count, read.Count);
            for (var r = 0; r < rows.Count; r++)
            {
                for (var c = 0; c < columns.Length; c++)
                {
                    Assert.True(rows[r][c] == read[r][c], $"export {id}, row {r}, {columns[c]}: {JsonSerializer.Serialize(read[r][c])}, expected {JsonSerializer.Serialize(rows[r][c])}");
                }
            }
        }
    }
}
