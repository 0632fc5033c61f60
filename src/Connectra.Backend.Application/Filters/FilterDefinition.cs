using Connectra.Client.Filters;

namespace Connectra.Backend.Application.Filters;

/// <summary>
/// One entry of a filter catalogue (docs/api.md#filter-catalogue). Both spellings of the derived flag are sent: the frontend
/// reads the original's <c>direct_drived</c>, current Connectra builds say <c>direct_derived</c>.
/// </summary>
public sealed record FilterDefinition(
    long Id,
    string Key,
    string Service,
    string FilterType,
    string DisplayName,
    bool DirectDrived,
    bool DirectDerived,
    bool Active,
    DateTimeOffset? DeletedAt)
{
    public static FilterDefinition From(ConnectraFilter filter) => new(
        filter.Id, filter.Key, filter.Service, filter.FilterType, filter.DisplayName,
        filter.DirectDerived, filter.DirectDerived, filter.Active, filter.DeletedAt);
}

/// <summary><c>{"data": [...]}</c>: Connectra's envelope without its <c>success</c> flag.</summary>
public sealed record FilterCatalogue(IReadOnlyList<FilterDefinition> Data);
