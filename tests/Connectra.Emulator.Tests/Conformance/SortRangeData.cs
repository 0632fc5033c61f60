namespace Connectra.Emulator.Tests.Conformance;

/// <summary>
/// Two emulators holding the same twelve contacts (one a tombstone) and three companies: one finds every sorted page
/// by walking the sort field's terms, the other by reading the matches' sort values, so each row of
/// <see cref="SortRangeConformanceTests"/> proves both plans. Contacts are called 1–12 and companies K1–K3.
/// </summary>
public sealed class SortRangeData : IAsyncLifetime
{
    // Seniorities in sort order: "" (7, 11), junior (4, 8), mid (2, 3, 5, 9, 12), senior (1, 6, 10). Contact 7 is a
    // tombstone as the backend writes one: every field empty but the marker.
    public const string Contacts = """
        [
          {"uuid":"00000000-0000-4000-8000-000000000001","seniority":"senior","country":"usa","email_status":"verified","title":"Software Engineer"},
          {"uuid":"00000000-0000-4000-8000-000000000002","seniority":"mid","country":"usa","email_status":"verified","title":"Engineer"},
          {"uuid":"00000000-0000-4000-8000-000000000003","seniority":"mid","country":"germany","email_status":"verified","title":"Sales Manager"},
          {"uuid":"00000000-0000-4000-8000-000000000004","seniority":"junior","country":"usa","email_status":"invalid","title":"Engineer"},
          {"uuid":"00000000-0000-4000-8000-000000000005","seniority":"mid","country":"usa","email_status":"verified","title":"Engineer"},
          {"uuid":"00000000-0000-4000-8000-000000000006","seniority":"senior","country":"germany","email_status":"verified","title":"Engineer"},
          {"uuid":"00000000-0000-4000-8000-000000000007","email_status":"__deleted__"},
          {"uuid":"00000000-0000-4000-8000-000000000008","seniority":"junior","country":"usa","email_status":"verified","title":"Engineer"},
          {"uuid":"00000000-0000-4000-8000-000000000009","seniority":"mid","country":"germany","email_status":"verified","title":"Engineer"},
          {"uuid":"00000000-0000-4000-8000-000000000010","seniority":"senior","country":"usa","email_status":"verified","title":"Designer"},
          {"uuid":"00000000-0000-4000-8000-000000000011","country":"usa","email_status":"verified","title":"Engineer"},
          {"uuid":"00000000-0000-4000-8000-000000000012","seniority":"mid","country":"usa","email_status":"verified","title":"Engineer"}
        ]
        """;

    public const string Companies = """
        [
          {"uuid":"00000000-0000-4000-9000-000000000001","name":"One"},
          {"uuid":"00000000-0000-4000-9000-000000000002","name":"Two"},
          {"uuid":"00000000-0000-4000-9000-000000000003","name":"Three"}
        ]
        """;

    private EmulatorHost? _walking;
    private EmulatorHost? _scanning;

    /// <summary>Walks the terms for every sorted page, however few the matches.</summary>
    public EmulatorHost Walking => _walking ?? throw new InvalidOperationException("The fixture is not started.");

    /// <summary>Reads the matches' sort values for every sorted page, however many the matches.</summary>
    public EmulatorHost Scanning => _scanning ?? throw new InvalidOperationException("The fixture is not started.");

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _walking = await StartAsync(0, ct);
        _scanning = await StartAsync(int.MaxValue, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_walking is not null)
        {
            await _walking.DisposeAsync();
        }

        if (_scanning is not null)
        {
            await _scanning.DisposeAsync();
        }
    }

    private static async Task<EmulatorHost> StartAsync(int termWalkMinimumMatches, CancellationToken ct)
    {
        var host = await EmulatorHost.StartAsync(ct, termWalkMinimumMatches: termWalkMinimumMatches);
        // Two batches, so pages are stitched from two segments.
        Assert.Equal(200, (await host.PostJsonAsync("/companies/batch-upsert", Companies, ct)).Status);
        var contacts = System.Text.Json.JsonDocument.Parse(Contacts).RootElement.EnumerateArray().Select(c => c.GetRawText()).ToList();
        Assert.Equal(200, (await host.PostJsonAsync("/contacts/batch-upsert", "[" + string.Join(',', contacts.Where((_, i) => i % 2 == 0)) + "]", ct)).Status);
        Assert.Equal(200, (await host.PostJsonAsync("/contacts/batch-upsert", "[" + string.Join(',', contacts.Where((_, i) => i % 2 == 1)) + "]", ct)).Status);
        return host;
    }
}
