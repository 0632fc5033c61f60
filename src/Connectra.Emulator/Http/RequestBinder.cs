using System.Text.Json;
using Connectra.Client;
using Connectra.Client.Records;
using Connectra.Emulator.Search;

namespace Connectra.Emulator.Http;

/// <summary>Body of F2 as Connectra binds it; <c>service</c> is read and ignored, the path wins.</summary>
internal sealed record FilterValuesQuery(string FilterKey, string SearchText, long Page, long Limit);

/// <summary>
/// Binds each route's body into what Connectra's handlers see, with Go's errors (<see cref="GoJson"/>). Struct names
/// follow the one recorded message (<c>VQLQuery.limit</c>); the others are guesses.
/// </summary>
internal static class RequestBinder
{
    private static readonly string[] QueryFields = ["where", "order_by", "cursor", "page", "limit", "select_columns", "company_config"];
    private static readonly string[] WhereFields = ["text_matches", "keyword_match", "range_query"];
    private static readonly string[] MustFields = ["must", "must_not"];
    private static readonly string[] TextFields = ["text_value", "filter_key", "search_type", "slop", "operator", "fuzzy"];
    private static readonly string[] OrderFields = ["order_by", "order_direction"];
    private static readonly string[] CompanyConfigFields = ["populate", "select_columns"];
    private static readonly string[] FilterValueFields = ["service", "filter_key", "search_text", "page", "limit"];

    private static readonly JsonSerializerOptions EntityOptions = new(ConnectraJsonContext.Default.Options)
    {
        PropertyNameCaseInsensitive = true,
    };

    private enum GoField
    {
        Int64,
        String,
        Strings,
        Time,
        Any,
    }

    private static readonly Dictionary<string, GoField> ContactFields = EntityFields(
        "first_name", "last_name", "company_id", "email", "title", "mobile_phone", "email_status", "seniority",
        "city", "state", "country", "linkedin_url", "facebook_url", "twitter_url", "website", "work_direct_phone",
        "home_phone", "other_phone", "stage");

    private static readonly Dictionary<string, GoField> CompanyFields = EntityFields(
        "name", "address", "city", "state", "country", "linkedin_url", "website", "normalized_domain", "facebook_url",
        "twitter_url", "company_name_for_emails", "phone_number", "latest_funding", "last_raised_at");

    static RequestBinder()
    {
        ContactFields["departments"] = GoField.Strings;
        ContactFields["company"] = GoField.Any;
        foreach (var name in (string[])["employees_count", "annual_revenue", "total_funding", "latest_funding_amount"])
        {
            CompanyFields[name] = GoField.Int64;
        }

        foreach (var name in (string[])["industries", "keywords", "technologies"])
        {
            CompanyFields[name] = GoField.Strings;
        }
    }

    public static VqlRequest Vql(JsonElement root, GoJson go)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            if (root.ValueKind != JsonValueKind.Null)
            {
                go.FailRoot(root, "models.VQLQuery");
            }

