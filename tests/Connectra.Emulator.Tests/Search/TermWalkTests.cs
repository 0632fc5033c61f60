using Connectra.Client.Records;
using Connectra.Emulator.Search;

namespace Connectra.Emulator.Tests.Search;

/// <summary>
/// The term walk (<see cref="SortedWalk"/>) only changes how a page is found, so answers cannot show which plan
/// ran; the server's walk count does. Other tests lower the threshold to reach the walk cheaply, which is only
/// sound if the setting is honoured exactly.
/// </summary>
public sealed class TermWalkTests
{
    private const int Threshold = 30;
    private const string BySeniority =
        """{"order_by":[{"order_by":"seniority","order_direction":"asc"},{"order_by":"uuid","order_direction":"asc"}],"limit":10}""";
    private const string BySeniorityWithoutC00 =
        """{"where":{"keyword_match":{"must_not":{"uuid":"c00"}}},"order_by":[{"order_by":"seniority","order_direction":"asc"},{"order_by":"uuid","order_direction":"asc"}],"limit":10}""";

    [Fact]
    public async Task Ascending_keyword_sorts_walk_from_the_configured_number_of_matches_and_not_one_below()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await EmulatorHost.StartAsync(ct, termWalkMinimumMatches: Threshold);
        var contacts = Enumerable.Range(0, Threshold)
            .Select(i => new ConnectraContact { Uuid = $"c{i:D2}", Seniority = (i % 3) switch { 0 => "senior", 1 => "mid", _ => "" } })
            .ToList();
        await host.Server.UpsertContactsAsync(contacts[..^1], ct);

        var below = await host.UuidsAsync("/contacts/", BySeniority, ct);
        var walksBelow = host.Server.TermWalks;
        await host.Server.UpsertContactsAsync([contacts[^1]], ct);
        var at = await host.UuidsAsync("/contacts/", BySeniority, ct);
        var walksAt = host.Server.TermWalks;
        // Matches decide, not stored rows: excluding one contact drops the same search under the threshold.
        var filtered = await host.UuidsAsync("/contacts/", BySeniorityWithoutC00, ct);
        var walksFiltered = host.Server.TermWalks;

        Assert.Equal(0, walksBelow);
        Assert.Equal(1, walksAt);
        Assert.Equal(1, walksFiltered);
        Assert.Equal(FirstTen(contacts[..^1]), below);
        Assert.Equal(FirstTen(contacts), at);
        Assert.Equal(FirstTen(contacts.Where(c => c.Uuid != "c00")), filtered);
    }

    [Fact]
    public async Task Descending_and_array_sorts_never_walk()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await EmulatorHost.StartAsync(ct, termWalkMinimumMatches: 1);
        await host.Server.UpsertContactsAsync(
            Enumerable.Range(0, 5).Select(i => new ConnectraContact { Uuid = $"c{i}", Seniority = "mid", Departments = ["sales"] }).ToList(), ct);

        await host.UuidsAsync("/contacts/", """{"order_by":[{"order_by":"seniority","order_direction":"desc"}]}""", ct);
        await host.UuidsAsync("/contacts/", """{"order_by":[{"order_by":"departments","order_direction":"asc"}]}""", ct);
        var walksElsewhere = host.Server.TermWalks;
        await host.UuidsAsync("/contacts/", """{"order_by":[{"order_by":"seniority","order_direction":"asc"}]}""", ct);

        Assert.Equal(0, walksElsewhere);
        Assert.Equal(1, host.Server.TermWalks);
    }

    [Fact]
    public void The_threshold_defaults_to_twenty_thousand_matches_in_process_and_as_a_setting()
    {
        Assert.Equal(20_000, new EmulatorOptions().TermWalkMinimumMatches);
        Assert.Equal(20_000, new EmulatorServerOptions { ConnectionString = "unused", ApiKey = "k" }.TermWalkMinimumMatches);
    }

    [Fact]
    public async Task A_negative_threshold_is_refused_at_startup()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new EmulatorServerOptions { ConnectionString = "Host=unused", ApiKey = "k", TermWalkMinimumMatches = -1 };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => EmulatorServer.StartAsync(options, ct));

        Assert.Contains("TermWalkMinimumMatches", error.Message, StringComparison.Ordinal);
    }

    private static List<string> FirstTen(IEnumerable<ConnectraContact> contacts) =>
        contacts.OrderBy(c => c.Seniority, StringComparer.Ordinal).ThenBy(c => c.Uuid, StringComparer.Ordinal)
            .Take(10).Select(c => c.Uuid!).ToList();
}
