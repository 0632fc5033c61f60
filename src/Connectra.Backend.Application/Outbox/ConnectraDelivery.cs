using System.Text.Json;
using Connectra.Backend.Application.Batching;
using Connectra.Backend.Application.Reading;
using Connectra.Backend.Application.Upstream;
using Connectra.Backend.Application.Vql;
using Connectra.Client;
using Connectra.Client.Records;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Outbox;

/// <summary>
/// The outbox's side of Connectra for one entity (docs/outbox.md): sending records with the batch upsert, and reading
/// them back as Connectra holds them, tombstones included, to see whether a send took. What clients are served goes
/// through <see cref="EntityReader{T}"/>, which never writes. Failures surface as <see cref="UpstreamUnavailableException"/>
/// or <see cref="UpstreamRejectedException"/>, as for reads.
/// </summary>
public sealed class ConnectraDelivery<T>(ConnectraEntity<T> entity, IConnectraApi connectra, ConnectraCall call)
    where T : class, IConnectraRecord
{
    /// <summary>The most records one send takes: Connectra's batch upsert maximum.</summary>
    public const int MaxBatch = BatchLookup.ChunkSize;

    /// <summary>
    /// Stores records in Connectra, each given as the JSON the outbox keeps it in. Connectra answers success whatever
    /// it wrote (docs/connectra.md#x6): only reading them back proves anything.
    /// </summary>
    public Task SendAsync(IReadOnlyList<string> payloads, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloads.Count, MaxBatch);
        var batch = payloads.Select(Record).ToList();
        return call.RunAsync(entity.Unavailable, async c => ConnectraAnswers.Ack(await entity.Upsert(connectra, batch, c)), ct);
    }

    /// <summary>
    /// The records of those uuids exactly as Connectra stores them, deleted ones included, as JSON to compare with what
    /// was sent (<see cref="DeliveryCheck"/>). A uuid Connectra does not hold is absent; one it holds twice maps to an
    /// empty object, since two rows cannot both be what was sent.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> HeldAsync(IReadOnlyList<string> uuids, CancellationToken ct)
    {
        var found = await BatchLookup.RunAsync(
            uuids,
            async (chunk, c) => await call.RunAsync(
                entity.Unavailable,
                async inner => ConnectraAnswers.Rows(await entity.Search(
                    connectra, new VqlQuery { Where = NativeWhere.Keyword("uuid", VqlValue.Of(chunk)), Limit = BatchLookup.ChunkSize }, inner)),
                c),
            record => record.Uuid,
            ct);
        var held = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in found.Found)
        {
            held[record.Uuid!] = held.ContainsKey(record.Uuid!) ? "{}" : JsonSerializer.Serialize(record, entity.Json);
        }

        return held;
    }

    private T Record(string payload) =>
        JsonSerializer.Deserialize(payload, entity.Json) ?? throw new InvalidOperationException("an outbox payload is JSON null");
}
