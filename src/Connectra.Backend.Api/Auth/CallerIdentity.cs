using System.Security.Claims;

namespace Connectra.Backend.Api.Auth;

internal static class CallerIdentity
{
    /// <summary>
    /// The authenticated caller's id: the token's <c>sub</c>. The authentication layer only lets tokens through, so a
    /// token without one is refused there (see <see cref="AuthSetup"/>); this never sees an anonymous caller.
    /// </summary>
    public static string CallerId(this ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value is { Length: > 0 } id
            ? id
            : throw new InvalidOperationException("An authenticated request without a subject reached an action.");
}
