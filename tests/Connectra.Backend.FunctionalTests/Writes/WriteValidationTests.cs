using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.Application.Writing;
using Connectra.Backend.FunctionalTests.Infrastructure;

namespace Connectra.Backend.FunctionalTests.Writes;

/// <summary>Every write route refuses bad input with a problem document naming the field, and never stores any of it.</summary>
[Collection(WriteTestGroup.Name)]
public sealed class WriteValidationTests(WriteHost stack)
{
    private static readonly string Long = new('x', 300);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Bodies a create refuses, with the field the problem must name. Every row also runs as PUT and PATCH.</summary>
    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "contacts", """{"nope":1}""", "nope" },
        { "contacts", """{"first_name":"a","first_name":"b"}""", "first_name" },
        { "contacts", """{"first_name":5}""", "first_name" },
        { "contacts", $$"""{"first_name":"{{Long}}"}""", "first_name" },
        { "contacts", """{"first_name":"nul\u0000byte"}""", "first_name" },
        { "contacts", """{"last_name":"\ud800"}""", "last_name" },
        { "contacts", """{"email":"not-an-email"}""", "email" },
        { "contacts", """{"email":"a@b"}""", "email" },
        { "contacts", """{"email_status":"sure"}""", "email_status" },
        { "contacts", """{"seniority":"boss"}""", "seniority" },
        { "contacts", """{"departments":"engineering"}""", "departments" },
        { "contacts", """{"departments":[1]}""", "departments[0]" },
        { "contacts", $$"""{"departments":[{{string.Join(',', Enumerable.Range(0, 65).Select(i => $"\"d{i}\""))}}]}""", "departments" },
        { "contacts", """{"company_id":"not-a-uuid"}""", "company_id" },
        { "contacts", """{"mobile_phone":"call me"}""", "mobile_phone" },
        { "contacts", """{"uuid":"nope"}""", "uuid" },
        { "contacts", """{"metadata":[]}""", "metadata" },
        { "contacts", """{"metadata":{"bogus":"x"}}""", "metadata.bogus" },
        { "contacts", """{"metadata":{"linkedin_url":"javascript:alert(1)"}}""", "metadata.linkedin_url" },
        { "contacts", """{"metadata":{"website":"ftp://example.com"}}""", "metadata.website" },
        { "contacts", """{"metadata":{"city":["lyon"]}}""", "metadata.city" },
        { "companies", """{"employees_count":-1}""", "employees_count" },
        { "companies", """{"employees_count":1.5}""", "employees_count" },
        { "companies", """{"employees_count":"10"}""", "employees_count" },
        { "companies", """{"annual_revenue":1e30}""", "annual_revenue" },
        { "companies", $$"""{"industries":["{{new string('i', 200)}}"]}""", "industries[0]" },
        { "companies", """{"name":{"first":"x"}}""", "name" },
        { "companies", """{"metadata":{"normalized_domain":"not a domain"}}""", "metadata.normalized_domain" },
        { "companies", """{"metadata":{"latest_funding_amount":-5}}""", "metadata.latest_funding_amount" },
        { "companies", """{"metadata":{"phone_number":"ring ring"}}""", "metadata.phone_number" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_refused_naming_the_field_on_every_write_route(string entity, string body, string field)
    {
        using var writer = stack.Writer();
        var existing = await ExistingAsync(writer, entity);
        // Only what writes record: the dispatcher adds payload-less refresh rows of its own at any time.
        const string Written = "SELECT count(*) FROM connectra_outbox WHERE payload IS NOT NULL";
        var before = await stack.ScalarAsync(Written, Ct);

        foreach (var (method, route) in new[]
        {
            (HttpMethod.Post, $"/api/v3/{entity}/"),
            (HttpMethod.Put, $"/api/v3/{entity}/{existing}/"),
            (HttpMethod.Patch, $"/api/v3/{entity}/{existing}/"),
        })
        {
            using var response = await writer.SendAsync(new HttpRequestMessage(method, route) { Content = WriteHost.Body(body) }, Ct);
            var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{method} {route}: {problem}");
        }

        Assert.Equal(before, await stack.ScalarAsync(Written, Ct));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    [InlineData("{")]
    [InlineData("")]
    public async Task A_body_that_is_no_object_is_a_400(string body)
    {
        using var writer = stack.Writer();
        using var response = await writer.PostAsync("/api/v3/contacts/", WriteHost.Body(body), Ct);
        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_company_id_that_names_no_company_is_a_422_naming_it()
    {
        using var writer = stack.Writer();
        using var response = await writer.PostAsync("/api/v3/contacts/", WriteHost.Body($$"""{"company_id":"{{Guid.NewGuid()}}"}"""), Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Unprocessable);
        Assert.True(problem.GetProperty("errors").TryGetProperty("company_id", out _));
    }

    [Theory]
    [InlineData("contacts")]
    [InlineData("companies")]
    public async Task Updates_and_deletes_of_a_record_that_does_not_exist_are_404(string entity)
    {
        using var writer = stack.Writer();
        var route = $"/api/v3/{entity}/{Guid.NewGuid()}/";
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete })
        {
            using var request = new HttpRequestMessage(method, route) { Content = method == HttpMethod.Delete ? null : WriteHost.Body("""{"name":"x"}""".Replace("name", entity == "contacts" ? "title" : "name", StringComparison.Ordinal)) };
            using var response = await writer.SendAsync(request, Ct);
            await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        }
    }

    [Fact]
    public async Task A_path_uuid_that_is_no_uuid_or_differs_from_the_body_is_a_400()
    {
        using var writer = stack.Writer();
        var existing = await ExistingAsync(writer, "contacts");

        using var badPath = await writer.PutAsync("/api/v3/contacts/not-a-uuid/", WriteHost.Body("{}"), Ct);
        Assert.True((await Problems.AssertProblemAsync(badPath, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("contact_uuid", out _));

        using var other = await writer.PutAsync($"/api/v3/contacts/{existing}/", WriteHost.Body($$"""{"uuid":"{{Guid.NewGuid()}}"}"""), Ct);
        Assert.True((await Problems.AssertProblemAsync(other, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("uuid", out _));
    }

    [Theory]
    [InlineData("W/\"1\"")]
    [InlineData("\"one\"")]
    [InlineData("\"1\", \"2\"")]
    [InlineData("1")]
    public async Task An_if_match_that_names_no_version_is_a_400_naming_the_header(string ifMatch)
    {
        using var writer = stack.Writer();
        var existing = await ExistingAsync(writer, "contacts");
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v3/contacts/{existing}/") { Content = WriteHost.Body("""{"title":"x"}""") };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);

        using var response = await writer.SendAsync(request, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("If-Match", out _), problem.ToString());
    }

    [Fact]
    public async Task If_match_any_accepts_whatever_version_is_stored()
    {
        using var writer = stack.Writer();
        var existing = await ExistingAsync(writer, "contacts");
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v3/contacts/{existing}/") { Content = WriteHost.Body("""{"title":"x"}""") };
        request.Headers.TryAddWithoutValidation("If-Match", "*");

        using var response = await writer.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Only_writers_and_admins_may_write()
    {
        var routes = new[] { (HttpMethod.Post, "/api/v3/contacts/"), (HttpMethod.Put, $"/api/v3/companies/{Guid.NewGuid()}/"), (HttpMethod.Delete, $"/api/v3/contacts/{Guid.NewGuid()}/") };
        using var reader = stack.Reader();
        using var anonymous = stack.CreateClient();
        using var admin = Tokens.Authorize(stack.CreateClient(), "admin-user", "admin");
        foreach (var (method, route) in routes)
        {
            using (var forbidden = await reader.SendAsync(new HttpRequestMessage(method, route) { Content = WriteHost.Body("{}") }, Ct))
            {
                var problem = await Problems.AssertProblemAsync(forbidden, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
                Assert.Contains("writer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            using (var unauthorized = await anonymous.SendAsync(new HttpRequestMessage(method, route) { Content = WriteHost.Body("{}") }, Ct))
            {
                await Problems.AssertProblemAsync(unauthorized, HttpStatusCode.Unauthorized);
            }
        }

        using var created = await admin.PostAsync("/api/v3/contacts/", WriteHost.Body("{}"), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415()
    {
        using var writer = stack.Writer();
        using var content = new StringContent("first_name=Ada");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await writer.PostAsync("/api/v3/contacts/", content, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    public static TheoryData<string> Entities => ["contacts", "companies"];

    /// <summary>
    /// Every field of the write tables that has a format (e-mail, URL, phone, uuid, choice, domain), and the body's
    /// uuid: white space alone is none of those forms, so it is refused naming the field on create, replace and patch,
    /// and nothing is stored; an empty string still clears the field.
    /// </summary>
    [Theory]
    [MemberData(nameof(Entities))]
    public async Task White_space_alone_in_a_field_with_a_format_is_refused_and_an_empty_string_clears_it(string entity)
    {
        using var writer = stack.Writer();
        var (company, _) = await WriteHost.CreateAsync(writer, "companies", "{}");
        var fields = WriteTables.FieldsWithAFormat(entity);
        Assert.NotEmpty(fields);
        var filled = new JsonObject { ["metadata"] = new JsonObject() };
        foreach (var (name, inMetadata, value) in fields)
        {
            (inMetadata ? filled["metadata"]!.AsObject() : filled)[name] = Sample(value, company);
        }

        var (existing, _) = await WriteHost.CreateAsync(writer, entity, filled.ToJsonString());
        const string Written = "SELECT count(*) FROM connectra_outbox WHERE payload IS NOT NULL";
        var before = await stack.ScalarAsync(Written, Ct);
        var located = fields.Select(f => (f.Path, f.Name, f.InMetadata)).Append(("uuid", "uuid", false));
        foreach (var (path, name, inMetadata) in located)
        {
            foreach (var blank in new[] { " ", "\t\r\n", "\u00a0\u3000" })
            {
                foreach (var (method, route) in new[]
                {
                    (HttpMethod.Post, $"/api/v3/{entity}/"), (HttpMethod.Put, $"/api/v3/{entity}/{existing}/"), (HttpMethod.Patch, $"/api/v3/{entity}/{existing}/"),
                })
                {
                    using var response = await writer.SendAsync(new HttpRequestMessage(method, route) { Content = WriteHost.Body(Body(name, inMetadata, blank)) }, Ct);
                    var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation);
                    Assert.True(problem.GetProperty("errors").TryGetProperty(path, out _), $"{method} {path}={JsonSerializer.Serialize(blank)}: {problem}");
                }
            }
        }

        Assert.Equal(before, await stack.ScalarAsync(Written, Ct));
        foreach (var (name, inMetadata, _) in fields)
        {
            using var cleared = await writer.PatchAsync($"/api/v3/{entity}/{existing}/", WriteHost.Body(Body(name, inMetadata, "")), Ct);
            var stored = await cleared.Content.ReadFromJsonAsync<JsonElement>(Ct);

            Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
            Assert.Equal(JsonValueKind.Null, (inMetadata ? stored.GetProperty("metadata") : stored).GetProperty(name).ValueKind);
        }

        static string Body(string name, bool inMetadata, string value)
        {
            var field = new JsonObject { [name] = value };
            return (inMetadata ? new JsonObject { ["metadata"] = field } : field).ToJsonString();
        }
    }

    /// <summary>A value of the field's form; a uuid names <paramref name="company"/>, which exists.</summary>
    private static string Sample(WriteValue value, string company) => value.Kind switch
    {
        WriteKind.Email => "ada@example.com",
        WriteKind.Url => "https://example.com/ada",
        WriteKind.Phone => "+33 1 23 45 67 89",
        WriteKind.Uuid => company,
        WriteKind.Choice => value.Choices![0],
        WriteKind.Domain => "example.com",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "a kind without a format"),
    };

    private static async Task<string> ExistingAsync(HttpClient writer, string entity)
    {
        using var response = await writer.PostAsync($"/api/v3/{entity}/", WriteHost.Body("{}"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("uuid").GetString()!;
    }
}
