using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Connectra.Backend.Api.OpenApi;

/// <summary>The words of the document: its introduction, servers, security scheme, tags and operation texts.</summary>
internal static partial class DocumentText
{
    private const string Introduction = """
        B2B contact and company data: search, count and export contacts and companies, write them, import them
        from CSV files, and import Sales Navigator pages. Reads are answered by Connectra, the search service; writes go to PostgreSQL and are
        searchable within seconds.

        Every /api/v3 route needs a bearer token (see the security scheme); the health routes need none. Errors are
        RFC 9457 problem documents (`application/problem+json`) whose `errors` map names the field at fault. Every
        limit the server enforces (body size, list lengths, string lengths, page sizes) is stated on the schema or
        parameter it applies to, with the value this deployment is configured with.

        Not described here, on purpose: `/metrics` (Prometheus text for scrapers on allowed networks, not part of the
        API a client calls; docs/operations.md#metrics) and `/swagger` itself.
        """;

    private const string Security = """
        A JSON Web Token (JWS) in `Authorization: Bearer …`. Deployments either share an HS256 key (Auth:SigningKey)
        or trust an OpenID Connect issuer (Auth:Authority), whose published keys and algorithms are used. Following
        RFC8725 (JWT best current practices): the algorithm is pinned (HS256 only with a shared key; never `none`),
        issuer, audience and expiry are always checked (tokens without `exp` are refused), the signing key is at
        least 256 bits, and a token must name its subject (`sub`). Roles come from the `role` claim: reader, writer
        or admin; a token without one gets Auth:DefaultRole.
        """;

    private static readonly Dictionary<string, string> Tags = new(StringComparer.Ordinal)
    {
        ["Contacts"] = "Search, count and read contacts (answered by Connectra), list filters and their values, and write contacts (PostgreSQL, delivered to Connectra by the outbox).",
        ["Companies"] = "Search, count and read companies, write them, and the contacts of one company filtered by query parameters.",
        ["Changes"] = "The change feed: one event per committed write of a contact or company, in commit order, read with a cursor (docs/webhooks.md).",
        ["Webhooks"] = "Webhook subscriptions: signed, batched, retried pushes of change events and job events to your URL, with a delivery log, replay and a test ping (docs/webhooks.md).",
        ["Exports"] = "CSV exports of contacts or companies: create a job, poll its status, download the file with the URL the status gives.",
        ["SavedSearches"] = "Named queries of the contacts and companies query routes: save, share, run, count and export them, and export them on a cron schedule in an IANA time zone.",
        ["Imports"] = "CSV imports of contacts or companies through the write path: upload a file (text/csv, or multipart with a file and an options part), poll the job, read its row errors or download the rejected rows to fix and upload again.",
        ["LinkedIn"] = "Contacts and companies whose LinkedIn URL is exactly the one given.",
        ["SalesNavigator"] = "Read the leads of a saved Sales Navigator results page and optionally store them as contacts and companies.",
        ["Health"] = "Liveness and dependency probes for load balancers and operators; no token needed.",
    };

    public static void Apply(JsonObject document, IReadOnlyDictionary<string, OperationFacts> facts)
    {
        var info = document["info"]!.AsObject();
        info["description"] = Paragraphs(Introduction);
        info["contact"] = new JsonObject { ["name"] = "Connectra Backend maintainers" };

        document["servers"] = new JsonArray(new JsonObject
        {
            ["url"] = "https://{host}",
            ["description"] = "A deployment: production or staging behind TLS. `./run.sh` serves the same API for local use on http://127.0.0.1:8080.",
            ["variables"] = new JsonObject { ["host"] = new JsonObject { ["default"] = "localhost:8080", ["description"] = "host and port of the deployment" } },
            ["x-internal"] = false,
        });

        var scheme = document["components"]!["securitySchemes"]![SwaggerSetup.BearerScheme]!.AsObject();
        scheme["description"] = Paragraphs(Security);

        Files(document);
        SavedSearchRun(document);
        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (_, _, operation, fact) in OperationFacts.Each(document, facts))
        {
            SplitSummary(operation);
            if (fact.Anonymous)
            {
                operation["security"] = new JsonArray();
            }

            foreach (var tag in operation["tags"]?.AsArray() ?? [])
            {
                used.Add(tag!.GetValue<string>());
            }
        }

        document["tags"] = new JsonArray([.. used.Select(name => (JsonNode)new JsonObject
        {
            ["name"] = name,
            ["description"] = Tags.TryGetValue(name, out var description)
                ? description
                : throw new InvalidOperationException($"The tag {name} has no description in {nameof(DocumentText)}."),
        })]);
    }

    /// <summary>A saved search's run answers the page of its entity's query route: one of the two page shapes.</summary>
    private static void SavedSearchRun(JsonObject document)
    {
        if (document["paths"]?["/api/v3/saved-searches/{id}/run"]?["post"]?["responses"]?["200"]?["content"]?["application/json"] is JsonObject answer)
        {
            answer["schema"] = new JsonObject
            {
                ["description"] = "The page the contacts or companies query route answers for the saved query, as its entity says.",
                ["anyOf"] = new JsonArray(
                    new JsonObject { ["$ref"] = "#/components/schemas/ContactListItemCursorPage" },
                    new JsonObject { ["$ref"] = "#/components/schemas/CompanyListItemCursorPage" }),
            };
        }
    }

    /// <summary>The CSV download: its body is the file, whole (200) or the range asked for (206).</summary>
    private static void Files(JsonObject document)
    {
        var responses = document["paths"]!["/api/v3/exports/{exportId}/download"]!["get"]!["responses"]!.AsObject();
        foreach (var (status, description) in new[] { ("200", "The whole CSV file (RFC 4180, UTF-8), gzip-encoded when the client accepts it."), ("206", "The byte range asked for with Range (one range).") })
        {
            responses[status] = new JsonObject
            {
                ["description"] = description,
                ["content"] = new JsonObject
                {
                    ["text/csv"] = new JsonObject { ["schema"] = new JsonObject { ["description"] = "The file's bytes." } },
                },
            };
        }

        if (document["paths"]!["/api/v3/imports/{importId}/errors.csv"]?["get"]?["responses"] is JsonObject errors)
        {
            errors["200"] = new JsonObject
            {
                ["description"] = "The header and the rejected rows as they were (RFC 4180, UTF-8), each with an error column.",
                ["content"] = new JsonObject
                {
                    ["text/csv"] = new JsonObject { ["schema"] = new JsonObject { ["description"] = "The file's bytes." } },
                },
            };
        }
    }

    /// <summary>
    /// An XML summary of several sentences becomes a one-sentence summary and the whole text as description, so
    /// generated clients get a short doc line and readers the full story.
    /// </summary>
    private static void SplitSummary(JsonObject operation)
    {
        var text = Paragraphs(operation["summary"]?.GetValue<string>() ?? "");
        var first = FirstSentence().Match(text) is { Success: true } match ? match.Value.TrimEnd() : text;
        operation["summary"] = first.TrimEnd('.');
        operation["description"] = operation["description"]?.GetValue<string>() is { Length: > 0 } existing ? existing : text;
    }

    /// <summary>Joins the lines of each paragraph, as an XML comment or a raw literal wraps them.</summary>
    internal static string Paragraphs(string text) => string.Join("\n\n",
        text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => Spaces().Replace(p.Trim(), " ")));

    [GeneratedRegex(@"^.+?\.(?=\s|$)")]
    private static partial Regex FirstSentence();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
