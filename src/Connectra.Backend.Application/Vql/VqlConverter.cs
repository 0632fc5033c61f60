using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Vql;

/// <summary>
/// Translates the client dialect (docs/vql.md#client-dialect) into Connectra's native VQL (docs/connectra.md#vql).
/// Whatever Connectra cannot express faithfully is refused with <see cref="VqlValidationException"/>;
/// docs/vql.md is the table this code follows.
/// </summary>
public static class VqlConverter
{
    /// <summary>The native <c>where</c> for the client's filters; null when there is nothing to filter.</summary>
    public static VqlWhere? ToWhere(FieldCatalogue catalogue, FilterGroup? filters, RequestLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        limits ??= RequestLimits.Default;
        return filters is null ? null : Compile(FilterExpression.FromGroup(catalogue, filters, "filters", limits), limits);
    }

    /// <summary>
    /// <c>order_by</c> from <c>sort_by</c> (<c>field</c>, <c>-field</c>, <c>field:desc</c>, comma-separated) and
    /// <c>sort_direction</c> (the default direction). Ends with uuid ascending unless uuid is already a key:
    /// Connectra adds no tie-breaker, and cursor paging needs a total order.
    /// </summary>
    public static IReadOnlyList<VqlOrder> ToOrderBy(
        FieldCatalogue catalogue,
        string? sortBy,
        string? sortDirection,
        string sortByLocation = "sort_by",
        string sortDirectionLocation = "sort_direction")
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        var defaultDirection = string.IsNullOrWhiteSpace(sortDirection)
            ? VqlOrder.Ascending
            : ParseDirection(sortDirection, sortDirectionLocation);
        var orders = new List<VqlOrder>();
        var seen = new HashSet<FieldDefinition>();
        foreach (var rawClause in (sortBy ?? "").Split(','))
        {
            var clause = rawClause.Trim();
            if (clause.Length == 0)
            {
                continue;
            }

            var descending = clause.StartsWith('-');
            var name = descending ? clause[1..] : clause;
            var direction = descending ? VqlOrder.Descending : defaultDirection;
            var colon = name.LastIndexOf(':');
            if (colon >= 0)
            {
                direction = ParseDirection(name[(colon + 1)..], sortByLocation);
                if (descending && direction == VqlOrder.Ascending)
                {
                    throw new VqlValidationException(sortByLocation, $"'{clause}' asks for both descending ('-') and ascending order");
                }

                name = name[..colon];
            }

            name = name.Trim();
            if (name.Length == 0)
            {
                throw new VqlValidationException(sortByLocation, $"the sort clause '{clause}' names no field");
            }

            var field = catalogue.Resolve(name)
                ?? throw new VqlValidationException(sortByLocation, $"unknown field '{name}' for {catalogue.Entity}");
            if (!field.Sortable)
            {
                throw new VqlValidationException(sortByLocation, $"{catalogue.Entity} cannot be sorted by {field.Name}: {WhyNotSortable(field)}");
            }

            if (!seen.Add(field))
            {
                throw new VqlValidationException(sortByLocation, $"{field.Name} is listed twice");
            }

            orders.Add(new VqlOrder(field.ConnectraField!, direction));
        }

        if (!orders.Exists(o => o.OrderBy == "uuid"))
        {
            orders.Add(new VqlOrder("uuid", VqlOrder.Ascending));
        }

