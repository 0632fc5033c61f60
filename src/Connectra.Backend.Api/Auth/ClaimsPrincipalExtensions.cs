using System.Security.Claims;

namespace Connectra.Backend.Api.Auth;

internal static class ClaimsPrincipalExtensions
{
    /// <summary>The caller's id: the token's <c>sub</c>. There is no users table; the identity provider owns users.</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value ?? throw new InvalidOperationException("An authenticated principal without 'sub'.");
}
