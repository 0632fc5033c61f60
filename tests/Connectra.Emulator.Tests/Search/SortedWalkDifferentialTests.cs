using System.Globalization;
using System.Text.Json;
using Connectra.Emulator.Http;
using Connectra.Emulator.Search;

namespace Connectra.Emulator.Tests.Search;

/// <summary>
/// The sorted walk may only change how fast a page is found, never which rows it holds. Random queries of the
/// export's shape and beyond (ranges on the sort field or another, cursors inside, outside and between terms, ties,
/// tombstones and other filters, offsets, both directions) run over a seeded index with several segments and deleted
/// documents, three ways: as a plain Lucene sort of every match (the reference), with the term walk, and with the
/// sort-value scan, the walk's filter cache kept so small that it evicts all the time.
/// </summary>
public sealed class SortedWalkDifferentialTests(SeededIndex seeded) : IClassFixture<SeededIndex>
{
    private readonly SortedWalk _walk = new(0, new FilterCache(4 * 1024));
    private readonly SortedWalk _scan = new(int.MaxValue, new FilterCache(64L * 1024 * 1024));

    [Fact]
    public void Random_pages_are_the_same_with_every_plan()
    {
        var random = new Random(20_251_207);
        var planned = 0;
        for (var i = 0; i < 600; i++)
        {
            var body = RandomQuery(random, allowOffset: true);
            planned += Compare(body) ? 1 : 0;
        }

        // Most queries must reach the planner, or this test would prove little about it.
        Assert.True(planned > 350, $"only {planned} of 600 queries reached the sorted walk");
        Assert.Equal(planned, _walk.Walks);
        Assert.Equal(planned, _scan.Scans);
        Assert.True(_walk.Cache.Bytes <= 4 * 1024);
    }

    [Fact]
    public void Whole_cursor_walks_are_the_same_with_every_plan()
    {
        var random = new Random(7);
        for (var i = 0; i < 40; i++)
        {
            var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(RandomQuery(random, allowOffset: false))!;
            body.Remove("cursor");
            body["limit"] = JsonSerializer.SerializeToElement(random.Next(2) == 0 ? 100 : 37);
            var pages = 0;
            while (true)
            {
                var text = JsonSerializer.Serialize(body);
                var page = Search(text, null);
                Compare(text);
                if (page.Count == 0 || pages++ > 200)
                {
                    break;
                }

                body["cursor"] = JsonSerializer.SerializeToElement(page[^1].Cursor);
            }

            Assert.True(pages <= 200, "a walk did not end");
        }
    }

    /// <summary>Runs <paramref name="body"/> three ways; true when the planner ran (the walk's counter moved).</summary>
    private bool Compare(string body)
    {
        var before = _walk.Walks;
        var reference = Outcome(body, null);
        Assert.True(reference == Outcome(body, _walk), $"the term walk differs for {body}");
        Assert.True(reference == Outcome(body, _scan), $"the sort value scan differs for {body}");
        return _walk.Walks > before;
    }

    private string Outcome(string body, SortedWalk? walk)
    {
        try
        {
            return string.Join("\n", Search(body, walk).Select(h => $"{h.Uuid} {h.CompanyId} {string.Join('|', h.Cursor ?? [])}"));
        }
        catch (ConnectraFailure failure)
        {
            return "failure: " + failure.Message;
        }
    }

    private IReadOnlyList<IndexHit> Search(string body, SortedWalk? walk)
    {
        var request = RequestBinder.Vql(JsonDocument.Parse(body).RootElement, new GoJson());
        return IndexSearch.Search(seeded.Index, request, strict: true, walk);
    }

    private string RandomQuery(Random random, bool allowOffset)
    {
        var (first, direction) = random.Next(20) switch
        {
            < 10 => ("uuid", "asc"),
            < 12 => ("uuid", "desc"),
            < 15 => ("seniority", "asc"),
            < 16 => ("seniority", "desc"),
            < 18 => ("email_status", "asc"),
            _ => ("country", "asc"),
        };
        var order = new List<object> { new { order_by = first, order_direction = direction } };
        if (first != "uuid")
        {
            order.Add(new { order_by = "uuid", order_direction = "asc" });
        }

        var ranges = new Dictionary<string, object>();
        if (random.Next(10) < 7)
        {
            ranges[first] = RandomBounds(random, first);
        }

        if (first != "uuid" && random.Next(10) < 3)
        {
            ranges["uuid"] = RandomBounds(random, "uuid");
        }

        if (random.Next(10) == 0)
        {
            ranges["company_employees_count"] = new { gte = random.Next(0, 2000) };
        }

        var must = new Dictionary<string, object>();
        var mustNot = new Dictionary<string, object>();
        if (random.Next(10) < 7)
        {
            mustNot["email_status"] = SeededIndex.Tombstone;
        }

        if (random.Next(7) == 0)
        {
            must["country"] = seeded.Values("country")[random.Next(seeded.Values("country").Count)];
        }

        if (random.Next(7) == 0)
        {
            mustNot["seniority"] = seeded.Values("seniority")[random.Next(seeded.Values("seniority").Count)];
        }

        var where = new Dictionary<string, object>
        {
            ["keyword_match"] = new { must, must_not = mustNot },
            ["range_query"] = new { must = ranges },
        };
        if (random.Next(7) == 0)
        {
            string[] words = ["engineer", "manager", "director", "sales"];
            where["text_matches"] = new { must = new[] { new { text_value = words[random.Next(words.Length)], filter_key = "title", search_type = "shuffle" } } };
        }

        var query = new Dictionary<string, object>
        {
            ["where"] = where,
            ["order_by"] = order,
            ["limit"] = new[] { 1, 7, 25, 100 }[random.Next(4)],
        };
        if (random.Next(10) < 6)
        {
            query["cursor"] = RandomCursor(random, first);
        }
        else if (allowOffset && random.Next(4) == 0)
        {
            query["page"] = random.Next(2, 4);
        }

        return JsonSerializer.Serialize(query);
    }

