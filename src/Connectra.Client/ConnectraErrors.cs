namespace Connectra.Client;

/// <summary>
/// Reads Connectra's error answers. Connectra relays whatever failed underneath as a 500, including Elasticsearch and
/// PostgreSQL refusing the query itself; such an answer says nothing about Connectra's health, so it must neither be
/// retried nor count against the circuit breaker (docs/connectra.md#request-caused-failures).
/// </summary>
public static class ConnectraErrors
{
    // Fragments of the texts Connectra passes through when the request, not the service, is at fault: Elasticsearch
    // refusing to parse or build the query, the filter routes' unknown service or key, an unknown column, and the
    // Go decoder failing on numeric sort values.
    private static readonly string[] RequestCaused =
    [
        "parsing_exception",
        "x_content_parse_exception",
        "query_shard_exception",
        "illegal_argument_exception",
        "number_format_exception",
        "parse_exception",
        "too_many_clauses",
        "maxClauseCount",
        "ERR_UNSUPPORTED_SERVICE",
        "sql: no rows in result set",
        "ERROR #42703",
        "Go struct field SearchHit",
    ];

    /// <summary>True for a 500 whose body shows that the request itself was refused.</summary>
    public static bool IsCausedByRequest(int status, string? body) =>
        status == 500 && body is { Length: > 0 } && Array.Exists(RequestCaused, marker => body.Contains(marker, StringComparison.Ordinal));

    /// <summary>The same test on a response whose body the pipeline has already buffered.</summary>
    internal static async ValueTask<bool> IsCausedByRequestAsync(HttpResponseMessage? response) =>
        response is { StatusCode: System.Net.HttpStatusCode.InternalServerError }
        && IsCausedByRequest(500, await response.Content.ReadAsStringAsync());
}
