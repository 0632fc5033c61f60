using System.Net.Http.Headers;
using Connectra.Backend.Api.Auth;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

public static class Tokens
{
    /// <summary>The settings the Development environment runs with (appsettings.Development.json).</summary>
    public static AuthOptions Development { get; } = new() { SigningKey = AuthOptions.DevelopmentSigningKey };

    public static string Create(string userId = "test-user", params string[] roles) =>
        DevelopmentTokens.Create(Development, userId, TimeSpan.FromHours(1), TimeProvider.System, roles);

    /// <summary>Right key and claims, but it expired an hour ago.</summary>
    public static string Expired(string userId = "test-user", params string[] roles) =>
        DevelopmentTokens.Create(Development, userId, TimeSpan.FromHours(1), new ShiftedClock(TimeSpan.FromHours(-2)), roles);

    /// <summary>Well-formed and unexpired, signed with a key the API does not know.</summary>
    public static string WrongSignature(string userId = "test-user", params string[] roles) =>
        DevelopmentTokens.Create(new AuthOptions { SigningKey = new string('k', 48) }, userId, TimeSpan.FromHours(1), TimeProvider.System, roles);

    public static HttpClient Authorize(HttpClient client, string userId = "test-user", params string[] roles)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Create(userId, roles));
        return client;
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