    private Dictionary<string, object> RandomBounds(Random random, string field)
    {
        var bounds = new Dictionary<string, object>();
        RandomBound(random, field, bounds, "gte", "gt", "from", "include_lower");
        RandomBound(random, field, bounds, "lte", "lt", "to", "include_upper");
        return bounds;
    }

    /// <summary>One side of a range, in any of the ways VQL can say it, or none.</summary>
    private void RandomBound(Random random, string field, Dictionary<string, object> bounds, string inclusive, string exclusive, string plain, string flag)
    {
        if (random.Next(10) >= 7)
        {
            return;
        }

        var value = RandomValue(random, field);
        switch (random.Next(3))
        {
            case 0: bounds[inclusive] = value; break;
            case 1: bounds[exclusive] = value; break;
            default: bounds[plain] = value; bounds[flag] = random.Next(2) == 0; break;
        }
    }

    /// <summary>A stored value (so bounds and cursors land on terms and their ties), a prefix between terms, or an edge.</summary>
    private string RandomValue(Random random, string field)
    {
        var values = seeded.Values(field);
        var value = values[random.Next(values.Count)];
        return random.Next(10) switch
        {
            < 5 => value,
            < 8 => value[..Math.Min(random.Next(1, 4), value.Length)],
            8 => "",
            _ => "~",
        };
    }

    private List<string> RandomCursor(Random random, string first)
    {
        if (random.Next(4) == 0)
        {
            var cursor = new List<string> { RandomValue(random, first) };
            if (first != "uuid")
            {
                cursor.Add(RandomValue(random, "uuid"));
            }

            return cursor;
        }

        var row = seeded.Rows[random.Next(seeded.Rows.Count)];
        return first == "uuid" ? [row["uuid"]] : [row[first], row["uuid"]];
    }
}

/// <summary>
/// A contacts index seeded the way <c>seed</c> does, then changed the way a serving emulator is: loaded in several
/// batches (one segment each), a tenth of the rows rewritten (deleted documents left in the old segments) and some
/// turned into tombstones. <see cref="Rows"/> are the documents as they are now.
/// </summary>
public sealed class SeededIndex : IDisposable
{
    public const string Tombstone = "__deleted__";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "emulator-walk-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, List<string>> _values = [];

    public SeededIndex()
    {
        var generator = new Emulator.Seeding.SeedGenerator(11);
        var companies = generator.Companies(60);
        var byId = companies.ToDictionary(c => c.Company.Uuid!, c => c.Company, StringComparer.Ordinal);
        var contacts = generator.Contacts(3_000, companies).ToList();
        Index = SearchIndex.Open(_folder, IndexSchema.Contacts, "differential");
        var seq = 0L;
        foreach (var batch in contacts.Chunk(500))
        {
            Index.Upsert(batch.Select(c => (c.Uuid!, IndexDocuments.Contact(c, byId.GetValueOrDefault(c.CompanyId ?? ""), 0))), ++seq);
        }

        var random = new Random(3);
        var current = contacts.ToDictionary(c => c.Uuid!, StringComparer.Ordinal);
        var rewritten = contacts.OrderBy(_ => random.Next()).Take(300)
            .Select(c => c with { Seniority = random.Next(2) == 0 ? "rewritten" : c.Seniority, Country = "" }).ToList();
        var tombstones = contacts.OrderBy(_ => random.Next()).Take(150)
            .Select(c => new Client.Records.ConnectraContact { Uuid = c.Uuid, EmailStatus = Tombstone }).ToList();
        foreach (var contact in rewritten.Concat(tombstones))
        {
            current[contact.Uuid!] = contact;
        }

        Index.Upsert(rewritten.Select(c => (c.Uuid!, IndexDocuments.Contact(c, byId.GetValueOrDefault(c.CompanyId ?? ""), 0))), ++seq);
        Index.Upsert(tombstones.Select(c => (c.Uuid!, IndexDocuments.Contact(c, null, 0))), ++seq);

        Rows = current.Values.Select(c => new Dictionary<string, string>
        {
            ["uuid"] = c.Uuid!,
            ["seniority"] = c.Seniority ?? "",
            ["email_status"] = c.EmailStatus ?? "",
            ["country"] = c.Country ?? "",
        }).ToList();
        foreach (var field in Rows[0].Keys)
        {
            _values[field] = Rows.Select(r => r[field]).Distinct().Order(StringComparer.Ordinal).ToList();
        }
    }

    internal SearchIndex Index { get; }

    public IReadOnlyList<Dictionary<string, string>> Rows { get; }

    /// <summary>The distinct values of a keyword field, as stored now.</summary>
    public IReadOnlyList<string> Values(string field) => _values[field];

    public void Dispose()
    {
        Index.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
