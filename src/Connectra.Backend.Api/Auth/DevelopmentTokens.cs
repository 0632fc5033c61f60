using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Connectra.Backend.Api.Auth;

/// <summary>Mints HS256 access tokens the API accepts: what run.sh prints, and what the tests send.</summary>
public static class DevelopmentTokens
{
    public static string Create(
        AuthOptions options, string userId, TimeSpan lifetime, TimeProvider clock, params string[] roles)
    {
        var key = options.SigningKey
            ?? throw new InvalidOperationException("Auth:SigningKey is not set; tokens from an OIDC authority cannot be minted here.");
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object> { ["sub"] = userId };
        if (roles.Length > 0)
        {
            claims["role"] = roles;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Claims = claims,
            Subject = new ClaimsIdentity(),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }
}
