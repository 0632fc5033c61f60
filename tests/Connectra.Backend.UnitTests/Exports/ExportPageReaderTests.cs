using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Connectra.Backend.Application;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Reading;
using Connectra.Client;
using Connectra.Client.Records;

namespace Connectra.Backend.UnitTests.Exports;

public sealed class ExportPageReaderTests
{
    /// <summary>Values that matter to a cell: unknown and empty, CSV's own characters, formula leads, escapes, non-ASCII.</summary>
    private static readonly string[] Texts =
    [
        "_", "", " ", "a", "Ann", "O'Brien", "say \"hi\"", "a,b", "line\r\nbreak", "\n", "=1+2", "+49 30", "-x", "@home", "\t=x",
        "\uFEFFmark", "中文", "😀", "é", "\u2028", "\\", "/", "__deleted__", "_ ", "__",
    ];

    private static readonly string[] Times =
    [
        "2025-06-13T22:58:50.035719Z", "2025-06-13T22:58:50Z", "2024-02-29T23:59:59.9999999+02:00", "2020-01-01T00:00:00-05:30",
        "2025-06-13T22:58:50.100Z", "2025-06-13", "2025-06-13T22:58:50",
    ];

    private static readonly string[] ContactFields =
    [
        "first_name", "last_name", "company_id", "email", "title", "mobile_phone", "email_status", "seniority", "city", "state", "country",
        "linkedin_url", "facebook_url", "twitter_url", "website", "work_direct_phone", "home_phone", "other_phone", "stage",
    ];

    private static readonly string[] CompanyFields =
    [
        "name", "address", "city", "state", "country", "linkedin_url", "website", "normalized_domain", "facebook_url", "twitter_url",
        "company_name_for_emails", "phone_number", "latest_funding", "last_raised_at",
    ];

    private static readonly string[] CompanyNumbers = ["employees_count", "annual_revenue", "total_funding", "latest_funding_amount"];

    private static readonly string[] CompanyLists = ["industries", "keywords", "technologies"];

