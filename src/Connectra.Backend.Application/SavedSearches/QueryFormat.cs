using Connectra.Backend.Application.Vql;
using Connectra.Backend.Application.Writing;

namespace Connectra.Backend.Application.SavedSearches;

/// <summary>
/// The version of the query-route body a saved query was written in (docs/saved-searches.md#query-format). A field
/// retired since is never dropped from a saved query: running it is refused with 409 naming the field, so a saved
/// search never quietly runs narrower than it was written.
/// </summary>
public static class QueryFormat
{
    /// <summary>The format the query routes speak today.</summary>
    public const int Current = 1;

    /// <summary>409 naming the first retired field the query uses (<c>query.filters…field</c> or <c>query.sort_by</c>).</summary>
    public static void EnsureRunnable(SavedSearchEntity entity, VqlSearchRequest query, IReadOnlyCollection<string> retired)
    {
        if (retired.Count == 0)
        {
            return;
        }

        var prefix = entity == SavedSearchEntity.Contacts ? "contacts." : "companies.";
        var names = new HashSet<string>(
            retired.Where(r => r.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Select(r => r[prefix.Length..]),
            StringComparer.OrdinalIgnoreCase);
        if (names.Count == 0)
        {
            return;
        }

        if (query.Filters is { } filters && Find(filters, "query.filters", names) is { } path)
        {
            throw Retired(path.Path, path.Field);
        }

        foreach (var clause in (query.SortBy ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var field = clause.TrimStart('-', '+').Split(':')[0];
            if (names.Contains(field))
            {
                throw Retired("query.sort_by", field);
            }
        }

        for (var i = 0; i < (query.SelectColumns?.Count ?? 0); i++)
        {
            if (names.Contains(query.SelectColumns![i]))
            {
                throw Retired($"query.select_columns[{i}]", query.SelectColumns[i]);
            }
        }
    }

    private static WriteRefusedException Retired(string path, string field) =>
        new(WriteRefusal.Conflict, path,
            $"the field '{field}' has been retired since this search was saved; edit the search to run it (it is never run without the field)");

    private static (string Path, string Field)? Find(FilterNode node, string path, HashSet<string> names)
    {
        switch (node)
        {
            case FilterCondition condition when names.Contains(condition.Field):
                return ($"{path}.field", condition.Field);
            case FilterGroup group:
                foreach (var (list, key) in new[] { (group.And, "and"), (group.Or, "or") })
                {
                    for (var i = 0; i < (list?.Count ?? 0); i++)
                    {
                        if (Find(list![i], $"{path}.{key}[{i}]", names) is { } found)
                        {
                            return found;
                        }
                    }
                }

                break;
        }

        return null;
    }
}
