using System.Net;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace Connectra.Benchmarks;

/// <summary>
/// <see cref="BatchBenchmarks"/> against a Connectra that behaves like a remote cluster: each call takes
/// <see cref="LatencyMs"/> of waiting and little of this machine's CPU. This isolates what BatchLookup itself costs
/// from a server that, on a 2-core box, competes with the caller for the same cores.
/// </summary>
public class RemoteConnectraBatchBenchmarks : BatchBenchmarks
{
    [Params(20)]
    public int LatencyMs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        UseConnectra("http://connectra.invalid", "bench", () => new RemoteConnectra(TimeSpan.FromMilliseconds(LatencyMs)));
        Uuids = [.. Enumerable.Range(0, 1000).Select(i => new Guid(i, 0, 0, new byte[8]).ToString("D"))];
    }

    /// <summary>Answers every search with a full contact for each uuid asked for, after a fixed wait.</summary>
    private sealed class RemoteConnectra(TimeSpan latency) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            using var query = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(ct));
            var uuids = query.RootElement.GetProperty("where").GetProperty("keyword_match").GetProperty("must").GetProperty("uuid")
                .EnumerateArray().Select(u => u.GetString()!);
            var body = new StringBuilder("""{"success":true,"data":[""");
            foreach (var (uuid, i) in uuids.Select((u, i) => (u, i)))
            {
                body.Append(i == 0 ? "" : ",").Append($$"""
                    {"uuid":"{{uuid}}","first_name":"ada","last_name":"lovelace","company_id":"c0000000-0000-4000-8000-000000000001",
                     "email":"ada.lovelace@example.com","title":"Senior Software Engineer","departments":["engineering","product"],
                     "mobile_phone":"+15550100","email_status":"verified","seniority":"senior","city":"london","country":"uk",
                     "linkedin_url":"https://linkedin.com/in/ada-{{i}}","created_at":"2025-06-13T22:58:50.035719Z"}
                    """);
            }

            await Task.Delay(latency, ct);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body.Append("]}").ToString(), Encoding.UTF8, "application/json"),
            };
        }
    }
}
