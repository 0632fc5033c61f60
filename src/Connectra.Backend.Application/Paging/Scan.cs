using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Paging;

internal static class Scan
{
    /// <summary>
    /// Every row matching <paramref name="query"/>, walked by uuid with Connectra's cursor, up to
    /// <paramref name="maxRows"/>. A short page ends the walk (connectra-api.md §3.7).
    /// </summary>
    public static async Task<IReadOnlyList<T>> AllAsync<T>(
        VqlQuery query,
        Func<VqlQuery, CancellationToken, Task<IReadOnlyList<T>>> search,
        Func<T, IReadOnlyList<string>?> sortValuesOf,
        int maxRows,
        CancellationToken ct)
    {
        query = query with { OrderBy = [new VqlOrder("uuid", VqlOrder.Ascending)], Limit = PageRequest.MaxLimit, Page = null };
        var rows = new List<T>();
        while (true)
        {
            var batch = await search(query, ct);
            rows.AddRange(batch);
            if (batch.Count < PageRequest.MaxLimit || rows.Count >= maxRows || sortValuesOf(batch[^1]) is not { } cursor)
            {
                return rows;
            }

            query = query with { Cursor = cursor };
        }
    }
}
