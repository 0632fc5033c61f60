using System.Net.Http.Headers;
using Connectra.Backend.Api.Auth;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

public static class Tokens
{
    /// <summary>The settings the Development environment runs with (appsettings.Development.json).</summary>
    public static AuthOptions Development { get; } = new() { SigningKey = AuthOptions.DevelopmentSigningKey };

    public static string Create(string userId = "test-user", params string[] roles) =>
        DevelopmentTokens.Create(Development, userId, TimeSpan.FromHours(1), TimeProvider.System, roles);

    public static HttpClient Authorize(HttpClient client, string userId = "test-user", params string[] roles)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Create(userId, roles));
        return client;
    }
}
