using System.Text;
using Connectra.Backend.FunctionalTests.Infrastructure;

namespace Connectra.Backend.FunctionalTests.Validation;

/// <summary>Webhook subscriptions: every string, list and page bounded, and every target the SSRF rules refuse.</summary>
public static partial class HostileInput
{
    private static void AddWebhookCases(List<HostileRequest> cases)
    {
        const string Root = "/api/v3/webhooks";
        var one = $"{Root}/{RouteRule.SavedSearch}";
        void Send(string id, string method, string path, string? body, int status = 400, string? field = null) =>
            cases.Add(new HostileRequest($"webhook {id}", method, path, body is null ? null : Encoding.UTF8.GetBytes(body),
                body is null ? null : "application/json", status, Field: field));
        static string Hook(string url, string types = """["contact.created"]""") =>
            "{\"url\":" + System.Text.Json.JsonSerializer.Serialize(url) + ",\"event_types\":" + types + "}";

        foreach (var (method, path) in new[] { ("POST", Root), ("PUT", one) })
        {
            Send($"{method} no url", method, path, """{"event_types":["contact.created"]}""", field: "url");
            Send($"{method} empty url", method, path, Hook(""), field: "url");
            Send($"{method} url too long", method, path, Hook("https://203.0.113.10/" + new string('a', 2100)), field: "url");
            Send($"{method} url a number", method, path, """{"url":5,"event_types":["contact.created"]}""");
            Send($"{method} url relative", method, path, Hook("/hooks"), field: "url");
            Send($"{method} url ftp", method, path, Hook("ftp://203.0.113.10/x"), field: "url");
            Send($"{method} url javascript", method, path, Hook("javascript:alert(1)"), field: "url");
            Send($"{method} url file", method, path, Hook("file:///etc/passwd"), field: "url");
            Send($"{method} url http", method, path, Hook("http://203.0.113.10/hook"), field: "url");
            Send($"{method} url with user info", method, path, Hook("https://user:pw@203.0.113.10/hook"), field: "url");
            foreach (var (name, target) in new[]
            {
                ("loopback", "https://127.0.0.1/hook"),
                ("loopback 127.1.2.3", "https://127.1.2.3/hook"),
                ("localhost", "https://localhost/hook"),
                ("metadata", "https://169.254.169.254/latest/meta-data"),
                ("ipv6 loopback", "https://[::1]/hook"),
                ("ipv4-mapped loopback", "https://[::ffff:127.0.0.1]/hook"),
                ("ipv4-mapped metadata", "https://[::ffff:169.254.169.254]/hook"),
                ("private 10", "https://10.0.0.1/hook"),
                ("private 172.16", "https://172.16.5.4/hook"),
                ("private 192.168", "https://192.168.1.1/hook"),
                ("cgnat", "https://100.64.0.1/hook"),
                ("unique local", "https://[fc00::1]/hook"),
                ("ipv6 link-local", "https://[fe80::1]/hook"),
                ("unspecified", "https://0.0.0.0/hook"),
                ("ipv6 unspecified", "https://[::]/hook"),
                ("multicast", "https://224.0.0.1/hook"),
                ("broadcast", "https://255.255.255.255/hook"),
                ("decimal loopback", "https://2130706433/hook"),
                ("6to4 private", "https://[2002:0a00:0001::1]/hook"),
            })
            {
                Send($"{method} ssrf {name}", method, path, Hook(target), field: "url");
            }

            Send($"{method} no event types", method, path, """{"url":"https://203.0.113.10/hook"}""", field: "event_types");
            Send($"{method} empty event types", method, path, Hook("https://203.0.113.10/hook", "[]"), field: "event_types");
            Send($"{method} event type unknown", method, path, Hook("https://203.0.113.10/hook", """["contact.exploded"]"""), field: "event_types");
            Send($"{method} event type test", method, path, Hook("https://203.0.113.10/hook", """["webhook.test"]"""), field: "event_types");
            Send($"{method} event types a string", method, path, Hook("https://203.0.113.10/hook", "\"contact.created\""));
            Send($"{method} event types too many", method, path,
                Hook("https://203.0.113.10/hook", "[" + string.Join(',', Enumerable.Repeat("\"contact.created\"", 17)) + "]"), field: "event_types");
            Send($"{method} enabled text", method, path, """{"url":"https://203.0.113.10/hook","event_types":["contact.created"],"enabled":"yes"}""");
            Send($"{method} description too long", method, path,
                "{\"url\":\"https://203.0.113.10/hook\",\"event_types\":[\"contact.created\"],\"description\":\"" + new string('d', 501) + "\"}", field: "description");
            Send($"{method} unknown key", method, path, """{"url":"https://203.0.113.10/hook","event_types":["contact.created"],"secret":"whsec_x"}""");
        }

        foreach (var query in new[] { "page=0", "page_size=0", "page_size=101", "page=100001" })
        {
            Send($"GET list {query}", "GET", $"{Root}?{query}", null);
            Send($"GET deliveries {query}", "GET", $"{one}/deliveries?{query}", null);
        }

        Send("GET one not a uuid", "GET", $"{Root}/{new string('x', 300)}", null, 404);
        Send("replay no from_sequence", "POST", $"{one}/replay", "{}", field: "from_sequence");
        Send("replay from_sequence 0", "POST", $"{one}/replay", """{"from_sequence":0}""", field: "from_sequence");
        Send("replay from_sequence negative", "POST", $"{one}/replay", """{"from_sequence":-5}""", field: "from_sequence");
        Send("replay from_sequence text", "POST", $"{one}/replay", """{"from_sequence":"1"}""");
        Send("replay from_sequence huge", "POST", $"{one}/replay", """{"from_sequence":99999999999999999999}""");
        Send("replay unknown key", "POST", $"{one}/replay", """{"from_sequence":1,"to_sequence":2}""");
    }
}
