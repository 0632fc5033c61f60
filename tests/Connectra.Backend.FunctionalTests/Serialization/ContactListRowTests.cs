using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Connectra.Backend.Api.Serialization;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Reading;
using Connectra.Client;
using Connectra.Client.Records;

namespace Connectra.Backend.FunctionalTests.Serialization;

/// <summary>
/// The query route writes its list items straight from Connectra's answer (<see cref="ContactPageReader"/>). Its output
/// must be the bytes the record path gives — answer read into records, checked, scrubbed, mapped to
/// <see cref="ContactListItem"/>, serialised with the API's options — and it must refuse exactly the answers the
/// record path refuses, always as a contract breach (503), never as another exception (500).
/// </summary>
public sealed class ContactListRowTests
{
    private static readonly JsonSerializerOptions Options = ApiOptions();

    /// <summary>Values that matter: unknown and empty, what the output escapes, escapes on the wire, non-ASCII, the tombstone.</summary>
    private static readonly string[] Texts =
    [
        "_", "", " ", "a", "Ann", "O'Brien", "say \"hi\"", "a,b", "line\r\nbreak", "<script>&amp;", "+49 30", "\u0001\u001f\u007f",
        "\uFEFFmark", "中文", "😀", "é", "\u2028", "\\", "/", Tombstones.Marker, "_ ", "__", "ü\u0308", "Zoë Ångström",
    ];

    private static readonly string[] Times =
    [
        "2025-06-13T22:58:50.035719Z", "2025-06-13T22:58:50Z", "2024-02-29T23:59:59.9999999+02:00", "2020-01-01T00:00:00-05:30",
        "2025-06-13T22:58:50.100Z", "2025-06-13", "2025-06-13T22:58:50",
    ];

    /// <summary>Integers as Connectra may send them, some of which the record reader takes and some it refuses.</summary>
    private static readonly string[] NumberStrings = ["12", "-5", "0", "007", "9223372036854775807", "-9223372036854775808", "+5", " 5", "5 ", "", "1e3", "1.0", "12a", "9223372036854775808"];

    private static readonly string[] NumberTokens = ["0", "-0", "42", "-7", "9223372036854775807", "1.0", "1e3", "9223372036854775808", "-1.5"];

    private static readonly string[] ContactTexts =
    [
        "first_name", "last_name", "company_id", "email", "title", "mobile_phone", "email_status", "seniority", "city", "state", "country",
        "linkedin_url", "facebook_url", "twitter_url", "website", "work_direct_phone", "home_phone", "other_phone", "stage",
    ];

    private static readonly string[] CompanyTexts =
    [
        "uuid", "name", "address", "city", "state", "country", "linkedin_url", "website", "normalized_domain", "facebook_url", "twitter_url",
        "company_name_for_emails", "phone_number", "latest_funding", "last_raised_at",
    ];

    private static readonly string[] CompanyNumbers = ["employees_count", "annual_revenue", "total_funding", "latest_funding_amount", "id"];

    private static readonly string[] CompanyLists = ["industries", "keywords", "technologies"];

