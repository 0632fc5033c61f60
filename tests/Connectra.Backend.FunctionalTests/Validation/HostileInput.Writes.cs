using System.Text;
using System.Text.Json;
using Connectra.Backend.FunctionalTests.Writes;

namespace Connectra.Backend.FunctionalTests.Validation;

/// <summary>The write and export routes' part of the hostile corpus.</summary>
public static partial class HostileInput
{
    /// <summary>A uuid no record has: an update or delete of it that gets past validation is a 404.</summary>
    private const string Nobody = "a0ffffff-0000-4000-8000-000000ffffff";

    // A property, not a field: HostileInput.All is built while the other part's fields are initialised.
    private static string[] BadPathIds =>
        ["not-a-uuid", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "1%27%20OR%20%271%27%3D%271", new string('9', 300)];

    private static void AddWriteCases(List<HostileRequest> cases)
    {
        void Send(string id, string method, string path, string? body, int status, string? contentType = "application/json", Dictionary<string, string>? headers = null, string? field = null) =>
            cases.Add(new HostileRequest(id, method, path, body is null ? null : Encoding.UTF8.GetBytes(body), body is null ? null : contentType, status, headers, field));

        foreach (var entity in new[] { "contacts", "companies" })
        {
            var create = $"/api/v3/{entity}/";
            var one = $"/api/v3/{entity}/{Nobody}/";
            var nameField = entity == "contacts" ? "first_name" : "name";
            // The fields with a form (e-mail, URL, phone, uuid, choice, domain), where white space alone is no value.
            var formatted = WriteTables.FieldsWithAFormat(entity).Select(f => f.Path).Append("uuid").ToList();
            foreach (var (method, path) in new[] { ("POST", create), ("PUT", one), ("PATCH", one) })
            {
                var route = $"{method} {entity}";
                Send($"{route} empty body", method, path, "", 400);
                Send($"{route} null", method, path, "null", 400);
                Send($"{route} array", method, path, "[]", 400);
                Send($"{route} string", method, path, "\"x\"", 400);
                Send($"{route} truncated", method, path, "{\"" + nameField + "\":", 400);
                Send($"{route} unknown key", method, path, """{"nope":1}""", 400);
                Send($"{route} a key twice", method, path, $$"""{"{{nameField}}":"a","{{nameField}}":"b"}""", 400, field: nameField);
                Send($"{route} a key twice escaped", method, path, $$"""{"{{nameField}}":"a","\u{{(int)nameField[0]:x4}}{{nameField[1..]}}":"b"}""", 400, field: nameField);
                Send($"{route} a metadata key twice", method, path, """{"metadata":{"city":"a","city":"b"}}""", 400, field: "metadata.city");
                cases.Add(new HostileRequest($"{route} key of invalid utf-8", method, path, [.. "{\""u8, 0xFF, .. "\":1}"u8], "application/json", 400, Field: "\uFFFD"));
                cases.Add(new HostileRequest($"{route} metadata key of invalid utf-8", method, path, [.. "{\"metadata\":{\""u8, 0xFF, .. "\":1}}"u8], "application/json", 400, Field: "metadata.\uFFFD"));
                Send($"{route} deep objects", method, path, string.Concat(Enumerable.Repeat("""{"metadata":""", 100)) + "1" + new string('}', 100), 400);
                Send($"{route} name a number", method, path, $$"""{"{{nameField}}":5}""", 400);
                Send($"{route} name an object", method, path, $$$"""{"{{{nameField}}}":{"$ne":null}}""", 400);
                Send($"{route} name too long", method, path, $$"""{"{{nameField}}":"{{new string('n', 513)}}"}""", 400);
                Send($"{route} control character", method, path, $$"""{"{{nameField}}":"a\u0000b"}""", 400);
                Send($"{route} lone surrogate", method, path, $$"""{"{{nameField}}":"\ud800"}""", 400);
                cases.Add(new HostileRequest($"{route} invalid utf-8", method, path,
                    [.. Encoding.UTF8.GetBytes($"{{\"{nameField}\":\"a"), 0xC3, 0x28, .. "\"}"u8.ToArray()], "application/json", 400));
                Send($"{route} uuid not a uuid", method, path, """{"uuid":"../../x"}""", 400);
                Send($"{route} metadata not an object", method, path, """{"metadata":"x"}""", 400);
                Send($"{route} metadata unknown key", method, path, """{"metadata":{"nope":1}}""", 400);
                Send($"{route} javascript url", method, path, """{"metadata":{"linkedin_url":"javascript:alert(1)"}}""", 400);
                Send($"{route} ftp url", method, path, """{"metadata":{"website":"ftp://example.com/x"}}""", 400);
                Send($"{route} relative url", method, path, """{"metadata":{"twitter_url":"/in/x"}}""", 400);
                Send($"{route} url too long", method, path, $$$"""{"metadata":{"facebook_url":"https://x.example/{{{new string('p', 2048)}}}"}}""", 400);
                Send($"{route} city too long", method, path, $$$"""{"metadata":{"city":"{{{new string('c', 129)}}}"}}""", 400);
                foreach (var field in formatted)
                {
                    var blank = JsonSerializer.Serialize(" \t\u00a0");
                    var body = field.StartsWith("metadata.", StringComparison.Ordinal)
                        ? $$$"""{"metadata":{"{{{field["metadata.".Length..]}}}":{{{blank}}}}}"""
                        : $$"""{"{{field}}":{{blank}}}""";
                    Send($"{route} {field} only white space", method, path, body, 400, field: field);
                }

                Send($"{route} text/plain", method, path, "{}", 415, "text/plain");
                Send($"{route} xml", method, path, "<contact/>", 415, "application/xml");
                Send($"{route} body over the limit", method, path, "{\"x\":\"" + new string('x', (int)Limits.MaxBodyBytes) + "\"}", 413);
                if (entity == "contacts")
                {
                    Send($"{route} email not an email", method, path, """{"email":"not-an-email"}""", 400);
                    Send($"{route} email with a header", method, path, """{"email":"a@b.com\r\nBcc: c@d.com"}""", 400);
                    Send($"{route} email too long", method, path, $$"""{"email":"{{new string('e', 320)}}@x.com"}""", 400);
                    Send($"{route} seniority unknown", method, path, """{"seniority":"boss"}""", 400);
                    Send($"{route} email_status unknown", method, path, """{"email_status":"maybe"}""", 400);
                    Send($"{route} departments a string", method, path, """{"departments":"sales"}""", 400);
                    Send($"{route} departments with null", method, path, """{"departments":[null]}""", 400);
                    Send($"{route} departments with a number", method, path, """{"departments":[5]}""", 400);
                    Send($"{route} departments too many", method, path, "{\"departments\":[" + string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"d{i}\"")) + "]}", 400);
                    Send($"{route} phone with letters", method, path, """{"mobile_phone":"call me maybe"}""", 400);
                    Send($"{route} company_id not a uuid", method, path, """{"company_id":"acme"}""", 400);
                    // On a record that does not exist, that it does not exist comes first.
                    Send($"{route} company_id of nothing", method, path, $$"""{"company_id":"{{MissingCompany}}"}""", method == "POST" ? 422 : 404);
                }
                else
                {
                    Send($"{route} count negative", method, path, """{"employees_count":-1}""", 400);
                    Send($"{route} count a string", method, path, """{"employees_count":"10"}""", 400);
                    Send($"{route} count a fraction", method, path, """{"annual_revenue":1.5}""", 400);
                    Send($"{route} count overflowing", method, path, """{"total_funding":99999999999999999999}""", 400);
                    Send($"{route} count infinite", method, path, """{"total_funding":1e309}""", 400);
                    Send($"{route} industries too many", method, path, "{\"industries\":[" + string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"i{i}\"")) + "]}", 400);
                    Send($"{route} domain without a dot", method, path, """{"metadata":{"normalized_domain":"localhost"}}""", 400);
                    Send($"{route} domain with a path", method, path, """{"metadata":{"normalized_domain":"acme.com/../x"}}""", 400);
                    Send($"{route} funding amount negative", method, path, """{"metadata":{"latest_funding_amount":-5}}""", 400);
                    Send($"{route} address too long", method, path, $$"""{"address":"{{new string('a', 1025)}}"}""", 400);
                }
            }

            foreach (var (method, body) in new[] { ("PUT", "{}"), ("PATCH", "{}"), ("DELETE", null) })
            {
                foreach (var id in BadPathIds)
                {
                    Send($"{method} {entity} id {Shorten(id)}", method, $"/api/v3/{entity}/{id}/", body, 400);
                }

                foreach (var ifMatch in new[] { "garbage", "W/\"1\"", "\"1\", \"2\"", "\"-1\"", "\"99999999999999999999\"" })
                {
                    Send($"{method} {entity} If-Match {ifMatch}", method, one, body, 400, headers: new() { ["If-Match"] = ifMatch });
                }
            }

            Send($"PATCH {entity} merge-patch not json", "PATCH", one, "{", 400, "application/merge-patch+json");
            Send($"PUT {entity} nobody", "PUT", one, "{}", 404);
            Send($"PATCH {entity} nobody", "PATCH", one, "{}", 404);
            Send($"DELETE {entity} nobody", "DELETE", one, null, 404);
        }
    }

    /// <summary>A column name with white space around it: refused by name, as it would become a header unlike any other.</summary>
    private static string[] SpacedNames(string column) => [$" {column}", $"{column} ", $"\t{column}", $"\u00A0{column}", $"{column}\n"];

    private static void AddExportCases(List<HostileRequest> cases)
    {
        void Post(string id, string path, string body, int status = 400, string? contentType = "application/json") =>
            cases.Add(new HostileRequest(id, "POST", path, Encoding.UTF8.GetBytes(body), contentType, status));
        void Send(string id, string method, string path, int status) => cases.Add(new HostileRequest(id, method, path, null, null, status));
        static string Uuids(int count) => "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"{new Guid(i, 0, 0x4000, new byte[8]):D}\"")) + "]";

        foreach (var (route, uuidKey, column, field) in new[]
        {
            ("/api/v3/exports/contacts/export", "contact_uuids", "contact_email", "first_name"),
            ("/api/v3/exports/companies/export", "company_uuids", "company_name", "name"),
        })
        {
            foreach (var body in new[]
            {
                "", "null", "[]", "\"x\"", "{", "{}", """{"nope":1}""",
                $$"""{"{{uuidKey}}":"x"}""", $$"""{"{{uuidKey}}":[]}""", $$"""{"{{uuidKey}}":[5]}""", $$"""{"{{uuidKey}}":[null]}""",
                $$"""{"{{uuidKey}}":["not-a-uuid"]}""", $$"""{"{{uuidKey}}":["../../etc/passwd"]}""",
                $$$"""{"{{{uuidKey}}}":["{{{Nobody}}}"],"query":{}}""",
                """{"query":"x"}""", """{"query":[]}""", """{"query":{"limit":5}}""", """{"query":{"cursor":"x"}}""", """{"query":{"offset":10}}""",
                """{"query":{"select_columns":["uuid"]}}""", """{"query":{"filters":{"and":[{"field":"nope","operator":"eq","value":"x"}]}}}""",
                """{"query":{"sort_by":"nope"}}""", """{"query":{"filters":{"and":"x"}}}""",
                "{\"query\":{\"filters\":{\"and\":[{\"field\":\"" + field + "\",\"operator\":\"eq\",\"value\":\"\\ud800\"}]}}}",
                "{\"query\":{\"filters\":" + string.Concat(Enumerable.Repeat("{\"and\":[", Limits.MaxGroupDepth + 1)) + $"{{\"field\":\"{field}\",\"operator\":\"eq\",\"value\":\"x\"}}" + string.Concat(Enumerable.Repeat("]}", Limits.MaxGroupDepth + 1)) + "}}",
                $$"""{"{{uuidKey}}":["{{Nobody}}"],"columns":"x"}""", $$"""{"{{uuidKey}}":["{{Nobody}}"],"columns":[null]}""",
                $$"""{"{{uuidKey}}":["{{Nobody}}"],"columns":["nope"]}""", $$"""{"{{uuidKey}}":["{{Nobody}}"],"columns":[5]}""",
                $$"""{"{{uuidKey}}":["{{Nobody}}"],"columns":["{{column}}","{{column}}"]}""",
                $$"""{"{{uuidKey}}":["{{Nobody}}"],"columns":["../../etc/passwd"]}""", $$"""{"{{uuidKey}}":["{{Nobody}}"],"columns":["=HYPERLINK(\"x\")"]}""",
                $$"""{"{{uuidKey}}":["{{Nobody}}"],"columns":[{{string.Join(",", Enumerable.Repeat($"\"{column}\"", 200))}}]}""",
            })
            {
                Post($"{route} {Shorten(body)}", route, body);
            }

            Post($"{route} one uuid over the limit", route, $"{{\"{uuidKey}\":{Uuids(100_001)}}}");
            Post($"{route} text/plain", route, "{}", 415, "text/plain");
            Post($"{route} body over the limit", route, "{\"x\":\"" + new string('x', (int)Limits.MaxLargeBodyBytes) + "\"}", 413);
            Post($"{route} a column named {Shorten(Injections[0])}", route, $"{{\"{uuidKey}\":[\"{Nobody}\"],\"columns\":[{JsonSerializer.Serialize(Injections[0])}]}}");
            foreach (var spaced in SpacedNames(column))
            {
                Post($"{route} column {JsonText(spaced)}", route, $"{{\"{uuidKey}\":[\"{Nobody}\"],\"columns\":[{JsonSerializer.Serialize(spaced)}]}}");
                Post($"{route} query column {JsonText(spaced)}", route, $"{{\"query\":{{}},\"columns\":[{JsonSerializer.Serialize(spaced)}]}}");
            }
        }

        const string Chunked = "/api/v3/exports/contacts/export/chunked";
        foreach (var body in new[]
        {
            "{}", """{"chunks":"x"}""", """{"chunks":[]}""", """{"chunks":[5]}""", """{"chunks":[[5]]}""", """{"chunks":[["bad"]]}""",
            """{"chunks":[[null]]}""", $$"""{"chunks":[["{{Nobody}}"]],"merge":"yes"}""", $$"""{"chunks":[["{{Nobody}}"]],"columns":["nope"]}""",
            "{\"chunks\":[" + string.Join(",", Enumerable.Repeat($"[\"{Nobody}\"]", 101)) + "]}",
            "{\"chunks\":[" + Uuids(10_001) + "]}",
            "{\"chunks\":[[[[[[[[\"x\"]]]]]]]]}",
        })
        {
            Post($"{Chunked} {Shorten(body)}", Chunked, body);
        }

        foreach (var spaced in SpacedNames("contact_uuid"))
        {
            Post($"{Chunked} column {JsonText(spaced)}", Chunked, $"{{\"chunks\":[[\"{Nobody}\"]],\"columns\":[{JsonSerializer.Serialize(spaced)}]}}");
        }

        foreach (var query in new[]
        {
            "page=0", "page=x", "page=-1", "page_size=0", "page_size=101", "page_size=x", "status=nope", "status=%27%20OR%201%3D1",
            "export_type=nope", "created_at_after=yesterday", "created_at_before=2025-13-01", "page=99999999999",
        })
        {
            Send($"exports list ?{Shorten(query)}", "GET", $"/api/v3/exports/?{query}", 400);
        }

        // A malformed export id is "not found" like another user's export, so no answer tells ids apart; a download
        // checks its token first.
        foreach (var id in BadPathIds.Append("00000000-0000-0000-0000-00000000000g"))
        {
            Send($"export status {Shorten(id)}", "GET", $"/api/v3/exports/{id}/status", 404);
            Send($"export cancel {Shorten(id)}", "DELETE", $"/api/v3/exports/{id}/cancel", 404);
            Send($"export download {Shorten(id)}", "GET", $"/api/v3/exports/{id}/download?token=x", 401);
        }

        Send("export status of nothing", "GET", $"/api/v3/exports/{Nobody}/status", 404);
        Send("export cancel of nothing", "DELETE", $"/api/v3/exports/{Nobody}/cancel", 404);
        Send("export download without a token", "GET", $"/api/v3/exports/{Nobody}/download", 400);
        Send("export download with a forged token", "GET", $"/api/v3/exports/{Nobody}/download?token=eyJhIjoxfQ.AAAA", 401);
        Send("export download with a token too long", "GET", $"/api/v3/exports/{Nobody}/download?token={new string('t', 4097)}", 400);
        Send("export download file name traversal", "GET", $"/api/v3/exports/{Nobody}/download?token=x&file=..%2F..%2Fetc%2Fpasswd", 401);
    }
}
