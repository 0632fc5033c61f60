using System.Text.Json.Nodes;
using Connectra.Backend.Application;
using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Api.OpenApi;

/// <summary>
/// Parameters the actions read by hand, which Swashbuckle cannot see: the company-contacts filters come from
/// <see cref="CompanyContactQuery.Parameters"/>, the table the reader uses; path and list parameters get their form.
/// </summary>
internal static class QueryParameters
{
    private const string CompanyContacts = "/api/v3/companies/company/{companyUuid}/contacts";

    public static void Apply(JsonObject document, RequestLimits limits)
    {
        var paths = document["paths"]!.AsObject();
        foreach (var path in new[] { CompanyContacts, CompanyContacts + "/count" })
        {
            var parameters = paths[path]!["get"]!["parameters"]!.AsArray();
            foreach (var parameter in CompanyContactParameters(limits))
            {
                parameters.Add(parameter);
            }
        }

        foreach (var (_, item) in paths)
        {
            foreach (var (_, operation) in item!.AsObject())
            {
                foreach (var parameter in operation!["parameters"]?.AsArray().OfType<JsonObject>() ?? [])
                {
                    Describe(parameter);
                }
            }
        }
    }

    private static IEnumerable<JsonObject> CompanyContactParameters(RequestLimits limits)
    {
        foreach (var parameter in CompanyContactQuery.Parameters)
        {
            var schema = parameter.Kind switch
            {
                ParameterKind.TextList or ParameterKind.KeywordList => new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["type"] = "string", ["maxLength"] = limits.MaxStringLength },
                    ["maxItems"] = limits.MaxListValues,
                },
                ParameterKind.From or ParameterKind.Until => new JsonObject { ["type"] = "string", ["maxLength"] = 64 },
                _ => new JsonObject { ["type"] = "string", ["maxLength"] = limits.MaxStringLength },
            };
            var what = parameter.Kind switch
            {
                ParameterKind.TextList => $"Excludes contacts whose {parameter.Field} matches any of these words (case-insensitive); repeat the key, or send a comma-separated list or a JSON array.",
                ParameterKind.KeywordList => $"Excludes contacts whose {parameter.Field} is any of these exact values; repeat the key, or send a comma-separated list or a JSON array.",
                ParameterKind.From => $"Contacts whose {parameter.Field} is at or after this ISO-8601 date (from the start of its UTC day) or date-time.",
                ParameterKind.Until => $"Contacts whose {parameter.Field} is at or before this ISO-8601 date (to the end of its UTC day) or date-time.",
                _ when parameter.Operator == FilterOperator.Contains => $"Contacts whose {parameter.Field} contains these words.",
                _ => $"Contacts whose {parameter.Field} is exactly this value.",
            };
            var description = parameter.Refusal is { } refusal ? $"Refused with a 400: {refusal}." : what;
            yield return Parameter(parameter.Name, schema, description, parameter.Refusal is not null, parameter.Kind is ParameterKind.TextList or ParameterKind.KeywordList);
            foreach (var alias in parameter.Aliases)
            {
                yield return Parameter(alias, schema.DeepClone().AsObject(), $"Another name for `{parameter.Name}`.", deprecated: true, list: false);
            }
        }

        yield return Parameter("ordering", Text(limits.MaxStringLength),
            "Sort: `field`, `-field` (descending) or a comma-separated list of those (docs/vql.md#ordering).", false, false);
        yield return Parameter("cursor", Text(RequestStrings.Cursor),
            "The `next` or `previous` token of an earlier page; pages on past the 1,000-row offset window.", false, false);
        yield return Parameter("distinct", new JsonObject { ["type"] = "boolean" },
            "Accepted for compatibility: every contact is one row anyway.", false, false);
        yield return Parameter("limit", Integer(1, PageRequest.MaxLimit),
            $"Contacts per page, 1–{PageRequest.MaxLimit} (default {PageRequest.DefaultLimit}).", false, false);
        yield return Parameter("page_size", Integer(1, int.MaxValue),
            $"Another name for `limit`; values above {PageRequest.MaxLimit} are capped.", false, false);
        yield return Parameter("offset", Integer(0, int.MaxValue),
            "Contacts to skip; past the offset window (1,000 rows) page on with `cursor` instead (400 naming `offset`).", false, false);
        yield return Parameter("page", Integer(1, int.MaxValue),
            "The page to serve, counted from 1, when `offset` is not given.", false, false);
    }

    private static JsonObject Parameter(string name, JsonObject schema, string description, bool deprecated, bool list)
    {
        var parameter = new JsonObject
        {
            ["name"] = name,
            ["in"] = "query",
            ["description"] = description,
            ["schema"] = schema,
        };
        if (list)
        {
            parameter["style"] = "form";
            parameter["explode"] = true;
        }

        if (deprecated)
        {
            parameter["deprecated"] = true;
        }

        return parameter;
    }

    /// <summary>Path parameters and the few query parameters Swashbuckle renders bare.</summary>
    private static void Describe(JsonObject parameter)
    {
        var name = parameter["name"]!.GetValue<string>();
        var (schema, description) = name switch
        {
            "contactUuid" => (Uuid(), "The contact's uuid; a malformed one is a 400 naming it."),
            "companyUuid" => (Uuid(), "The company's uuid; a malformed one is a 400 naming it."),
            "exportId" => (Uuid(), "The export's id, as its creation answered; another user's export is a 404."),
            "token" => ((JsonObject?)null, "The download token of the status's `download_url`: short-lived, bound to this export and user; the bearer token is needed as well."),
            "status" => (null, "Only exports in this state."),
            "export_type" => (null, "Only exports of this kind."),
            "created_at_after" => (null, "Only exports created at or after this time (RFC 3339)."),
            "created_at_before" => (null, "Only exports created at or before this time (RFC 3339)."),
            "page" => (null, "The page of the list, counted from 1."),
            "page_size" => (null, "Exports per page."),
            _ => (null, parameter["description"]?.GetValue<string>()),
        };
        if (schema is not null)
        {
            parameter["schema"] = schema;
        }

        if (description is not null)
        {
            parameter["description"] = description;
        }

        if (parameter["schema"] is JsonObject { } s && s["minLength"]?.GetValue<int>() == 0)
        {
            s.Remove("minLength");
        }
    }

    private static JsonObject Uuid() => new() { ["type"] = "string", ["format"] = "uuid", ["maxLength"] = 36 };

    private static JsonObject Text(int maxLength) => new() { ["type"] = "string", ["maxLength"] = maxLength };

    private static JsonObject Integer(int minimum, int maximum) =>
        new() { ["type"] = "integer", ["format"] = "int32", ["minimum"] = minimum, ["maximum"] = maximum };
}
