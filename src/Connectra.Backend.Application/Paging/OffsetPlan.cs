namespace Connectra.Backend.Application.Paging;

/// <summary>
/// How to serve rows [offset, offset + limit) with Connectra's page-based paging: from = (page − 1) × size,
/// page ≤ 10, size ≤ 100 (docs/connectra.md#the-1000-row-window). Picks the smallest page size whose pages hold the whole window in
/// one call, else in two adjacent pages; null when the window ends beyond Connectra's reach (row 1,000).
/// </summary>
internal sealed record OffsetPlan(int PageSize, int FirstPage, int Pages, int Skip)
{
    public const int MaxPage = 10;
    public const int MaxPageSize = 100;
    public const int Window = MaxPage * MaxPageSize;

    public static OffsetPlan? For(int offset, int limit)
    {
        // In long arithmetic: an offset near int.MaxValue must not wrap around into the window.
        if ((long)offset + limit > Window)
        {
            return null;
        }

        OffsetPlan? twoPages = null;
        var smallest = Math.Max(limit, (offset + limit + MaxPage - 1) / MaxPage);
        for (var size = smallest; size <= MaxPageSize; size++)
        {
            var first = offset / size;
            var last = (offset + limit - 1) / size;
            if (last >= MaxPage)
            {
                continue;
            }

            if (first == last)
            {
                return new OffsetPlan(size, first + 1, 1, offset - (first * size));
            }

            twoPages ??= new OffsetPlan(size, first + 1, 2, offset - (first * size));
        }

        return twoPages;
    }
}
