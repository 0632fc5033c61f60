using System.Diagnostics;
using System.Text;
using Connectra.Backend.Application;
using Connectra.Backend.FunctionalTests.ErrorHandling;
using Connectra.Backend.FunctionalTests.Infrastructure;

namespace Connectra.Backend.FunctionalTests.Validation;

/// <summary>
/// Parsing and planning stay linear: bodies built to be expensive, at or past the configured limits, are refused or
/// answered in about the time of a trivial request. Time is compared with a trivial request on the same host, so a
/// slow or busy machine slows both; the quadratic paths these bodies used to take cost seconds to minutes.
/// </summary>
public sealed class ComplexityGuardTests(FaultyConnectraFactory api) : IClassFixture<FaultyConnectraFactory>
{
    private const int Ratio = 100;

    /// <summary>
    /// Under this a body passes whatever the trivial request took: a trivial request on a quiet machine takes a few
    /// milliseconds, so the ratio alone would judge scheduler noise; the quadratic paths cost far more than this.
    /// </summary>
    private static readonly TimeSpan Floor = TimeSpan.FromSeconds(1);
    private static readonly RequestLimits Limits = RequestLimits.Default;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Condition(string field, string op, string value) => $$"""{"field":"{{field}}","operator":"{{op}}","value":{{value}}}""";

    private static string Or(IEnumerable<string> conditions) => "{\"or\":[" + string.Join(",", conditions) + "]}";

    public static TheoryData<string> Bodies => new()
    {
        "unknown keys 40k", "unknown keys 80k", "and of two text or groups of 300", "and of two text or groups at the limit",
        "words joined past the limit", "in list at the limit", "nested at the depth limit", "conditions at the limit",
        "columns repeated to the body limit", "sort clauses to the body limit",
    };

    private static string Body(string name) => name switch
    {
        "unknown keys 40k" => "{\"filters\":{" + string.Join(",", Enumerable.Range(0, 40_000).Select(i => $"\"key{i}\":1")) + "}}",
        "unknown keys 80k" => "{\"filters\":{" + string.Join(",", Enumerable.Range(0, 80_000).Select(i => $"\"k{i}\":1")) + "}}",
        "and of two text or groups of 300" => "{\"filters\":{\"and\":[" +
            Or(Enumerable.Range(0, 300).Select(i => Condition("title", "contains", $"\"alpha{i}\""))) + "," +
            Or(Enumerable.Range(0, 300).Select(i => Condition("title", "contains", $"\"beta{i}\""))) + "]}}",
        "and of two text or groups at the limit" => "{\"filters\":{\"and\":[" +
            Or(Enumerable.Range(0, Limits.MaxConditions / 2 - 2).Select(i => Condition("title", "contains", $"\"alpha{i}\""))) + "," +
            Or(Enumerable.Range(0, Limits.MaxConditions / 2 - 2).Select(i => Condition("title", "contains", $"\"beta{i}\""))) + "]}}",
        "words joined past the limit" => "{\"filters\":{\"and\":[" + string.Join(",", Enumerable.Range(0, Limits.MaxConditions - 1)
            .Select(i => Condition("title", "contains", "\"" + string.Join(' ', Enumerable.Range(0, Limits.MaxWords).Select(w => $"w{i}x{w}")) + "\""))) + "]}}",
        "in list at the limit" => "{\"filters\":{\"and\":[" + Condition("uuid", "in",
            "[" + string.Join(",", Enumerable.Range(0, Limits.MaxListValues).Select(i => $"\"u{i}\"")) + "]") + "]}}",
        "nested at the depth limit" => "{\"filters\":" + string.Concat(Enumerable.Repeat("{\"and\":[", Limits.MaxGroupDepth)) +
            Condition("uuid", "eq", "\"u\"") + string.Concat(Enumerable.Repeat("]}", Limits.MaxGroupDepth)) + "}",
        "conditions at the limit" => "{\"filters\":{\"and\":[" + string.Join(",", Enumerable.Range(0, Limits.MaxConditions)
            .Select(i => Condition("uuid", "ne", $"\"u{i}\""))) + "]}}",
        "columns repeated to the body limit" => "{\"select_columns\":[" +
            string.Join(",", Enumerable.Repeat("\"uuid\"", (int)(Limits.MaxBodyBytes / 8) - 8)) + "]}",
        "sort clauses to the body limit" => "{\"sort_by\":\"" + string.Join(",", Enumerable.Repeat("uuid", (int)(Limits.MaxBodyBytes / 6) - 8)) + "\"}",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task An_expensive_body_is_refused_or_answered_in_the_time_of_a_trivial_one(string name)
    {
        api.Connectra.Behaviour = FakeConnectra.Healthy;
        using var client = Tokens.Authorize(api.CreateClient());
        var body = Body(name);
        Assert.True(Encoding.UTF8.GetByteCount(body) <= Limits.MaxBodyBytes, $"{name} must fit the body limit to reach the parser");
        for (var i = 0; i < 3; i++)
        {
            await TimeAsync(client, "{}"); // warm both paths up
            await TimeAsync(client, body);
        }

        var trivial = Median(await Task.WhenAll(Enumerable.Range(0, 9).Select(_ => TimeAsync(client, "{}"))));
        // The fastest of three is the body's own cost; a run the scheduler preempted only reads slower, never faster.
        var expensive = new[] { await TimeAsync(client, body), await TimeAsync(client, body), await TimeAsync(client, body) }
            .MinBy(r => r.Elapsed);

        Assert.True(expensive.Elapsed < trivial.Elapsed * Ratio || expensive.Elapsed < Floor,
            $"{name}: {expensive.Elapsed.TotalMilliseconds:0.0} ms against {trivial.Elapsed.TotalMilliseconds:0.0} ms for a trivial request (status {expensive.Status})");
        Assert.InRange(expensive.Status, 200, 499);
    }

    private static async Task<(TimeSpan Elapsed, int Status)> TimeAsync(HttpClient client, string body)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync("/api/v3/contacts/count", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        await response.Content.ReadAsStringAsync(Ct);
        return (clock.Elapsed, (int)response.StatusCode);
    }

    private static (TimeSpan Elapsed, int Status) Median((TimeSpan Elapsed, int Status)[] runs) =>
        runs.OrderBy(r => r.Elapsed).ElementAt(runs.Length / 2);
}
