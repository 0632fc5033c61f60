using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using Connectra.Backend.Application;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Reading;
using Connectra.Backend.Application.Vql;
using Connectra.Client;
using Connectra.Client.Records;
using Connectra.Client.Vql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Benchmarks;

/// <summary>
/// The backend's own work for one <c>POST /api/v3/contacts/query</c> below the HTTP layer: the client dialect to VQL,
/// the Connectra call through the real client (Refit, resilience pipeline, buffering handler, source-generated JSON),
/// the answer's contract check, the signed cursor and the mapping to list items. Connectra is an in-memory handler
/// answering a page of 26 realistic contacts with companies (the 25 asked for and the one that tells a next page).
/// Run: <c>dotnet run -c Release --project bench/Connectra.Benchmarks -- --filter '*QueryPath*'</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20)]
public class QueryPathBenchmarks
{
    private ServiceProvider _services = null!;
    private AsyncServiceScope _scope;
    private EntityReader<ConnectraContact> _reader = null!;
    private VqlSearchRequest _request = null!;
    private IReadOnlyList<ConnectraContact> _rows = null!;
    private readonly VqlCompanyConfig _company = new() { Populate = true };
    private readonly ArrayBufferWriter<byte> _output = new(1 << 16);
    private Utf8JsonWriter _json = null!;

    /// <summary>The API's output options (docs/api.md), with reflection metadata: the API's own context is not public.</summary>
    private static readonly JsonSerializerOptions Output = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Converters = { new Rfc3339TimestampConverter() },
    };

    [GlobalSetup]
    public void Setup()
    {
        var page = ExportRowBenchmarks.RealisticPage(26);
        _rows = ConnectraAnswers.Rows(JsonSerializer.Deserialize(page, ConnectraJsonContext.Default.ConnectraListConnectraContact));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connectra:BaseUrl"] = "http://connectra.invalid",
            ["Connectra:ApiKey"] = "bench",
            ["Paging:CursorKey"] = "bench-cursor-key-bench-cursor-key",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddConnectraClient(configuration).ConfigurePrimaryHttpMessageHandler(() => new CannedConnectra(page));
        services.AddApplication();
        _services = services.BuildServiceProvider();
        _scope = _services.CreateAsyncScope();
        _reader = _scope.ServiceProvider.GetRequiredService<EntityReader<ConnectraContact>>();
        _json = new Utf8JsonWriter(_output);
        _request = JsonSerializer.Deserialize(
            """{"filters":{"and":[{"field":"title","operator":"contains","value":"engineer"},{"field":"seniority","operator":"eq","value":"senior"}]},"limit":25}""",
            ExportJson.Default.VqlSearchRequest)!;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _json.DisposeAsync();
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Benchmark(Description = "contacts query: VQL, Connectra call, contract check, cursor, mapping")]
    public async Task<int> Query()
    {
        var page = await _reader.QueryAsync(_request, _company, CancellationToken.None);
        return page.Map(contact => new ContactListItem(contact)).Results.Count;
    }

    /// <summary>The query as the route served it before: records, list items, then the API's JSON output.</summary>
    [Benchmark(Description = "contacts query with its JSON output, through records")]
    public async Task<long> QueryOutputThroughRecords()
    {
        var page = await _reader.QueryAsync(_request, _company, CancellationToken.None);
        return Write(page.Map(contact => new ContactListItem(contact)));
    }

    /// <summary>The query as the route serves it: the answer's bytes read straight into rows, written as the same JSON.</summary>
    [Benchmark(Description = "contacts query with its JSON output, answer read straight into rows")]
    public async Task<long> QueryOutputThroughRows()
    {
        var page = await _reader.QueryRowsAsync(_request, _company, ContactPageReader.Read, row => row.Cursor, CancellationToken.None);
        return Write(page);
    }

    /// <summary>Serialises the page as MVC does, into a reused buffer (the server's output buffers are pooled too).</summary>
    private long Write<T>(CursorPage<T> page)
    {
        _output.ResetWrittenCount();
        _json.Reset(_output);
        JsonSerializer.Serialize(_json, page, Output);
        _json.Flush();
        return _output.WrittenCount;
    }

    /// <summary>
    /// The list items of one answer with every field read, as the API's JSON output reads them: the flat fields made
    /// of lists (departments, industries, keywords, technologies) are joined only then.
    /// </summary>
    [Benchmark(Description = "list items of 26 contacts, every field read")]
    public int ListItems()
    {
        var length = 0;
        foreach (var row in _rows)
        {
            var item = new ContactListItem(ConnectraEntities.Contacts.Scrub(row));
            length += (item.Departments?.Length ?? 0) + (item.Industry?.Length ?? 0) + (item.Keywords?.Length ?? 0)
                + (item.Technologies?.Length ?? 0) + (item.MetaData?.Count ?? 0);
        }

        return length;
    }

    /// <summary>Answers every search with the same page, as fast as memory allows.</summary>
    private sealed class CannedConnectra(byte[] page) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var content = new ByteArrayContent(page);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }
}