    [Fact]
    public void Random_pages_give_the_record_paths_bytes_and_refuse_what_it_refuses()
    {
        var random = new Random(1616);
        var (served, refused) = (0, 0);
        for (var run = 0; run < 600; run++)
        {
            var page = Page(random, random.Next(0, 10), strict: run % 3 == 0);
            if (Compare(page, run))
            {
                served++;
            }
            else
            {
                refused++;
            }
        }

        // Both kinds of page occur often enough to mean something.
        Assert.True(served > 150, $"served {served}");
        Assert.True(refused > 50, $"refused {refused}");
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
    [InlineData("""{"data":[1],"success":true}""")]
    [InlineData("""{"data":[{}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":""}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":null}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":7}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","email":1}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company_id":true}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","id":"x"}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","deleted_at":"soon"}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","departments":"sales"}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","departments":[1]}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","created_at":"yesterday"}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","created_at":5}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company":{"uuid":"c","employees_count":1.5}}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company":{"uuid":"c","employees_count":"12a"}}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company":{"uuid":"c","normalized_domain":[]}}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company":{"uuid":"c","cursor":[2]}}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company":"acme"}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","cursor":[1]}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","cursor":"a"}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","title":"\ud800"}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company_id":"\udc00x"}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a"}],"success":true""")]
    [InlineData("""{"data":[{"uuid":"a"}],"success":true} {}""")]
    [InlineData("""{"data":[{"uuid":"a"}],"success":true} // done""")]
    [InlineData("""{"data":[{"uuid":"a"},],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a"}],"data":null,"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a"}],"data":[{}],"success":true}""")]
    public void An_answer_the_record_path_refuses_is_a_contract_breach(string body)
    {
        Assert.False(Compare(Encoding.UTF8.GetBytes(body), 0));
    }

    [Theory]
    [InlineData("""{"data":[{"uuid":"_"}],"success":true}""")]
    [InlineData("""{"success":true,"DATA":[{"UUID":"a","First_Name":"Ann"}],"meta":{"x":[1,{"y":null}]}}""")]
    [InlineData("""{"data":[{"uuid":"a"}],"data":[{"uuid":"b","first\u005fname":"Bo"}],"\u0073uccess":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company":{"name":"A","linkedin_url":"__deleted__"},"extra":[[{}]]}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company":{"name":"A"},"company":null}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company":{"name":"A","total_funding":1},"company":{"city":"B"}}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company":{}},{"uuid":"b"}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","cursor":["x",null]},{"uuid":"b","cursor":[]}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","cursor":["x"],"cursor":null}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","company":{"latest_funding_amount":"-0012","employees_count":"+3"}}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a","departments":[null,"_","",null]},{"uuid":"b","departments":["x",null,"_","y"]}],"success":true}""")]
    [InlineData("""{"data":[{"uuid":"a\u00e9\ud83d\ude00","title":"\u003cb\u003e \u2028 \t"}],"success":true}""")]
    [InlineData("""{"data":[],"success":true}""")]
    public void Edge_answers_the_record_path_serves_give_the_same_bytes(string body)
    {
        Assert.True(Compare(Encoding.UTF8.GetBytes(body), 0));
    }

    [Fact]
    public void The_rows_carry_the_sort_values_the_paging_signs()
    {
        var rows = ContactPageReader.Read("""
            {"success":true,"data":[{"uuid":"a","cursor":["a"]},{"uuid":"b","cursor":["b\u00e9","2"]},{"uuid":"c"}]}
            """u8.ToArray());

        Assert.Equal(["a"], rows[0].Cursor);
        Assert.Equal(["bé", "2"], rows[1].Cursor);
        Assert.Null(rows[2].Cursor);
    }

    /// <summary>
    /// Runs both paths over one answer: true when both serve it (and the bytes and sort values agree), false when both
    /// refuse it; fails the test otherwise.
    /// </summary>
    private static bool Compare(byte[] body, int run)
    {
        var meta = new PageMeta("cursor", null, run % 2 == 0, "uuid", run, 25, 100, false);
        List<ConnectraContact>? records = null;
        Exception? recordFailure = null;
        try
        {
            records = [.. ConnectraAnswers.Rows(JsonSerializer.Deserialize(body, ConnectraJsonContext.Default.ConnectraListConnectraContact))
                .Select(ConnectraEntities.Contacts.Scrub)];
        }
        catch (Exception failure)
        {
            // Any exception of the record path's reading is a breach to the client wrapper: Connectra unavailable.
            recordFailure = failure;
        }

        IReadOnlyList<ContactListRow>? rows = null;
        ConnectraContractException? breach = null;
        try
        {
            rows = ContactPageReader.Read(body);
        }
        catch (ConnectraContractException refused)
        {
            breach = refused;
        }

        var text = Encoding.UTF8.GetString(body);
        if (records is null)
        {
            Assert.True(breach is not null, $"run {run}: the record path refused ({recordFailure!.Message}) but the rows were served: {text}");
            return false;
        }

        Assert.True(rows is not null, $"run {run}: the record path served the answer but it was refused ({breach?.Message}): {text}");
        var expected = JsonSerializer.SerializeToUtf8Bytes(
            new CursorPage<ContactListItem>("next", null, [.. records.Select(c => new ContactListItem(c))], meta), Options);
        var actual = JsonSerializer.SerializeToUtf8Bytes(new CursorPage<ContactListRow>("next", null, rows, meta), Options);
        Assert.True(expected.AsSpan().SequenceEqual(actual),
            $"run {run}: {text}\nexpected {Encoding.UTF8.GetString(expected)}\nactual   {Encoding.UTF8.GetString(actual)}");
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(records[i].Cursor, rows[i].Cursor);
        }

        return true;
    }

