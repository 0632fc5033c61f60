using Connectra.Client.Records;

namespace Connectra.Emulator.Tests;

/// <summary>
/// One emulator for every <see cref="CursorPagingTests"/> case: more rows than offset paging reaches (10 pages × 100),
/// and a term-walk threshold low enough that ascending keyword sorts over all of them take the walk. The tests only
/// read, so loading once is safe.
/// </summary>
public sealed class CursorPagingData : IAsyncLifetime
{
    public const int Rows = 2_500;

    // Well under Rows: a filter excluding nothing still walks. Well over a page, as on Connectra's scale.
    public const int TermWalkMinimumMatches = 1_000;

    private const int Upserted = 300;
    private const int Rewritten = 100;

    private readonly Dictionary<string, string> _seniority = new(StringComparer.Ordinal);
    private EmulatorHost? _host;

    public EmulatorHost Host => _host ?? throw new InvalidOperationException("The fixture is not started.");

    /// <summary>Every row's seniority as last written, by uuid.</summary>
    public IReadOnlyDictionary<string, string> Seniority => _seniority;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _host = await EmulatorHost.StartAsync(ct, termWalkMinimumMatches: TermWalkMinimumMatches);
        var rows = Enumerable.Range(0, Rows).Select(Contact).ToArray();
        var bulk = rows[..(Rows - Upserted)];
        await _host.Server.BulkLoadAsync([], bulk, ct);

        // The walk works segment by segment over live documents. The bulk load leaves a segment per indexing
        // thread; each upsert batch adds one more, and rewriting loaded rows leaves deleted documents behind in the
        // bulk segments, so paging must stitch segments together and skip the dead.
        var rewritten = bulk.Take(Rewritten).Select(c => c with { Seniority = "rewritten" });
        await _host.Server.UpsertContactsAsync([.. rows[(Rows - Upserted)..], .. rewritten], ct);
        foreach (var contact in rows.Concat(rewritten))
        {
            _seniority[contact.Uuid!] = contact.Seniority!;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    // Few distinct seniorities, so the uuid tie-breaker does real work; some rows lack departments entirely. Random
    // uuids spread every segment across the whole term range.
    private static ConnectraContact Contact(int i) => new()
    {
        Uuid = Guid.NewGuid().ToString(),
        Seniority = (i % 4) switch { 0 => "senior", 1 => "mid", 2 => "junior", _ => "" },
        Departments = i % 7 == 0 ? null : [i % 2 == 0 ? "engineering" : "sales", "z-team"],
    };
}