            return new VqlRequest();
        }

        var query = new VqlRequest();
        GoJson.Fields(root, QueryFields, (name, value) =>
        {
            const string S = "VQLQuery";
            query = name switch
            {
                "where" => query with { Where = Where(value, go) ?? query.Where },
                "order_by" => query with { OrderBy = Orders(value, go) ?? query.OrderBy },
                "cursor" => query with { Cursor = go.Strings(value, null, S, name) ?? [] },
                "page" => query with { Page = go.Int(value, query.Page, S, name) },
                "limit" => query with { Limit = go.Int(value, query.Limit, S, name) },
                "select_columns" => query with { SelectColumns = go.Strings(value, null, S, name) ?? [] },
                _ => CompanyConfig(value, go, query),
            };
        });
        return query;
    }

    public static FilterValuesQuery FilterValues(JsonElement root, GoJson go)
    {
        var result = new FilterValuesQuery("", "", 0, 0);
        if (root.ValueKind != JsonValueKind.Object)
        {
            if (root.ValueKind != JsonValueKind.Null)
            {
                go.FailRoot(root, "models.FilterDataRequest");
            }

            return result;
        }

        GoJson.Fields(root, FilterValueFields, (name, value) =>
        {
            const string S = "FilterDataRequest";
            result = name switch
            {
                "filter_key" => result with { FilterKey = go.String(value, result.FilterKey, S, name) },
                "search_text" => result with { SearchText = go.String(value, result.SearchText, S, name) },
                "page" => result with { Page = go.Int(value, result.Page, S, name) },
                "limit" => result with { Limit = go.Int(value, result.Limit, S, name) },
                _ => Ignore(go.String(value, "", S, name), result),
            };
        });
        return result;
    }

    /// <summary>C3: a bare array of contacts. Null is an empty batch, as Go leaves a nil slice.</summary>
    public static IReadOnlyList<ConnectraContact> Contacts(JsonElement root, GoJson go) =>
        Entities(root, go, "Contact", ContactFields, ConnectraJsonContext.Default.IReadOnlyListConnectraContact);

    public static IReadOnlyList<ConnectraCompany> Companies(JsonElement root, GoJson go) =>
        Entities(root, go, "Company", CompanyFields, ConnectraJsonContext.Default.IReadOnlyListConnectraCompany);

    /// <summary>
    /// M1: <c>{"data":[{col:string}]}</c>. A missing or null <c>data</c> fails Gin's <c>binding:"required"</c>.
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>>? Rows(JsonElement root, GoJson go)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            if (root.ValueKind != JsonValueKind.Null)
            {
                go.FailRoot(root, "models.BatchUpsertRequest");
            }

            return null;
        }

        List<IReadOnlyDictionary<string, string>>? rows = null;
        GoJson.Fields(root, ["data"], (_, value) =>
        {
            const string S = "BatchUpsertRequest";
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                    rows = null;
                    break;
                case JsonValueKind.Array:
                    rows = [];
                    foreach (var item in value.EnumerateArray())
                    {
                        var row = new Dictionary<string, string>(StringComparer.Ordinal);
                        if (item.ValueKind == JsonValueKind.Object)
                        {
                            foreach (var cell in item.EnumerateObject())
                            {
                                row[cell.Name] = go.String(cell.Value, "", S, "data");
                            }
                        }
                        else if (item.ValueKind != JsonValueKind.Null)
                        {
                            go.Fail(GoJson.Kind(item), "map[string]string", S, "data");
                        }

                        rows.Add(row);
                    }

                    break;
                default:
                    go.Fail(GoJson.Kind(value), "[]map[string]string", S, "data");
                    break;
            }
        });
        if (go.Error is null && rows is null)
        {
            go.FailWith("Key: 'BatchUpsertRequest.Data' Error:Field validation for 'Data' failed on the 'required' tag");
        }

        return rows;
    }

    private static T Ignore<T, TIgnored>(TIgnored value, T result)
    {
        _ = value;
        return result;
    }

    private static VqlRequest CompanyConfig(JsonElement value, GoJson go, VqlRequest query)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return query;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            go.Fail(GoJson.Kind(value), "models.CompanyConfig", "VQLQuery", "company_config");
            return query;
        }

        GoJson.Fields(value, CompanyConfigFields, (name, field) =>
        {
            const string S = "CompanyConfig";
            query = name == "populate"
                ? query with { PopulateCompany = go.Bool(field, query.PopulateCompany, S, "company_config.populate") }
                : query with { CompanySelectColumns = go.Strings(field, null, S, "company_config.select_columns") ?? [] };
        });
        return query;
    }

    private static List<VqlSort>? Orders(JsonElement value, GoJson go)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            go.Fail(GoJson.Kind(value), "[]models.OrderBy", "VQLQuery", "order_by");
            return null;
        }

        var orders = new List<VqlSort>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                go.Fail(GoJson.Kind(item), "models.OrderBy", "VQLQuery", "order_by");
                continue;
            }

            string field = "", direction = "";
            if (item.ValueKind == JsonValueKind.Object)
            {
                GoJson.Fields(item, OrderFields, (name, v) =>
                {
                    if (name == "order_by")
                    {
                        field = go.String(v, field, "OrderBy", "order_by.order_by");
                    }
                    else
                    {
                        direction = go.String(v, direction, "OrderBy", "order_by.order_direction");
                    }
                });
            }

            // Entries without a field are dropped; only the exact word "desc" sorts descending (docs/connectra.md#top-level-keys).
            if (field.Length > 0)
            {
                orders.Add(new VqlSort(field, direction == "desc"));
            }
        }

        return orders;
    }

    private static VqlConditions? Where(JsonElement value, GoJson go)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            go.Fail(GoJson.Kind(value), "models.WhereClause", "VQLQuery", "where");
            return null;
        }

        var where = new VqlConditions();
        GoJson.Fields(value, WhereFields, (name, clause) =>
        {
            var path = "where." + name;
            if (clause.ValueKind == JsonValueKind.Null)
            {
                return;
            }

            if (clause.ValueKind != JsonValueKind.Object)
            {
                var type = name switch { "text_matches" => "TextMatches", "keyword_match" => "KeywordMatch", _ => "RangeQuery" };
                go.Fail(GoJson.Kind(clause), "models." + type, "WhereClause", path);
                return;
            }

            GoJson.Fields(clause, MustFields, (must, v) =>
            {
                var fieldPath = path + "." + must;
                var negated = must == "must_not";
                where = name switch
                {
                    "text_matches" when negated => where with { TextMustNot = Texts(v, go, fieldPath) },
                    "text_matches" => where with { TextMust = Texts(v, go, fieldPath) },
                    "keyword_match" when negated => where with { KeywordMustNot = go.AnyMap(v, "KeywordMatch", fieldPath) ?? [] },
                    "keyword_match" => where with { KeywordMust = go.AnyMap(v, "KeywordMatch", fieldPath) ?? [] },
                    // must_not is bound (so its type errors still answer 400) and then dropped, as Connectra does.
                    _ when negated => Ignore(Ranges(v, go, fieldPath), where),
                    _ => where with { RangeMust = Ranges(v, go, fieldPath) },
                };
            });
        });
        return where;
    }

    private static List<VqlText> Texts(JsonElement value, GoJson go, string path)
    {
        var result = new List<VqlText>();
        if (value.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            go.Fail(GoJson.Kind(value), "[]models.TextMatch", "TextMatches", path);
            return result;
        }

        foreach (var item in value.EnumerateArray())
        {
            var text = new VqlText("", "", "", 0, "", false);
            if (item.ValueKind == JsonValueKind.Object)
            {
                GoJson.Fields(item, TextFields, (name, v) =>
                {
                    const string S = "TextMatch";
                    var fieldPath = path + "." + name;
                    text = name switch
                    {
                        "text_value" => text with { TextValue = go.String(v, text.TextValue, S, fieldPath) },
                        "filter_key" => text with { FilterKey = go.String(v, text.FilterKey, S, fieldPath) },
                        "search_type" => text with { SearchType = go.String(v, text.SearchType, S, fieldPath) },
                        "slop" => text with { Slop = go.Int(v, text.Slop, S, fieldPath) },
                        "operator" => text with { Operator = go.String(v, text.Operator, S, fieldPath) },
                        _ => text with { Fuzzy = go.Bool(v, text.Fuzzy, S, fieldPath) },
                    };
                });
            }
            else if (item.ValueKind != JsonValueKind.Null)
            {
                go.Fail(GoJson.Kind(item), "models.TextMatch", "TextMatches", path);
            }

            result.Add(text);
        }

        return result;
    }

    private static Dictionary<string, JsonElement?> Ranges(JsonElement value, GoJson go, string path)
    {
        var result = new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
        if (value.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            go.Fail(GoJson.Kind(value), "map[string]map[string]interface {}", "RangeQuery", path);
            return result;
        }

        foreach (var field in value.EnumerateObject())
        {
            switch (field.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    result[field.Name] = field.Value.Clone();
                    break;
                case JsonValueKind.Null:
                    result[field.Name] = null;
                    break;
                default:
                    go.Fail(GoJson.Kind(field.Value), "map[string]interface {}", "RangeQuery", path);
                    break;
            }
        }

        return result;
    }

    private static List<T> Entities<T>(
        JsonElement root, GoJson go, string structName, Dictionary<string, GoField> fields,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<IReadOnlyList<T>> typeInfo)
        where T : class, new()
    {
        if (root.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            go.FailRoot(root, $"[]models.{structName}");
            return [];
        }

        var names = fields.Keys.ToList();
        foreach (var item in root.EnumerateArray())
        {
            if (item.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                go.FailRoot(item, $"models.{structName}");
                continue;
            }

            if (item.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            GoJson.Fields(item, names, (name, value) =>
            {
                switch (fields[name])
                {
                    case GoField.Int64:
                        go.Int(value, 0, structName, name, "int64");
                        break;
                    case GoField.String:
                        go.String(value, "", structName, name);
                        break;
                    case GoField.Strings:
                        go.Strings(value, null, structName, name);
                        break;
                    case GoField.Time:
                        go.Time(value);
                        break;
                    case GoField.Any:
                        break;
                }
            });
        }

        if (go.Error is not null)
        {
            return [];
        }

        // Types are checked above, so the client's record types can take the rest; a null item is a zero row.
        var typed = (IReadOnlyList<T>?)JsonSerializer.Deserialize(root.GetRawText(), EntityOptions.GetTypeInfo(typeInfo.Type));
        return typed?.Select(item => item ?? new T()).ToList() ?? [];
    }

    private static Dictionary<string, GoField> EntityFields(params string[] strings)
    {
        var fields = new Dictionary<string, GoField>(StringComparer.Ordinal)
        {
            ["id"] = GoField.Int64,
            ["uuid"] = GoField.String,
            ["created_at"] = GoField.Time,
            ["updated_at"] = GoField.Time,
            ["deleted_at"] = GoField.Time,
            ["cursor"] = GoField.Strings,
        };
        foreach (var name in strings)
        {
            fields[name] = GoField.String;
        }

        return fields;
    }
}
