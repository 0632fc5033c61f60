using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Connectra.Backend.Api.Auth;
using Connectra.Backend.Api.ErrorHandling;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.Auth;

/// <summary>
/// Every route of <see cref="RouteTable"/> against every kind of caller, each expecting what docs/operations.md
/// promises: 401 or 403 problem documents, 404 for another user's export or import, anything else where the caller is allowed.
/// </summary>
public sealed class AuthorizationMatrixTests(FakeConnectraHost api) : IClassFixture<FakeConnectraHost>
{
    public enum Caller
    {
        NoToken,
        Expired,
        WrongSignature,
        /// <summary>A valid token without a role claim, as the frontend sends: the default role applies.</summary>
        Roleless,
        Reader,
        Writer,
        Admin,
        /// <summary>A reader asking for an export someone else owns.</summary>
        AnotherUser,
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Routes => new(RouteTable.All.Select(r => r.ToString()));

    [Fact]
    public void Every_mapped_route_has_a_row_and_every_row_a_route()
    {
        var rows = RouteTable.All.Select(r => r.Key).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(rows, RouteTable.Mapped(api.Services));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Each_caller_gets_the_documented_answer(string name)
    {
        var route = RouteTable.Named(name);
        var run = Guid.NewGuid().ToString("N")[..8];
        string Subject(Caller caller) => $"{caller}-{run}".ToLowerInvariant();
        var owner = $"owner-{run}";
        var exports = new Dictionary<string, string>();
        if (route.OwnerScoped)
        {
            foreach (var user in Enum.GetValues<Caller>().Select(Subject).Append(owner))
            {
                exports[user] = route.Template.Contains("{importId}", StringComparison.Ordinal) ? await CreateImportAsync(user) : await CreateExportAsync(user);
            }
        }

        foreach (var caller in Enum.GetValues<Caller>())
        {
            // Callers without a usable token ask for the reader's export: the token is what must stop them.
            var user = caller is Caller.NoToken or Caller.Expired or Caller.WrongSignature ? Subject(Caller.Reader) : Subject(caller);
            var exportId = !route.OwnerScoped ? "" : caller == Caller.AnotherUser ? exports[owner] : exports[user];
            using var request = Request(route, exportId, user);
            request.Headers.Authorization = Token(caller, user, route.Access, route.OwnerScoped) is { } token ? new AuthenticationHeaderValue("Bearer", token) : null;
            using var client = api.CreateClient();

            using var response = await client.SendAsync(request, Ct);

            var expected = Expected(route, caller);
            var context = $"{route} as {caller}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}";
            if (expected is { } status)
            {
                Assert.True(response.StatusCode == status, $"expected {(int)status}; {context}");
                await Problems.AssertProblemAsync(response, status, status switch
                {
                    HttpStatusCode.Unauthorized => ProblemTypes.Unauthorized,
                    HttpStatusCode.Forbidden => ProblemTypes.Forbidden,
                    _ => ProblemTypes.NotFound,
                });
            }
            else
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"expected access; {context}");
            }
        }
    }

    /// <summary>The refusal a caller must meet, or null where it must be let through.</summary>
    private static HttpStatusCode? Expected(RouteRule route, Caller caller) => (route.Access, caller) switch
    {
        (Access.Anonymous, _) => null,
        (_, Caller.NoToken or Caller.Expired or Caller.WrongSignature) => HttpStatusCode.Unauthorized,
        // Not 403: another user's export must be indistinguishable from one that does not exist.
        (_, Caller.AnotherUser) when route.OwnerScoped => HttpStatusCode.NotFound,
        (Access.Reader, _) => null,
        (Access.Writer, Caller.Writer or Caller.Admin) => null,
        (Access.Admin, Caller.Admin) => null,
        _ => HttpStatusCode.Forbidden,
    };

    private static string? Token(Caller caller, string user, Access access, bool owned) => caller switch
    {
        // Someone who may use the route, only not on this owner's job.
        Caller.AnotherUser when access == Access.Writer && owned => Tokens.Create(user, AuthSetup.WriterRole),
        Caller.NoToken => null,
        Caller.Expired => Tokens.Expired(user, AuthSetup.AdminRole),
        Caller.WrongSignature => Tokens.WrongSignature(user, AuthSetup.AdminRole),
        Caller.Roleless => Tokens.Create(user),
        Caller.Writer => Tokens.Create(user, AuthSetup.WriterRole),
        Caller.Admin => Tokens.Create(user, AuthSetup.AdminRole),
        _ => Tokens.Create(user, AuthSetup.ReaderRole),
    };

    private HttpRequestMessage Request(RouteRule route, string exportId, string user)
    {
        var path = route.Path(exportId);
        if (route.Template.EndsWith("/download", StringComparison.Ordinal))
        {
            // A download token the API itself would issue to this user for this id: only ownership can refuse it.
            var token = api.Services.GetRequiredService<IDownloadTokens>().Create(exportId, user, DateTimeOffset.UtcNow.AddMinutes(5));
            path += "?token=" + Uri.EscapeDataString(token);
        }

        return new HttpRequestMessage(new HttpMethod(route.Method), path)
        {
            Content = route.Body is null ? null : new StringContent(route.Body, Encoding.UTF8, "application/json"),
        };
    }

    private async Task<string> CreateImportAsync(string user)
    {
        using var client = Tokens.Authorize(api.CreateClient(), user, AuthSetup.WriterRole);
        using var file = new StringContent("email\r\n", Encoding.UTF8, "text/csv");
        using var response = await client.PostAsync("/api/v3/imports/contacts?match_on=email&dry_run=true", file, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("import_id").GetString()!;
    }

    private async Task<string> CreateExportAsync(string user)
    {
        using var client = Tokens.Authorize(api.CreateClient(), user, AuthSetup.ReaderRole);
        using var response = await client.PostAsJsonAsync("/api/v3/exports/contacts/export", new { contact_uuids = new[] { FakeConnectra.Contact } }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("export_id").GetString()!;
    }
}