    [Fact]
    public void Contact_pages_give_the_same_bytes_as_reading_records_and_writing_their_cells()
    {
        var random = new Random(2016);
        for (var run = 0; run < 150; run++)
        {
            var columns = random.Next(3) == 0 ? ExportColumns.Contacts : Subset(random, ExportColumns.Contacts);
            var pages = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Page(random, random.Next(0, 12), Contact)).ToList();

            var expected = ThroughRecords(pages, columns, ConnectraJsonContext.Default.ConnectraListConnectraContact, ConnectraEntities.Contacts.Scrub);
            var actual = ThroughPageReader(pages, columns);

            Assert.True(expected.SequenceEqual(actual), $"run {run}: columns {string.Join(",", columns.Select(c => c.Name))}\n" +
                $"pages {string.Join("\n", pages.Select(Encoding.UTF8.GetString))}\nexpected {Encoding.UTF8.GetString(expected)}\nactual {Encoding.UTF8.GetString(actual)}");
        }
    }

    [Fact]
    public void Company_pages_give_the_same_bytes_as_reading_records_and_writing_their_cells()
    {
        var random = new Random(16);
        for (var run = 0; run < 150; run++)
        {
            var columns = random.Next(3) == 0 ? ExportColumns.Companies : Subset(random, ExportColumns.Companies);
            var pages = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Page(random, random.Next(0, 12), Company)).ToList();

            var expected = ThroughRecords(pages, columns, ConnectraJsonContext.Default.ConnectraListConnectraCompany, c => c);
            var actual = ThroughPageReader(pages, columns);

            Assert.True(expected.SequenceEqual(actual), $"run {run}: pages {string.Join("\n", pages.Select(Encoding.UTF8.GetString))}\n" +
                $"expected {Encoding.UTF8.GetString(expected)}\nactual {Encoding.UTF8.GetString(actual)}");
        }
    }

    [Fact]
    public void A_page_tells_its_row_count_and_the_last_rows_sort_values()
    {
        var reader = ExportPageReader.For(ExportColumns.Contacts);
        var body = """
            {"success":true,"data":[
              {"uuid":"a","cursor":["a"]},
              {"uuid":"b","cursor":["b\u00e9","2"],"company":{"uuid":"c","name":"Acme"}}
            ]}
            """u8;

        using var page = reader.Read(body);

        Assert.Equal(2, page.Count);
        Assert.Equal(["bé", "2"], page.Cursor);
        Assert.Equal(2, StrictCsv.Parse(page.Csv.ToArray()).Count);
    }

    [Fact]
    public void An_empty_data_list_is_a_page_of_no_rows()
    {
        using var page = ExportPageReader.For(ExportColumns.Contacts).Read("""{"data":[],"success":true}"""u8);

        Assert.Equal(0, page.Count);
        Assert.Null(page.Cursor);
        Assert.Equal(0, page.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"success":true}""")]
    [InlineData("""{"data":null,"success":true}""")]
    [InlineData("""{"data":[],"success":false}""")]
    [InlineData("""{"data":[]}""")]
    [InlineData("""{"data":[],"success":"true"}""")]
    [InlineData("""{"data":{},"success":true}""")]
    [InlineData("""{"data":[null],"success":true}""")]
    [InlineData("""{"data":[{}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":""}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":null}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","email":1}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","departments":"sales"}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","departments":[1]}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","created_at":"yesterday"}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company":{"uuid":"c","employees_count":1.5}}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company":{"uuid":"c","employees_count":"12a"}}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company":"acme"}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","cursor":[1]}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a"}],"success":true""")]
    [InlineData("""{"data":[{"uuid":"a"}],"success":true} {}""")]
    [InlineData("""{"data":[{"uuid":"a"}],"data":[],"success":true}""")]
    public void An_answer_that_breaks_the_contract_is_refused_and_writes_nothing(string body)
    {
        var reader = ExportPageReader.For(ExportColumns.Contacts);

        Assert.Throws<ConnectraContractException>(() => reader.Read(Encoding.UTF8.GetBytes(body)));
        using var next = reader.Read("""{"data":[{"uuid":"z"}],"success":true}"""u8);
        Assert.StartsWith("z,", Encoding.UTF8.GetString(next.Csv.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Members_no_column_reads_are_skipped_whatever_they_hold()
    {
        var reader = ExportPageReader.For(ExportColumns.Choose(ExportColumns.Contacts, ["contact_uuid", "contact_email"], "columns"));

        using var page = reader.Read("""
            {"meta":{"x":[1,{"y":null}]},"data":[{"uuid":"a","id":"not a number","title":7,"company":3,"EMAIL":"a@b.c","extra":[[]]}],"success":true}
            """u8);

        Assert.Equal("a,a@b.c\r\n", Encoding.UTF8.GetString(page.Csv.Span));
    }

    private static byte[] ThroughRecords<T>(
        IEnumerable<byte[]> pages, IReadOnlyList<ExportColumn<T>> columns, JsonTypeInfo<ConnectraList<T>> json, Func<T, T> scrub)
        where T : class, IConnectraRecord
    {
        var output = new ArrayBufferWriter<byte>();
        var csv = new Utf8CsvWriter(output);
        foreach (var page in pages)
        {
            foreach (var row in ConnectraAnswers.Rows(JsonSerializer.Deserialize(page, json)).Select(scrub))
            {
                foreach (var column in columns)
                {
                    csv.WriteField(Values.Clean(column.Cell(row)));
                }

                csv.EndRecord();
            }
        }

        return output.WrittenSpan.ToArray();
    }

    private static byte[] ThroughPageReader<T>(IEnumerable<byte[]> pages, IReadOnlyList<ExportColumn<T>> columns)
    {
        var reader = ExportPageReader.For(columns);
        var output = new List<byte>();
        foreach (var body in pages)
        {
            using var page = reader.Read(body);
            output.AddRange(page.Csv.ToArray());
        }

        return [.. output];
    }

    private static List<ExportColumn<T>> Subset<T>(Random random, IReadOnlyList<ExportColumn<T>> all) =>
        [.. all.Where(_ => random.Next(3) == 0).OrderBy(_ => random.Next()).DefaultIfEmpty(all[0])];

    private static byte[] Page(Random random, int rows, Action<Random, Utf8JsonWriter> row)
    {
        var output = new ArrayBufferWriter<byte>();
        // Escaped and raw UTF-8 strings both occur on the wire.
        var options = new JsonWriterOptions { Encoder = random.Next(2) == 0 ? JavaScriptEncoder.Default : JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var json = new Utf8JsonWriter(output, options))
        {
            json.WriteStartObject();
            if (random.Next(4) == 0)
            {
                json.WriteString("meta", "ignored");
            }

            json.WriteStartArray(random.Next(5) == 0 ? "Data" : "data");
            for (var i = 0; i < rows; i++)
            {
                json.WriteStartObject();
                json.WriteString(Name(random, "uuid"), $"u{random.Next(1000)}{Texts[random.Next(Texts.Length)]}");
                row(random, json);
                json.WriteStartArray("cursor");
                json.WriteStringValue($"u{i}");
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteBoolean("success", true);
            json.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private static void Contact(Random random, Utf8JsonWriter json)
    {
        Strings(random, json, ContactFields);
        List(random, json, "departments");
        Time(random, json, "created_at");
        Time(random, json, "updated_at");
        switch (random.Next(5))
        {
            case 0:
                break;
            case 1:
                json.WriteNull("company");
                break;
            default:
                json.WriteStartObject(Name(random, "company"));
                json.WriteString("uuid", "c" + random.Next(100));
                Company(random, json);
                if (random.Next(6) == 0)
                {
                    json.WriteString("linkedin_url", Tombstones.Marker);
                }

                json.WriteEndObject();
                break;
        }
    }

    private static void Company(Random random, Utf8JsonWriter json)
    {
        Strings(random, json, CompanyFields);
        foreach (var field in CompanyNumbers.Where(_ => random.Next(3) > 0))
        {
            var value = random.Next(4) switch
            {
                0 => 0L,
                1 => -random.NextInt64(1, 1_000_000),
                2 => long.MaxValue,
                _ => random.NextInt64(0, 10_000_000_000),
            };
            if (random.Next(3) == 0)
            {
                json.WriteString(Name(random, field), value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteNumber(Name(random, field), value);
            }
        }

        foreach (var field in CompanyLists)
        {
            List(random, json, field);
        }

        Time(random, json, "created_at");
        Time(random, json, "updated_at");
        if (random.Next(4) == 0)
        {
            json.WriteNumber("id", random.Next());
        }
    }

    private static void Strings(Random random, Utf8JsonWriter json, string[] fields)
    {
        foreach (var field in fields.Where(_ => random.Next(4) > 0))
        {
            if (random.Next(8) == 0)
            {
                json.WriteNull(Name(random, field));
            }
            else
            {
                json.WriteString(Name(random, field), Text(random));
            }
        }

        if (random.Next(6) == 0)
        {
            // A member named twice: the last one counts, as for the record reader.
            var field = fields[random.Next(fields.Length)];
            json.WriteString(field, Text(random));
        }
    }

    private static void List(Random random, Utf8JsonWriter json, string field)
    {
        switch (random.Next(5))
        {
            case 0:
                return;
            case 1:
                json.WriteNull(field);
                return;
            default:
                json.WriteStartArray(Name(random, field));
                for (var i = random.Next(0, 5); i > 0; i--)
                {
                    if (random.Next(6) == 0)
                    {
                        json.WriteNullValue();
                    }
                    else
                    {
                        json.WriteStringValue(Text(random));
                    }
                }

                json.WriteEndArray();
                return;
        }
    }

    private static void Time(Random random, Utf8JsonWriter json, string field)
    {
        if (random.Next(3) > 0)
        {
            json.WriteString(Name(random, field), Times[random.Next(Times.Length)]);
        }
    }

    private static string Text(Random random) =>
        random.Next(3) == 0
            ? Texts[random.Next(Texts.Length)] + Texts[random.Next(Texts.Length)]
            : Texts[random.Next(Texts.Length)];

    /// <summary>Now and then in other letter case: names are matched without regard to case, by both readers.</summary>
    private static string Name(Random random, string name) => random.Next(10) == 0 ? name.ToUpperInvariant() : name;
}
