using Connectra.Backend.Application.Vql;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Paging;

/// <summary>Turns the client dialect into what <see cref="PagedSearch"/> runs, and describes the page it made.</summary>
internal static class SearchPlanner
{
    public static SearchSpec Plan(
        FieldCatalogue catalogue, VqlWhere? where, string? sortBy, string? sortDirection,
        IReadOnlyList<string>? selectColumns, VqlCompanyConfig? companyConfig, RequestLimits limits, string sortByLocation = "sort_by")
    {
        var order = VqlConverter.ToOrderBy(catalogue, sortBy, sortDirection, sortByLocation);
        // Paging backwards flips every direction; on a list field that swaps the element it sorts by (min ↔ max),
        // so such orders only page forwards.
        var reversible = order.All(o => catalogue.Fields.FirstOrDefault(f => f.ConnectraField == o.OrderBy)?.Kind != FieldKind.KeywordArray);
        return new SearchSpec(
            catalogue.Entity, where, order, VqlConverter.ToSelectColumns(catalogue, selectColumns, limits: limits), companyConfig, reversible);
    }

    public static PageMeta Meta<T>(SearchSpec spec, PageOf<T> page) => new(
        page.Strategy,
        CountMode: null,
        FiltersApplied: spec.Where is not null,
        Ordering: string.Join(',', spec.OrderBy.Select(o => (o.OrderDirection == VqlOrder.Descending ? "-" : "") + o.OrderBy)),
        ReturnedRecords: page.Items.Count,
        PageSize: page.PageSize,
        PageSizeCap: PageRequest.MaxLimit,
        UsingReplica: false);
}