        return orders;
    }

    /// <summary>
    /// PostgreSQL column names for <c>select_columns</c> (aliases resolved, duplicates dropped), led by the
    /// catalogue's required columns; null when the client asked for all columns.
    /// </summary>
    public static IReadOnlyList<string>? ToSelectColumns(
        FieldCatalogue catalogue, IReadOnlyList<string>? requested, string location = "select_columns", RequestLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        if (requested is null || requested.Count == 0)
        {
            return null;
        }

        var maxColumns = (limits ?? RequestLimits.Default).MaxColumns;
        if (requested.Count > maxColumns)
        {
            throw new VqlValidationException(location, $"at most {maxColumns} columns may be selected (Limits:MaxColumns), not {requested.Count}");
        }

        var columns = new List<string>(catalogue.RequiredSelectColumns);
        for (var i = 0; i < requested.Count; i++)
        {
            var name = requested[i];
            var itemLocation = $"{location}[{i}]";
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new VqlValidationException(itemLocation, "a column name is empty");
            }

            // Connectra puts the names into its SQL as they come and answers 500 to one it does not know.
            var field = catalogue.Resolve(name)
                ?? throw new VqlValidationException(itemLocation, $"unknown column '{name}' for {catalogue.Entity}");
            var column = field.SelectColumn ?? throw new VqlValidationException(itemLocation, field.Kind == FieldKind.Unavailable
                ? $"'{field.Name}' cannot be selected: {field.Note}"
                : $"'{field.Name}' is not a column of {catalogue.Entity}: {field.Note}");
            if (!columns.Contains(column))
            {
                columns.Add(column);
            }
        }

        return columns;
    }

    /// <summary>
    /// The contacts of one company filtered by the query-string parameters of S1/S2
    /// (docs/vql.md#company-scoped-contacts): always <c>keyword_match.must.company_id</c>, then one clause
    /// per parameter given, all AND'd.
    /// </summary>
    public static VqlWhere CompanyContactsWhere(string companyUuid, CompanyContactQuery query, RequestLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companyUuid);
        ArgumentNullException.ThrowIfNull(query);
        return Compile(FilterExpression.And(query.Leaves(companyUuid).Select(l => new LeafExpression(l)), "query"), limits ?? RequestLimits.Default)!;
    }

    private static VqlWhere? Compile(FilterExpression root, RequestLimits limits)
    {
        IReadOnlyList<FilterExpression> items = root switch
        {
            TrueExpression => [],
            AndExpression and => and.Children,
            _ => [root],
        };

        // Connectra ANDs different fields and nothing else; so each field's conditions must fold into that field's
        // own slots, and an OR may only ever involve one field.
        var plans = new OrderedDictionary<FieldDefinition, FieldPlan>();
        foreach (var item in items)
        {
            var fields = item.Leaves().Select(l => l.Field).Distinct().ToList();
            if (fields.Count > 1)
            {
                throw new VqlValidationException(item.Path,
                    $"OR across different fields ({string.Join(", ", fields.Select(f => f.Name))}) cannot be expressed " +
                    "in Connectra's VQL, which only ANDs conditions on different fields; split it into separate queries");
            }

            var plan = Build(item, limits);
            plans[fields[0]] = plans.TryGetValue(fields[0], out var earlier) ? earlier.And(plan) : plan;
        }

        var where = new WhereBuilder();
        foreach (var plan in plans.Values)
        {
            plan.Emit(where);
        }

        return where.Build();
    }

    private static FieldPlan Build(FilterExpression expression, RequestLimits limits) => expression switch
    {
        LeafExpression leaf => new LeafPlanner(limits).Plan(leaf.Leaf),
        AndExpression and => and.Children.Select(c => Build(c, limits)).Aggregate((left, right) => left.And(right)),
        OrExpression or => or.Children.Select(c => Build(c, limits)).Aggregate((left, right) => left.Or(right, or.Path)),
        _ => throw new InvalidOperationException($"Unexpected {expression.GetType().Name}."),
    };

    private static string ParseDirection(string text, string location) => text.Trim().ToLowerInvariant() switch
    {
        "asc" => VqlOrder.Ascending,
        "desc" => VqlOrder.Descending,
        _ => throw new VqlValidationException(location, $"sort direction '{text.Trim()}' must be asc or desc"),
    };

    private static string WhyNotSortable(FieldDefinition field) => field.Kind switch
    {
        FieldKind.Text => "it is analysed text, and Connectra answers 500 to a sort on text; sort on a keyword field",
        FieldKind.Long or FieldKind.Date =>
            "Connectra answers 500 to sorts on numbers and dates whenever there are hits (its server reads sort values as strings); sort on a keyword field",
        _ => "it is not in Connectra's search index",
    };
}
