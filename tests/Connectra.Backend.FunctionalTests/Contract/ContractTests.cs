using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connectra.Backend.Api.Auth;
using Connectra.Backend.FunctionalTests.EndToEnd;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Connectra.Backend.FunctionalTests.Contract;

/// <summary>
/// Real answers of every route, over the emulator, validated against the served OpenAPI document: each success and
/// the main errors (docs/api.md#openapi-document). A route without a success row here fails the suite, as a route
/// without a row in <see cref="RouteTable"/> fails the authorization matrix.
/// </summary>
public sealed class ContractTests(EmulatorApiFactory stack) : EndToEndTestBase(stack)
{
    /// <summary>Mapped routes the document leaves out on purpose, each with its reason (docs/api.md#openapi-document).</summary>
    public static readonly IReadOnlyDictionary<string, string> NotDocumented = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GET /metrics"] = "Prometheus text for scrapers on allowed networks, not part of the API a client calls",
    };

    private static readonly string Contact = DataSet.Contacts[0].Uuid!;
    private static readonly string Company = DataSet.Companies[0].Uuid!;
    private static readonly string Missing = "0badc0de-0000-4000-8000-000000000000";

    /// <summary>
    /// One call: the documented operation ("METHOD /template"), the caller's role (null: no token), the path to call,
    /// its body, and the status it must get. Rows run in order: later ones use what earlier ones created ({new},
    /// {export}).
    /// </summary>
    private sealed record Row(string Operation, string? Role, string Path, string? Body, int Status, string ContentType = "application/json", string? IfMatch = null);

    private static IReadOnlyList<Row> Rows(string newContact, string newCompany) =>
    [
        new("GET /health", null, "/health", null, 200),
        new("GET /api/v1/health/", null, "/api/v1/health/", null, 200),
        new("GET /health/db", null, "/health/db", null, 200),
        new("GET /health/outbox", null, "/health/outbox", null, 200),
        new("GET /health/vql", null, "/health/vql", null, 200),
        new("GET /health/vql", AuthSetup.AdminRole, "/health/vql", null, 200),
        new("GET /api/v1/health/vql", null, "/api/v1/health/vql", null, 200),

        new("POST /api/v3/contacts/query", "", "/api/v3/contacts/query", """{"limit": 5, "company_config": {"populate": true}}""", 200),
        new("POST /api/v3/contacts/query", "", "/api/v3/contacts/query", """{"filters": {"and": [{"field": "seniority", "operator": "eq", "value": "director"}]}, "select_columns": ["first_name"], "limit": 3}""", 200),
        new("POST /api/v3/contacts/query", "", "/api/v3/contacts/query", """{"limit": 0}""", 400),
        new("POST /api/v3/contacts/query", "", "/api/v3/contacts/query", """{"limit": 5}""", 415, "text/plain"),
        new("POST /api/v3/contacts/query", "", "/api/v3/contacts/query", $$"""{"sort_by": "{{new string('a', 1_100_000)}}"}""", 413),
        new("POST /api/v3/contacts/query", null, "/api/v3/contacts/query", "{}", 401),
        new("POST /api/v3/contacts/count", "", "/api/v3/contacts/count", """{"filters": {"and": [{"field": "seniority", "operator": "eq", "value": "director"}]}}""", 200),
        new("GET /api/v3/contacts/filters", "", "/api/v3/contacts/filters", null, 200),
        new("POST /api/v3/contacts/filters/data", "", "/api/v3/contacts/filters/data", """{"filter_key": "departments", "limit": 10}""", 200),
        new("POST /api/v3/contacts/filters/data", "", "/api/v3/contacts/filters/data", """{"filter_key": "no_such_filter"}""", 400),
        new("POST /api/v3/contacts/linkedin/search", "", "/api/v3/contacts/linkedin/search", $$"""{"urls": ["{{DataSet.Contacts[0].LinkedinUrl}}"]}""", 200),
        new("GET /api/v3/contacts/{contactUuid}/", "", $"/api/v3/contacts/{Contact}/", null, 200),
        new("GET /api/v3/contacts/{contactUuid}/", "", $"/api/v3/contacts/{Missing}/", null, 404),
        new("GET /api/v3/contacts/{contactUuid}/", "", "/api/v3/contacts/not-a-uuid/", null, 400),

        new("POST /api/v3/companies/query", "", "/api/v3/companies/query", """{"limit": 5}""", 200),
        new("POST /api/v3/companies/count", "", "/api/v3/companies/count", "{}", 200),
        new("GET /api/v3/companies/filters", "", "/api/v3/companies/filters", null, 200),
        new("POST /api/v3/companies/filters/data", "", "/api/v3/companies/filters/data", """{"filter_key": "industries"}""", 200),
        new("GET /api/v3/companies/{companyUuid}/", "", $"/api/v3/companies/{Company}/", null, 200),
        new("GET /api/v3/companies/company/{companyUuid}/contacts/", "", $"/api/v3/companies/company/{Company}/contacts/?limit=5&seniority=director&exclude_titles=Engineer", null, 200),
        new("GET /api/v3/companies/company/{companyUuid}/contacts/", "", $"/api/v3/companies/company/{Company}/contacts/?limit=0", null, 400),
        new("GET /api/v3/companies/company/{companyUuid}/contacts/", "", $"/api/v3/companies/company/{Missing}/contacts/", null, 404),
        new("GET /api/v3/companies/company/{companyUuid}/contacts/count/", "", $"/api/v3/companies/company/{Company}/contacts/count/?title=engineer", null, 200),
        new("GET /api/v3/companies/company/{companyUuid}/contacts/filters", "", $"/api/v3/companies/company/{Company}/contacts/filters", null, 200),
        new("POST /api/v3/companies/company/{companyUuid}/contacts/filters/data", "", $"/api/v3/companies/company/{Company}/contacts/filters/data", """{"filter_key": "title"}""", 200),

        new("POST /api/v3/linkedin/", "", "/api/v3/linkedin/", $$"""{"url": "{{DataSet.Companies[0].LinkedinUrl}}"}""", 200),
        new("POST /api/v3/linkedin/", "", "/api/v3/linkedin/", """{"url": " "}""", 400),

        new("POST /api/v3/companies", AuthSetup.WriterRole, "/api/v3/companies", $$"""{"uuid": "{{newCompany}}", "name": "Contract Co", "employees_count": 12, "industries": ["software"], "metadata": {"website": "https://contract.example"} }""", 201),
        new("POST /api/v3/contacts", AuthSetup.WriterRole, "/api/v3/contacts", $$"""{"uuid": "{{newContact}}", "first_name": "Ada", "email": "ada@contract.example", "company_id": "{{newCompany}}", "seniority": "Director", "metadata": {"city": "Paris"} }""", 201),
        new("POST /api/v3/contacts", AuthSetup.WriterRole, "/api/v3/contacts", $$"""{"uuid": "{{newContact}}", "first_name": "Ada", "email": "ada@contract.example", "company_id": "{{newCompany}}", "seniority": "Director", "metadata": {"city": "Paris"} }""", 200),
        new("POST /api/v3/contacts", AuthSetup.WriterRole, "/api/v3/contacts", $$"""{"uuid": "{{newContact}}", "first_name": "Grace"}""", 409),
        new("POST /api/v3/contacts", AuthSetup.WriterRole, "/api/v3/contacts", """{"email": "not an address"}""", 400),
        new("POST /api/v3/contacts", AuthSetup.WriterRole, "/api/v3/contacts", $$"""{"company_id": "{{Missing}}"}""", 422),
        new("POST /api/v3/contacts", AuthSetup.ReaderRole, "/api/v3/contacts", """{"first_name": "Ada"}""", 403),
        new("PUT /api/v3/contacts/{contactUuid}/", AuthSetup.WriterRole, $"/api/v3/contacts/{newContact}/", """{"first_name": "Ada", "last_name": "Lovelace"}""", 200),
        new("PATCH /api/v3/contacts/{contactUuid}/", AuthSetup.WriterRole, $"/api/v3/contacts/{newContact}/", """{"title": "CTO", "metadata": {"city": null}}""", 200, "application/merge-patch+json"),
        new("PATCH /api/v3/contacts/{contactUuid}/", AuthSetup.WriterRole, $"/api/v3/contacts/{newContact}/", """{"title": "CEO"}""", 412, IfMatch: "\"999\""),
        new("PATCH /api/v3/contacts/{contactUuid}/", AuthSetup.WriterRole, $"/api/v3/contacts/{Missing}/", """{"title": "CEO"}""", 404),
        new("DELETE /api/v3/contacts/{contactUuid}/", AuthSetup.WriterRole, $"/api/v3/contacts/{newContact}/", null, 204),
        new("PUT /api/v3/companies/{companyUuid}/", AuthSetup.WriterRole, $"/api/v3/companies/{newCompany}/", """{"name": "Contract Company"}""", 200),
        new("PATCH /api/v3/companies/{companyUuid}/", AuthSetup.WriterRole, $"/api/v3/companies/{newCompany}/", """{"keywords": ["b2b"], "annual_revenue": null}""", 200, "application/merge-patch+json"),
        new("DELETE /api/v3/companies/{companyUuid}/", AuthSetup.WriterRole, $"/api/v3/companies/{newCompany}/", null, 204),

        new("POST /api/v3/exports/contacts/export", "", "/api/v3/exports/contacts/export", $$"""{"contact_uuids": ["{{Contact}}", "{{DataSet.Contacts[1].Uuid}}"]}""", 201),
        new("POST /api/v3/exports/contacts/export", "", "/api/v3/exports/contacts/export", """{"contact_uuids": []}""", 400),
        new("GET /api/v3/exports/{exportId}/status", "", "/api/v3/exports/{export}/status", null, 200),
        new("GET /api/v3/exports/{exportId}/download", "", "/api/v3/exports/{export}/download?token={token}", null, 200, IfMatch: null),
        new("GET /api/v3/exports/{exportId}/status", "", $"/api/v3/exports/{Missing}/status", null, 404),
        new("POST /api/v3/exports/companies/export", "", "/api/v3/exports/companies/export", $$"""{"company_uuids": ["{{Company}}"]}""", 201),
        new("POST /api/v3/exports/contacts/export/chunked", "", "/api/v3/exports/contacts/export/chunked", $$"""{"chunks": [["{{Contact}}"], ["{{DataSet.Contacts[2].Uuid}}"]], "merge": false}""", 201),
        new("GET /api/v3/exports", "", "/api/v3/exports?page_size=10", null, 200),
        new("GET /api/v3/exports", "", "/api/v3/exports?page=0", null, 400),
        new("DELETE /api/v3/exports/{exportId}/cancel", "", "/api/v3/exports/{running}/cancel", null, 200),
        new("DELETE /api/v3/exports/{exportId}/cancel", "", "/api/v3/exports/{export}/cancel", null, 400),
        new("DELETE /api/v3/exports/files", AuthSetup.AdminRole, "/api/v3/exports/files", null, 200),
        new("DELETE /api/v3/exports/files", AuthSetup.ReaderRole, "/api/v3/exports/files", null, 403),

        new("POST /api/v3/imports/contacts", AuthSetup.WriterRole, "/api/v3/imports/contacts?match_on=email&dry_run=true", "email,first_name\r\nada@contract.example,Ada\r\n", 201, "text/csv"),
        new("POST /api/v3/imports/contacts", AuthSetup.WriterRole, "/api/v3/imports/contacts?mode=merge", "email\r\n", 400, "text/csv"),
        new("POST /api/v3/imports/contacts", AuthSetup.WriterRole, "/api/v3/imports/contacts", "{}", 415),
        new("POST /api/v3/imports/contacts", AuthSetup.ReaderRole, "/api/v3/imports/contacts", "email\r\n", 403, "text/csv"),
        new("POST /api/v3/imports/companies", AuthSetup.WriterRole, "/api/v3/imports/companies?match_on=website&dry_run=true", "name,metadata.website\r\nContract,https://contract.example\r\n", 201, "text/csv"),
        new("GET /api/v3/imports", AuthSetup.WriterRole, "/api/v3/imports?page_size=10", null, 200),
        new("GET /api/v3/imports", AuthSetup.WriterRole, "/api/v3/imports?page=0", null, 400),
        new("GET /api/v3/imports/{importId}", AuthSetup.WriterRole, "/api/v3/imports/{import}", null, 200),
        new("GET /api/v3/imports/{importId}", AuthSetup.WriterRole, $"/api/v3/imports/{Missing}", null, 404),
        new("GET /api/v3/imports/{importId}/errors", AuthSetup.WriterRole, "/api/v3/imports/{import}/errors?page=1", null, 200),
        new("GET /api/v3/imports/{importId}/errors.csv", AuthSetup.WriterRole, "/api/v3/imports/{import}/errors.csv", null, 200),
        new("DELETE /api/v3/imports/{importId}/cancel", AuthSetup.WriterRole, "/api/v3/imports/{runningImport}/cancel", null, 200),
        new("GET /api/v3/changes", "", "/api/v3/changes?limit=50&types=contact.created,contact.updated", null, 200),
        new("POST /api/v3/webhooks", AuthSetup.WriterRole, "/api/v3/webhooks", """{"url": "https://203.0.113.10/hook", "event_types": ["contact.created", "export.completed"], "description": "contract"}""", 201),
        new("POST /api/v3/webhooks", AuthSetup.WriterRole, "/api/v3/webhooks", """{"url": "https://169.254.169.254/latest", "event_types": ["contact.created"]}""", 400),
        new("POST /api/v3/webhooks", AuthSetup.ReaderRole, "/api/v3/webhooks", """{"url": "https://203.0.113.10/hook", "event_types": ["contact.created"]}""", 403),
        new("GET /api/v3/webhooks", AuthSetup.WriterRole, "/api/v3/webhooks?page_size=10", null, 200),
        new("GET /api/v3/webhooks/{id}", AuthSetup.WriterRole, "/api/v3/webhooks/{webhook}", null, 200),
        new("GET /api/v3/webhooks/{id}", AuthSetup.WriterRole, $"/api/v3/webhooks/{Missing}", null, 404),
        new("PUT /api/v3/webhooks/{id}", AuthSetup.WriterRole, "/api/v3/webhooks/{webhook}", """{"url": "https://203.0.113.10/hook2", "event_types": ["company.deleted"], "enabled": false}""", 200),
        new("POST /api/v3/webhooks/{id}/rotate-secret", AuthSetup.WriterRole, "/api/v3/webhooks/{webhook}/rotate-secret", null, 200),
        new("POST /api/v3/webhooks/{id}/test", AuthSetup.WriterRole, "/api/v3/webhooks/{webhook}/test", null, 200),
        new("GET /api/v3/webhooks/{id}/deliveries", AuthSetup.WriterRole, "/api/v3/webhooks/{webhook}/deliveries", null, 200),
        new("POST /api/v3/webhooks/{id}/replay", AuthSetup.WriterRole, "/api/v3/webhooks/{webhook}/replay", """{"from_sequence": 1}""", 202),
        new("POST /api/v3/webhooks/{id}/replay", AuthSetup.WriterRole, "/api/v3/webhooks/{webhook}/replay", """{"from_sequence": 0}""", 400),
        new("DELETE /api/v3/webhooks/{id}", AuthSetup.WriterRole, "/api/v3/webhooks/{webhook}", null, 204),
        new("DELETE /api/v3/webhooks/{id}", AuthSetup.WriterRole, "/api/v3/webhooks/{webhook}", null, 404),
        new("GET /api/v3/changes", "", "/api/v3/changes?after=x", null, 400),

        new("POST /api/v3/sales-navigator/scrape", "", "/api/v3/sales-navigator/scrape", """{"html": "<html><body><p>No leads</p></body></html>"}""", 200),
        new("POST /api/v3/sales-navigator/scrape", "", "/api/v3/sales-navigator/scrape", """{"html": " "}""", 400),

        new("POST /api/v3/saved-searches", "", "/api/v3/saved-searches", """{"name": "Directors", "entity": "contacts", "query": {"filters": {"and": [{"field": "seniority", "operator": "eq", "value": "director"}]}, "limit": 3}, "visibility": "shared"}""", 201),
        new("POST /api/v3/saved-searches", "", "/api/v3/saved-searches", """{"name": "Bad", "entity": "contacts", "query": {"limit": 0}}""", 400),
        new("GET /api/v3/saved-searches", "", "/api/v3/saved-searches?entity=contacts&name=dir", null, 200),
        new("GET /api/v3/saved-searches/{id}", "", "/api/v3/saved-searches/{saved}", null, 200),
        new("GET /api/v3/saved-searches/{id}", "", $"/api/v3/saved-searches/{Missing}", null, 404),
        new("PUT /api/v3/saved-searches/{id}", "", "/api/v3/saved-searches/{saved}", """{"name": "Directors", "entity": "contacts", "query": {"filters": {"and": [{"field": "seniority", "operator": "eq", "value": "director"}]}, "limit": 3}}""", 200, IfMatch: "\"1\""),
        new("PUT /api/v3/saved-searches/{id}", "", "/api/v3/saved-searches/{saved}", """{"name": "Directors", "entity": "contacts", "query": {}}""", 412, IfMatch: "\"1\""),
        new("POST /api/v3/saved-searches/{id}/run", "", "/api/v3/saved-searches/{saved}/run", """{"limit": 2}""", 200),
        new("POST /api/v3/saved-searches/{id}/count", "", "/api/v3/saved-searches/{saved}/count", null, 200),
        new("POST /api/v3/saved-searches/{id}/export", "", "/api/v3/saved-searches/{saved}/export", """{"columns": ["contact_uuid"]}""", 201),
        new("POST /api/v3/saved-searches/{id}/schedules", "", "/api/v3/saved-searches/{saved}/schedules", """{"cron": "0 9 * * 1", "time_zone": "Europe/Berlin", "skip_if_unchanged": true}""", 201),
        new("POST /api/v3/saved-searches/{id}/schedules", "", "/api/v3/saved-searches/{saved}/schedules", """{"cron": "* * * * *"}""", 400),
        new("GET /api/v3/saved-searches/{id}/schedules", "", "/api/v3/saved-searches/{saved}/schedules", null, 200),
        new("PUT /api/v3/saved-searches/{id}/schedules/{scheduleId}", "", "/api/v3/saved-searches/{saved}/schedules/{schedule}", """{"cron": "30 8 * * *", "time_zone": "America/New_York", "enabled": false}""", 200),
        new("GET /api/v3/saved-searches/{id}/schedules/{scheduleId}/runs", "", "/api/v3/saved-searches/{saved}/schedules/{schedule}/runs", null, 200),
        new("DELETE /api/v3/saved-searches/{id}/schedules/{scheduleId}", "", "/api/v3/saved-searches/{saved}/schedules/{schedule}", null, 204),
        new("DELETE /api/v3/saved-searches/{id}", "", "/api/v3/saved-searches/{saved}", null, 204),
    ];

    [Fact]
    public async Task Every_mapped_route_has_a_success_row_and_every_documented_operation_a_route()
    {
        using var client = Stack.CreateClient();
        var validator = new OpenApiValidator(await OpenApiDocument.ReadAsync(client, Ct));
        var rows = Rows("", "");
        static string Key(string operation) => operation.TrimEnd('/');

        var mapped = RouteTable.Mapped(Stack.Services).Where(r => !NotDocumented.ContainsKey(r)).Select(Key).Distinct().Order(StringComparer.Ordinal).ToList();
        var covered = rows.Where(r => r.Status is >= 200 and < 300).Select(r => Key(r.Operation)).Distinct().Order(StringComparer.Ordinal).ToList();
        var documented = validator.Operations().Select(Key).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(mapped, covered);
        Assert.Equal(mapped, documented);
    }

    [Fact]
    public async Task Every_answer_matches_the_document()
    {
        using var anonymous = Stack.CreateClient();
        var validator = new OpenApiValidator(await OpenApiDocument.ReadAsync(anonymous, Ct));
        var run = Guid.NewGuid().ToString("N")[..8];
        var user = $"contract-{run}";
        var exportId = "";
        var companyExportId = "";
        var savedId = "";
        var scheduleId = "";
        var importId = "";
        var runningImportId = "";
        var webhookId = "";
        var violations = new List<string>();

        foreach (var row in Rows(Guid.NewGuid().ToString(), Guid.NewGuid().ToString()))
        {
            if (row.Path.Contains("{token}", StringComparison.Ordinal))
            {
                await WaitForCompletionAsync(user, exportId);
            }

            if (row.Path.Contains("{running}", StringComparison.Ordinal))
            {
                // Exports of one row finish within milliseconds: hold this one as running, as a worker elsewhere would.
                await Stack.ScalarAsync(
                    $"UPDATE user_exports SET status = 'processing', lease_expires_at = now() + interval '1 hour' WHERE export_id = '{companyExportId}' RETURNING 1", Ct);
            }

            if (row.Path.Contains("{runningImport}", StringComparison.Ordinal))
            {
                // Held as running, as a worker elsewhere would hold it.
                await Stack.ScalarAsync(
                    $"UPDATE user_imports SET status = 'processing', lease_expires_at = now() + interval '1 hour' WHERE import_id = '{runningImportId}' RETURNING 1", Ct);
            }

            var path = (await PathAsync(row.Path, user, exportId)).Replace("{running}", companyExportId, StringComparison.Ordinal)
                .Replace("{saved}", savedId, StringComparison.Ordinal).Replace("{schedule}", scheduleId, StringComparison.Ordinal)
                .Replace("{import}", importId, StringComparison.Ordinal).Replace("{runningImport}", runningImportId, StringComparison.Ordinal)
                .Replace("{webhook}", webhookId, StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(row.Operation.Split(' ')[0]), path);
            if (row.Role is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", row.Role.Length == 0 ? Tokens.Create(user) : Tokens.Create(user, row.Role));
            }

            if (row.Body is not null)
            {
                request.Content = new StringContent(row.Body, Encoding.UTF8, new MediaTypeHeaderValue(row.ContentType));
            }

            if (row.IfMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", row.IfMatch);
            }

            using var client = Stack.CreateClient();
            using var response = await client.SendAsync(request, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            var context = $"{row.Operation} ({row.Path[..Math.Min(row.Path.Length, 120)]})";
            if ((int)response.StatusCode != row.Status)
            {
                violations.Add($"{context}: expected {row.Status}, got {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
                continue;
            }

            violations.AddRange(validator.Check(row.Operation, row.Status, response.Content.Headers.ContentType?.MediaType, body));
            if (row.Status == 201 && row.Operation == "POST /api/v3/exports/contacts/export")
            {
                exportId = JsonNode.Parse(body)!["export_id"]!.GetValue<string>();
            }
            else if (row.Status == 201 && row.Operation == "POST /api/v3/saved-searches")
            {
                savedId = JsonNode.Parse(body)!["id"]!.GetValue<string>();
            }
            else if (row.Status == 201 && row.Operation == "POST /api/v3/saved-searches/{id}/schedules")
            {
                scheduleId = JsonNode.Parse(body)!["id"]!.GetValue<string>();
            }
            else if (row.Status == 201 && row.Operation == "POST /api/v3/exports/companies/export")
            {
                companyExportId = JsonNode.Parse(body)!["export_id"]!.GetValue<string>();
            }
            else if (row.Status == 201 && row.Operation == "POST /api/v3/imports/contacts")
            {
                importId = JsonNode.Parse(body)!["import_id"]!.GetValue<string>();
            }
            else if (row.Status == 201 && row.Operation == "POST /api/v3/webhooks")
            {
                webhookId = JsonNode.Parse(body)!["webhook"]!["id"]!.GetValue<string>();
            }
            else if (row.Status == 201 && row.Operation == "POST /api/v3/imports/companies")
            {
                runningImportId = JsonNode.Parse(body)!["import_id"]!.GetValue<string>();
            }
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task Rate_limit_and_outage_refusals_match_the_document()
    {
        using var anonymous = Stack.CreateClient();
        var validator = new OpenApiValidator(await OpenApiDocument.ReadAsync(anonymous, Ct));
        using var throttled = Stack.WithWebHostBuilder(b => b.UseSetting("RateLimits:Reads:PermitLimit", "1"));
        using var unreachable = Stack.WithWebHostBuilder(b => b
            .UseSetting("Connectra:BaseUrl", "http://127.0.0.1:9/")
            .UseSetting("Connectra:Resilience:Retry:MaxRetryAttempts", "1"));
        var violations = new List<string>();

        using (var client = Tokens.Authorize(throttled.CreateClient(), $"contract-{Guid.NewGuid():N}"))
        {
            using var first = await client.GetAsync("/api/v3/contacts/filters", Ct);
            using var second = await client.GetAsync("/api/v3/contacts/filters", Ct);
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
            Assert.True(second.Headers.RetryAfter is not null, "429 carries Retry-After");
            violations.AddRange(validator.Check("GET /api/v3/contacts/filters", 429, second.Content.Headers.ContentType?.MediaType, await second.Content.ReadAsStringAsync(Ct)));
        }

        using (var client = Tokens.Authorize(unreachable.CreateClient()))
        {
            using var response = await client.PostAsync("/api/v3/contacts/query", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            violations.AddRange(validator.Check("POST /api/v3/contacts/query", 503, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(Ct)));
            using var health = await unreachable.CreateClient().GetAsync("/health/vql", Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            violations.AddRange(validator.Check("GET /health/vql", 503, health.Content.Headers.ContentType?.MediaType, await health.Content.ReadAsStringAsync(Ct)));
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    private async Task<string> PathAsync(string path, string user, string exportId)
    {
        if (path.Contains("{token}", StringComparison.Ordinal))
        {
            using var client = Tokens.Authorize(Stack.CreateClient(), user);
            var status = JsonNode.Parse(await client.GetStringAsync($"/api/v3/exports/{exportId}/status", Ct))!;
            return status["download_url"]!.GetValue<string>();
        }

        return path.Replace("{export}", exportId, StringComparison.Ordinal);
    }

    private async Task WaitForCompletionAsync(string user, string exportId)
    {
        using var client = Tokens.Authorize(Stack.CreateClient(), user);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var status = JsonNode.Parse(await client.GetStringAsync($"/api/v3/exports/{exportId}/status", Ct))!["status"]!.GetValue<string>();
            if (status is "completed" or "failed")
            {
                return;
            }

            await Task.Delay(100, Ct);
        }
    }
}
