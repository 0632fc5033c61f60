using System.Text.Json.Nodes;

namespace Connectra.Backend.Api.OpenApi;

/// <summary>An example request and answer for the main routes: what a frontend developer copies first.</summary>
internal static class Examples
{
    private const string Contact = "a0000001-0000-4000-8000-000000000001";
    private const string Company = "c0000001-0000-4000-8000-000000000001";
    private const string Export = "e7a1c0de-0000-4000-8000-00000000e001";

    private static readonly string Search = """
        {"filters": {"and": [{"field": "seniority", "operator": "in", "value": ["director", "vp"]},
                             {"field": "company_country", "operator": "eq", "value": "france"}]},
         "sort_by": "-created_at", "limit": 25}
        """;

    public static void Apply(JsonObject document)
    {
        var schemas = document["components"]!["schemas"]!.AsObject();
        var paths = document["paths"]!.AsObject();
        void Answer(JsonObject paths, string path, string method, string status, string json) => AnswerIn(paths, schemas, path, method, status, json);

        Request(paths, "/api/v3/contacts/query", "post", Search);
        Answer(paths, "/api/v3/contacts/query", "post", "200", $$"""
            {"next": "eyJ2IjoxfQ.c2lnbmF0dXJl", "previous": null,
             "results": [{"uuid": "{{Contact}}", "first_name": "Ada", "last_name": "Lovelace", "title": "Director of Engineering",
                          "seniority": "director", "company": "Acme Software", "country": "france"}],
             "meta": {"strategy": "cursor", "count_mode": null, "filters_applied": true, "ordering": "-created_at",
                      "returned_records": 1, "page_size": 25, "page_size_cap": 100, "using_replica": false} }
            """);
        Request(paths, "/api/v3/contacts/count", "post", """{"filters": {"and": [{"field": "seniority", "operator": "eq", "value": "director"}]}}""");
        Answer(paths, "/api/v3/contacts/count", "post", "200", """{"count": 1234}""");
        Answer(paths, "/api/v3/contacts/{contactUuid}", "get", "200", $$"""
            {"uuid": "{{Contact}}", "first_name": "Ada", "last_name": "Lovelace", "email": "ada@acme.com", "email_status": "verified",
             "company_detail": {"uuid": "{{Company}}", "name": "Acme Software", "employees_count": 250, "technologies": ["react", "aws"]},
             "metadata": {"uuid": "{{Contact}}", "linkedin_url": "https://www.linkedin.com/in/ada", "linkedin_sales_url": null, "city": "paris"} }
            """);
        Request(paths, "/api/v3/contacts", "post", $$"""
            {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@acme.com", "company_id": "{{Company}}",
             "seniority": "director", "departments": ["engineering"], "metadata": {"city": "Paris", "linkedin_url": "https://www.linkedin.com/in/ada"} }
            """);
        Answer(paths, "/api/v3/contacts", "post", "201", $$"""
            {"uuid": "{{Contact}}", "first_name": "Ada", "last_name": "Lovelace", "company_id": "{{Company}}", "email": "ada@acme.com",
             "title": null, "departments": ["engineering"], "mobile_phone": null, "email_status": null, "seniority": "director",
             "status": "_", "text_search": null, "version": 1, "created_at": "2025-06-01T08:00:00Z", "updated_at": "2025-06-01T08:00:00Z"}
            """);
        Request(paths, "/api/v3/contacts/{contactUuid}", "patch", """{"title": "CTO", "mobile_phone": null, "metadata": {"city": "Lyon"}}""");
        Request(paths, "/api/v3/exports/contacts/export", "post", $$"""{"query": {{Search}}, "columns": ["contact_first_name", "contact_last_name", "contact_email", "company_name"]}""");
        Answer(paths, "/api/v3/exports/contacts/export", "post", "201", $$"""
            {"export_id": "{{Export}}", "export_type": "contacts", "status": "pending", "contact_count": null, "company_count": null,
             "total_records": 1234, "created_at": "2025-06-01T08:00:00Z", "expires_at": "2025-06-02T08:00:00Z", "download_url": null,
             "status_url": "/api/v3/exports/{{Export}}/status"}
            """);
        Answer(paths, "/api/v3/exports/{exportId}/status", "get", "200", $$"""
            {"export_id": "{{Export}}", "export_type": "contacts", "status": "completed", "progress_percentage": 100, "estimated_time": null,
             "records_processed": 1234, "total_records": 1234, "contact_count": 1234, "company_count": 0, "missing_count": 0,
             "missing_uuids": [], "error_message": null, "notice": null, "file_name": "contacts_export.csv", "file_size": 183211,
             "download_url": "/api/v3/exports/{{Export}}/download?token=eyJ2IjoxfQ.c2lnbmF0dXJl", "created_at": "2025-06-01T08:00:00Z",
             "started_at": "2025-06-01T08:00:01Z", "completed_at": "2025-06-01T08:00:09Z", "expires_at": "2025-06-02T08:00:09Z",
             "expired": false, "chunk_ids": []}
            """);
    }

    private static void Request(JsonObject paths, string path, string method, string json)
    {
        foreach (var (_, media) in Operation(paths, path, method)["requestBody"]!["content"]!.AsObject())
        {
            media!["example"] = JsonNode.Parse(json);
        }
    }

    /// <summary>An answer example: the fields that matter here, every other field of the shape as null (or empty).</summary>
    private static void AnswerIn(JsonObject paths, JsonObject schemas, string path, string method, string status, string json)
    {
        var media = Operation(paths, path, method)["responses"]![status]!["content"]!["application/json"]!;
        var example = JsonNode.Parse(json)!;
        Complete(example, media["schema"]!, schemas);
        media["example"] = example;
    }

    private static void Complete(JsonNode example, JsonNode schema, JsonObject schemas)
    {
        while (schema["$ref"]?.GetValue<string>() is { } reference || schema["allOf"]?[0]?["$ref"]?.GetValue<string>() is { } _)
        {
            reference = schema["$ref"]?.GetValue<string>() ?? schema["allOf"]![0]!["$ref"]!.GetValue<string>();
            schema = schemas[reference.Split('/')[^1]]!;
        }

        if (example is JsonArray array && schema["items"] is { } items)
        {
            foreach (var item in array)
            {
                Complete(item!, items, schemas);
            }
        }
        else if (example is JsonObject obj && schema["properties"] is JsonObject properties)
        {
            foreach (var name in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
            {
                if (!obj.ContainsKey(name))
                {
                    obj[name] = Placeholder(properties[name]!, schemas);
                }
            }

            foreach (var (name, value) in obj.ToList())
            {
                if (value is not null && properties[name] is { } property)
                {
                    Complete(value, property, schemas);
                }
            }
        }
    }

    private static JsonNode? Placeholder(JsonNode property, JsonObject schemas)
    {
        if (property["nullable"]?.GetValue<bool>() == true)
        {
            return null;
        }

        var target = property["allOf"]?[0]?["$ref"] ?? property["$ref"];
        var type = (target is null ? property : schemas[target.GetValue<string>().Split('/')[^1]]!)["type"]?.GetValue<string>();
        return type switch
        {
            "array" => new JsonArray(),
            "object" => new JsonObject(),
            "boolean" => false,
            "integer" or "number" => 0,
            _ => "",
        };
    }

    private static JsonObject Operation(JsonObject paths, string path, string method) =>
        paths[path]?[method] as JsonObject ?? throw new InvalidOperationException($"{method} {path} is not in the document; update {nameof(Examples)}.");
}
