using System.Text.Json.Nodes;

namespace Connectra.Backend.Api.OpenApi;

/// <summary>
/// Every status an operation can answer, each error as problem+json (docs/operations.md#problem-types). Derived from
/// the action's metadata, so a new route gets the statuses its attributes imply: 401/403 unless anonymous, 429 where
/// a rate limit applies, 400/413/415 where a body is read, 502/503 where Connectra answers, and 500 everywhere.
/// </summary>
internal static class ErrorResponses
{
    public const string Problem = "Problem";
    public const string ValidationProblem = "ValidationProblem";
    private const string ProblemJson = "application/problem+json";

    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["400"] = "The request is malformed or a value is refused; `errors` names each field at fault (a path, query parameter or body field).",
        ["401"] = "No bearer token, or one that is expired, badly signed or for another issuer or audience.",
        ["403"] = "The token's role may not call this route.",
        ["404"] = "No such record (or an export of another user).",
        ["409"] = "Another write changed the record first, or an idempotent create named a uuid that holds other values; read it again.",
        ["410"] = "The export file has expired.",
        ["412"] = "If-Match names another version of the record.",
        ["413"] = "The body is larger than this route accepts (Limits:MaxBodyBytes, or Limits:MaxLargeBodyBytes on bulk routes).",
        ["415"] = "The body is not UTF-8 JSON of a media type this route takes.",
        ["422"] = "Well-formed, but names something that does not exist (a company).",
        ["429"] = "The caller's request budget for this class of routes is spent (RateLimits); retry after `Retry-After` seconds.",
        ["500"] = "An unexpected failure; the problem's `request_id` finds it in the logs.",
        ["502"] = "Connectra refused a query this API built: a defect on our side.",
        ["503"] = "A dependency (Connectra or PostgreSQL) is unavailable or timed out; retry after `Retry-After` seconds.",
        ["default"] = "Any other error, as a problem document.",
    };

    public static void Apply(JsonObject document, IReadOnlyDictionary<string, OperationFacts> facts)
    {
        var schemas = document["components"]!["schemas"]!.AsObject();
        schemas.Remove("ProblemDetails");
        schemas.Remove("ValidationProblemDetails");
        schemas[Problem] = ProblemSchema(validation: false);
        schemas[ValidationProblem] = ProblemSchema(validation: true);

        foreach (var (_, _, operation, fact) in OperationFacts.Each(document, facts))
        {
            var responses = operation["responses"]!.AsObject();
            foreach (var (status, response) in responses.ToList())
            {
                if (IsError(status) && IsProblem(response!.AsObject()))
                {
                    responses[status] = Response(status);
                }
            }

            var add = new List<string> { "400", "500", "default" };
            if (!fact.Anonymous)
            {
                add.AddRange(["401", "403"]);
            }

            if (fact.RateLimit is not null)
            {
                add.Add("429");
            }

            if (fact.TakesBody)
            {
                add.AddRange(["413", "415"]);
            }

            if (fact.ReadsConnectra)
            {
                add.AddRange(["502", "503"]);
            }
            else if (!fact.IsHealth)
            {
                add.Add("503"); // PostgreSQL
            }

            foreach (var status in add.Where(s => !responses.ContainsKey(s)))
            {
                responses[status] = Response(status);
            }

            var ordered = responses.OrderBy(r => r.Key == "default" ? "999" : r.Key, StringComparer.Ordinal)
                .Select(r => (r.Key, Value: r.Value?.DeepClone())).ToList();
            responses.Clear();
            foreach (var (status, response) in ordered)
            {
                responses[status] = response;
            }
        }
    }

    private static bool IsError(string status) => status == "default" || status[0] is '4' or '5';

    /// <summary>Swashbuckle's rendering of ProblemDetails (or no body at all); a health route's own 503 body stays.</summary>
    private static bool IsProblem(JsonObject response) =>
        response["content"] is not JsonObject content
        || content.Select(c => c.Value?["schema"]?["$ref"]?.GetValue<string>()).All(r => r is null || r.EndsWith("ProblemDetails", StringComparison.Ordinal));

    private static JsonObject Response(string status)
    {
        var response = new JsonObject
        {
            ["description"] = Descriptions[status],
            ["content"] = new JsonObject
            {
                [ProblemJson] = new JsonObject
                {
                    ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{(status == "400" ? ValidationProblem : Problem)}" },
                },
            },
        };
        if (status is "429" or "503")
        {
            response["headers"] = new JsonObject
            {
                ["Retry-After"] = new JsonObject
                {
                    ["description"] = "Seconds to wait before trying again.",
                    ["schema"] = new JsonObject { ["type"] = "integer", ["format"] = "int32", ["minimum"] = 1, ["maximum"] = 86_400 },
                },
            };
        }

        return response;
    }

    /// <summary>
    /// What every error body holds: RFC 9457's members, the request id, and for refused input the <c>errors</c>
    /// map of field path to messages.
    /// </summary>
    private static JsonObject ProblemSchema(bool validation)
    {
        var properties = new JsonObject
        {
            ["type"] = Text("A URI naming the kind of problem (docs/operations.md#problem-types).", 256),
            ["title"] = Text("A short summary of the kind of problem.", 256),
            ["status"] = new JsonObject { ["type"] = "integer", ["format"] = "int32", ["minimum"] = 400, ["maximum"] = 599, ["description"] = "The HTTP status." },
            ["detail"] = Text("What went wrong with this request, naming the field or limit at fault.", 8192),
            ["instance"] = Text("The path of the request.", 8192),
            ["request_id"] = Text("The id of this request in the logs (also the X-Request-Id header).", 128),
            ["errors"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "For refused input: each field path at fault (`filters.and[0].value`, `metadata.city`, `limit`) with its messages.",
                ["additionalProperties"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = Text(null, 8192),
                    ["maxItems"] = 100,
                },
                ["maxProperties"] = 1000,
            },
            ["traceId"] = Text("The trace id, where the framework adds one.", 128),
        };
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["description"] = validation
                ? "A problem document for refused input (RFC 9457); `errors` names every field at fault."
                : "A problem document (RFC 9457).",
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
        if (validation)
        {
            schema["required"] = new JsonArray("type", "title", "status", "detail");
        }

        return schema;
    }

    private static JsonObject Text(string? description, int maxLength)
    {
        var text = new JsonObject { ["type"] = "string", ["maxLength"] = maxLength };
        if (description is not null)
        {
            text["description"] = description;
        }

        return text;
    }
}
