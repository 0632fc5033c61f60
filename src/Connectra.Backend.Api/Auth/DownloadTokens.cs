using System.Security.Claims;
using System.Text;
using Connectra.Backend.Application.Exports;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Connectra.Backend.Api.Auth;

/// <summary>
/// Download tokens: HS256 JWTs of type <c>export_download</c> naming one export and one user, valid for minutes
/// (Exports:DownloadTokenLifetime). Signed with Exports:DownloadTokenKey, which every replica shares.
/// </summary>
internal sealed class DownloadTokens(IOptions<ExportOptions> options, TimeProvider clock) : IDownloadTokens
{
    private const string Type = "export_download";
    private const string Issuer = "connectra-backend-exports";
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    private SymmetricSecurityKey Key => new(Encoding.UTF8.GetBytes(
        options.Value.DownloadTokenKey ?? throw new InvalidOperationException("Exports:DownloadTokenKey is not configured.")));

    public string Create(string exportId, string userId, DateTimeOffset notAfter)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            Claims = new Dictionary<string, object> { ["export_id"] = exportId, ["sub"] = userId, ["type"] = Type },
            Subject = new ClaimsIdentity(),
            IssuedAt = now,
            NotBefore = now,
            Expires = notAfter.UtcDateTime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }

    public async Task<(string ExportId, string UserId)?> ReadAsync(string token)
    {
        if (token.Length > 4096)
        {
            return null;
        }

        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Issuer,
            IssuerSigningKey = Key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(5),
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } end && end > clock.GetUtcNow().UtcDateTime && (notBefore is null || notBefore <= clock.GetUtcNow().UtcDateTime.AddSeconds(5)),
        });
        return result.IsValid
            && result.Claims.TryGetValue("type", out var type) && Type.Equals(type as string, StringComparison.Ordinal)
            && result.Claims.TryGetValue("export_id", out var exportId) && exportId is string export
            && result.Claims.TryGetValue("sub", out var sub) && sub is string user
                ? (export, user)
                : null;
    }
}
