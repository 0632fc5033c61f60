using Connectra.Client.Records;
using Connectra.Client.Vql;

namespace Connectra.Backend.UnitTests.Paging;

/// <summary>
/// Connectra's paging semantics over a list, for the paging engine's tests: sort by order_by (keyword compare,
/// byte order), search_after on the cursor, from = (page − 1) × limit, and each item's cursor = its sort values.
/// </summary>
internal sealed class InMemoryConnectra(IReadOnlyList<ConnectraContact> rows)
{
    public List<VqlQuery> Queries { get; } = [];

    public Task<IReadOnlyList<ConnectraContact>> SearchAsync(VqlQuery query, CancellationToken ct)
    {
        Queries.Add(query);
        var order = query.OrderBy ?? [];
        IEnumerable<ConnectraContact> hits = rows.Order(Comparer<ConnectraContact>.Create((a, b) => Compare(Keys(a, order), Keys(b, order), order)));
        if (query.Cursor is { } after)
        {
            hits = hits.Where(r => Compare(Keys(r, order), after, order) > 0);
        }

        var limit = query.Limit ?? 25;
        if (query.Page is > 0 and var page)
        {
            hits = hits.Skip((page - 1) * limit);
        }

        IReadOnlyList<ConnectraContact> result = [.. hits.Take(limit).Select(r => r with { Cursor = Keys(r, order) })];
        return Task.FromResult(result);
    }

    private static IReadOnlyList<string> Keys(ConnectraContact row, IReadOnlyList<VqlOrder> order) =>
        [.. order.Select(o => o.OrderBy switch
        {
            "uuid" => row.Uuid ?? "",
            "email" => row.Email ?? "",
            _ => throw new InvalidOperationException($"no sort key {o.OrderBy} in this fake"),
        })];

    private static int Compare(IReadOnlyList<string> a, IReadOnlyList<string> b, IReadOnlyList<VqlOrder> order)
    {
        for (var i = 0; i < order.Count; i++)
        {
            var c = string.CompareOrdinal(a[i], b[i]);
            if (c != 0)
            {
                return order[i].OrderDirection == VqlOrder.Descending ? -c : c;
            }
        }

        return 0;
    }
}
