using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Connectra.Backend.Application;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Reading;
using Connectra.Client;
using Connectra.Client.Records;

namespace Connectra.Benchmarks;

/// <summary>
/// The export's row path: one Connectra page of 100 contacts with their companies (all 48 columns, as an export by
/// query asks for them) into CSV bytes. Results are per row (<see cref="BenchmarkAttribute.OperationsPerInvoke"/>).
/// Run: <c>dotnet run -c Release --project bench/Connectra.Benchmarks -- --filter '*ExportRow*'</c> (docs/benchmarks.md#export-row-path).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20)]
public class ExportRowBenchmarks
{
    private const int Rows = 100;

    private byte[] _page = [];
    private byte[] _gzipped = [];
    private ExportPageReader _reader = null!;
    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private Utf8CsvWriter _csv = null!;

    [GlobalSetup]
    public void Setup()
    {
        _page = RealisticPage(Rows);
        using (var zipped = new MemoryStream())
        {
            using (var gzip = new GZipStream(zipped, CompressionLevel.Fastest))
            {
                gzip.Write(_page);
            }

            _gzipped = zipped.ToArray();
        }

        _reader = ExportPageReader.For(ExportColumns.Contacts);
        _csv = new Utf8CsvWriter(_output);
        Console.WriteLine($"// page: {_page.Length:N0} bytes ({_page.Length / Rows:N0} a row), gzipped {_gzipped.Length:N0} bytes");
    }

    /// <summary>What exports did before: the page read into records, then each cell made as a string and written.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Rows, Description = "records, then cells (before)")]
    public int Records()
    {
        _output.ResetWrittenCount();
        var rows = ConnectraAnswers.Rows(JsonSerializer.Deserialize(_page, ConnectraJsonContext.Default.ConnectraListConnectraContact));
        foreach (var row in rows)
        {
            var contact = ConnectraEntities.Contacts.Scrub(row);
            foreach (var column in ExportColumns.Contacts)
            {
                _csv.WriteField(Values.Clean(column.Cell(contact)));
            }

            _csv.EndRecord();
        }

        return _output.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "page reader: JSON bytes to CSV bytes")]
    public int PageReader()
    {
        using var page = _reader.Read(_page);
        return page.Length;
    }

    /// <summary>The same with Connectra:CompressExportReads on: the page is inflated first.</summary>
    [Benchmark(OperationsPerInvoke = Rows, Description = "page reader after gunzip (CompressExportReads)")]
    public int PageReaderGzipped()
    {
        using var inflated = new MemoryStream(_page.Length);
        using (var gzip = new GZipStream(new MemoryStream(_gzipped), CompressionMode.Decompress))
        {
            gzip.CopyTo(inflated);
        }

        using var page = _reader.Read(inflated.GetBuffer().AsSpan(0, (int)inflated.Length));
        return page.Length;
    }

    /// <summary>Contacts and companies with every field filled as production data fills them, lists and all.</summary>
    internal static byte[] RealisticPage(int rows)
    {
        var random = new Random(100);
        string[] firstNames = ["Anna", "Bernd", "Chloé", "Dmitri", "Eve", "François", "Grace", "Hiro", "Ines", "José"];
        string[] lastNames = ["Müller", "O'Brien", "Smith", "Nguyen", "García", "Kowalski", "Dubois", "Rossi", "Tanaka", "Schmidt"];
        string[] titles = ["Senior Software Engineer", "VP of Sales, EMEA", "Head of Marketing", "Chief Technology Officer", "Data Scientist"];
        string[] cities = ["Berlin", "Lyon", "New York", "São Paulo", "Tokyo", "London", "Madrid"];
        var data = new List<ConnectraContact>(rows);
        for (var i = 0; i < rows; i++)
        {
            var uuid = $"{random.Next():x8}-{random.Next(0x10000):x4}-4{random.Next(0x1000):x3}-8{random.Next(0x1000):x3}-{random.NextInt64(1L << 48):x12}";
            var companyUuid = Guid.NewGuid().ToString();
            var first = firstNames[random.Next(firstNames.Length)];
            var last = lastNames[random.Next(lastNames.Length)];
            var created = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(random.Next(60_000_000)).AddTicks(random.Next(10_000_000));
            var company = new ConnectraCompany
            {
                Id = random.Next(),
                Uuid = companyUuid,
                Name = $"{last} & Partners GmbH",
                EmployeesCount = random.Next(5, 50_000),
                Industries = ["computer software", "information technology & services"],
                Keywords = ["saas", "b2b", "cloud", "analytics", "machine learning", "data platform", "crm", "sales intelligence"],
                Address = $"{random.Next(1, 200)} Friedrichstraße, 10117 Berlin, Germany",
                AnnualRevenue = random.NextInt64(1_000_000, 5_000_000_000),
                TotalFunding = random.NextInt64(0, 500_000_000),
                Technologies = ["amazon aws", "google analytics", "salesforce", "hubspot", "react", "postgresql", "kubernetes"],
                City = cities[random.Next(cities.Length)],
                State = "_",
                Country = "Germany",
                LinkedinUrl = $"http://www.linkedin.com/company/{last.ToLowerInvariant()}-partners",
                Website = $"https://www.{last.ToLowerInvariant()}-partners.example",
                NormalizedDomain = $"{last.ToLowerInvariant()}-partners.example",
                FacebookUrl = $"https://facebook.com/{last.ToLowerInvariant()}partners",
                TwitterUrl = $"https://twitter.com/{last.ToLowerInvariant()}partners",
                CompanyNameForEmails = $"{last} & Partners",
                PhoneNumber = $"+49 30 {random.Next(1_000_000, 9_999_999)}",
                LatestFunding = "Series B",
                LatestFundingAmount = random.NextInt64(1_000_000, 100_000_000),
                LastRaisedAt = "2024-03-01",
                CreatedAt = created,
                UpdatedAt = created.AddDays(30),
            };
            data.Add(new ConnectraContact
            {
                Id = random.Next(),
                Uuid = uuid,
                FirstName = first,
                LastName = last,
                CompanyId = companyUuid,
                Email = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@example.com",
                Title = titles[random.Next(titles.Length)],
                Departments = ["engineering", "information technology"],
                MobilePhone = $"+49 170 {random.Next(1_000_000, 9_999_999)}",
                EmailStatus = "verified",
                Seniority = "senior",
                City = cities[random.Next(cities.Length)],
                State = "_",
                Country = "Germany",
                LinkedinUrl = $"http://www.linkedin.com/in/{first.ToLowerInvariant()}-{last.ToLowerInvariant()}-{random.Next(1000)}",
                FacebookUrl = null,
                TwitterUrl = $"https://twitter.com/{first.ToLowerInvariant()}{random.Next(100)}",
                Website = $"https://{last.ToLowerInvariant()}.example",
                WorkDirectPhone = $"+49 30 {random.Next(1_000_000, 9_999_999)}",
                HomePhone = "_",
                OtherPhone = null,
                Stage = "Cold",
                CreatedAt = created,
                UpdatedAt = created.AddDays(7),
                Company = company,
                Cursor = [uuid],
            });
        }

        return JsonSerializer.SerializeToUtf8Bytes(new ConnectraList<ConnectraContact> { Data = data, Success = true }, ConnectraJsonContext.Default.ConnectraListConnectraContact);
    }
}