    private static JsonSerializerOptions ApiOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiJson.Configure(options, 64);
        return options;
    }

    /// <summary>
    /// A search answer: rows of every member a contact has, in random forms. Unless <paramref name="strict"/>, now and
    /// then one member is of a type the record refuses, and names are escaped or in other letter case.
    /// </summary>
    private static byte[] Page(Random random, int rows, bool strict)
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

            if (random.Next(3) == 0)
            {
                json.WriteBoolean("success", true);
            }

            json.WriteStartArray(random.Next(5) == 0 ? "Data" : "data");
            for (var i = 0; i < rows; i++)
            {
                json.WriteStartObject();
                if (strict || random.Next(40) > 0)
                {
                    json.WriteString(Name(random, "uuid"), random.Next(30) == 0 ? "_" : $"u{random.Next(1000)}{Text(random)}");
                }

                Contact(random, json, strict);
                switch (random.Next(6))
                {
                    case 0:
                        break;
                    case 1:
                        json.WriteNull("cursor");
                        break;
                    default:
                        json.WriteStartArray(Name(random, "cursor"));
                        json.WriteStringValue($"u{i}");
                        if (random.Next(4) == 0)
                        {
                            json.WriteStringValue(Text(random));
                        }

                        json.WriteEndArray();
                        break;
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (random.Next(3) > 0)
            {
                json.WriteBoolean("success", true);
            }

            json.WriteEndObject();
        }

        var page = output.WrittenSpan.ToArray();
        return strict || random.Next(4) > 0 ? page : Escaped(random, page);
    }

    /// <summary>Some member names written with a \u escape: the record reader decodes them, and so must the row reader.</summary>
    private static byte[] Escaped(Random random, byte[] page)
    {
        var text = Encoding.UTF8.GetString(page);
        foreach (var name in new[] { "first_name", "title", "company", "name", "industries", "employees_count", "created_at", "cursor", "uuid" })
        {
            if (random.Next(2) == 0)
            {
                text = text.Replace($"\"{name}\":", $"\"\\u{(int)name[0]:x4}{name[1..]}\":", StringComparison.Ordinal);
            }
        }

        return Encoding.UTF8.GetBytes(text);
    }

    private static void Contact(Random random, Utf8JsonWriter json, bool strict)
    {
        Strings(random, json, ContactTexts, strict);
        List(random, json, "departments", strict);
        Time(random, json, "created_at", strict);
        Time(random, json, "updated_at", strict);
        if (random.Next(10) == 0)
        {
            Time(random, json, "deleted_at", strict);
        }

        if (random.Next(4) == 0)
        {
            Number(random, json, "id", strict);
        }

        var companies = random.Next(12) == 0 ? 2 : 1;
        for (var i = 0; i < companies; i++)
        {
            switch (random.Next(6))
            {
                case 0:
                    break;
                case 1:
                    json.WriteNull("company");
                    break;
                default:
                    json.WriteStartObject(Name(random, "company"));
                    Company(random, json, strict);
                    if (random.Next(6) == 0)
                    {
                        json.WriteString("linkedin_url", random.Next(4) == 0 ? "__Deleted__" : Tombstones.Marker);
                    }

                    json.WriteEndObject();
                    break;
            }
        }

        if (random.Next(8) == 0)
        {
            json.WriteStartObject("unknown_member");
            json.WriteStartArray("x");
            json.WriteNumberValue(1);
            json.WriteNullValue();
            json.WriteEndArray();
            json.WriteEndObject();
        }
    }

    private static void Company(Random random, Utf8JsonWriter json, bool strict)
    {
        Strings(random, json, CompanyTexts, strict);
        foreach (var field in CompanyNumbers.Where(_ => random.Next(3) > 0))
        {
            Number(random, json, field, strict);
        }

        foreach (var field in CompanyLists)
        {
            List(random, json, field, strict);
        }

        Time(random, json, "created_at", strict);
        Time(random, json, "updated_at", strict);
    }

    private static void Number(Random random, Utf8JsonWriter json, string field, bool strict)
    {
        var name = Name(random, field);
        var value = random.Next(4) switch
        {
            0 => 0L,
            1 => -random.NextInt64(1, 1_000_000),
            2 => long.MaxValue,
            _ => random.NextInt64(0, 10_000_000_000),
        };
        switch (strict ? random.Next(3) : random.Next(6))
        {
            case 0:
                json.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
                break;
            case 1 or 2:
                json.WriteNumber(name, value);
                break;
            case 3:
                json.WriteString(name, NumberStrings[random.Next(NumberStrings.Length)]);
                break;
            case 4:
                json.WritePropertyName(name);
                json.WriteRawValue(NumberTokens[random.Next(NumberTokens.Length)]);
                break;
            default:
                json.WriteNull(name);
                break;
        }
    }

    private static void Strings(Random random, Utf8JsonWriter json, string[] fields, bool strict)
    {
        foreach (var field in fields.Where(_ => random.Next(4) > 0))
        {
            if (!strict && random.Next(150) == 0)
            {
                // Not a string: the record reader refuses the whole answer.
                json.WriteNumber(Name(random, field), 1);
            }
            else if (random.Next(8) == 0)
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
            json.WriteString(fields[random.Next(fields.Length)], Text(random));
        }
    }

    private static void List(Random random, Utf8JsonWriter json, string field, bool strict)
    {
        switch (random.Next(6))
        {
            case 0:
                return;
            case 1:
                json.WriteNull(field);
                return;
            case 2 when !strict && random.Next(20) == 0:
                json.WriteString(field, "not a list");
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

    private static void Time(Random random, Utf8JsonWriter json, string field, bool strict)
    {
        switch (random.Next(8))
        {
            case 0:
                return;
            case 1:
                json.WriteNull(field);
                return;
            case 2 when !strict && random.Next(15) == 0:
                json.WriteString(field, random.Next(2) == 0 ? "yesterday" : "");
                return;
            default:
                json.WriteString(Name(random, field), Times[random.Next(Times.Length)]);
                return;
        }
    }

    private static string Text(Random random) =>
        random.Next(3) == 0
            ? Texts[random.Next(Texts.Length)] + Texts[random.Next(Texts.Length)]
            : Texts[random.Next(Texts.Length)];

    /// <summary>Now and then in other letter case: names are matched without regard to case, by both readers.</summary>
    private static string Name(Random random, string name) => random.Next(10) == 0 ? name.ToUpperInvariant() : name;
}
