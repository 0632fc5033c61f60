using System.Text;

namespace Connectra.Backend.Api.Auth;

/// <summary>
/// Bearer-token settings ("Auth" section). Either an OIDC <see cref="Authority"/> (tokens checked against its
/// published keys) or an HS256 <see cref="SigningKey"/> shared with the token issuer.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// Signs the tokens run.sh prints. Public on purpose (it is in git), which is why anything but Development
    /// refuses to start with it.
    /// </summary>
    public const string DevelopmentSigningKey = "connectra-backend-development-only-signing-key-0123456789";

    /// <summary>HS256 key, at least 32 bytes. Take it from an environment variable or a secret store.</summary>
    public string? SigningKey { get; set; }

    /// <summary>OIDC issuer URL; when set, signing keys come from its discovery document.</summary>
    public Uri? Authority { get; set; }

    public string Issuer { get; set; } = "connectra-backend";

    public string Audience { get; set; } = "connectra-backend";

    /// <summary>Tolerated clock difference between the token issuer and us.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The role of a valid token that names none: the frontend's tokens carry no <c>role</c> claim and must keep
    /// reading. Empty makes such tokens authenticate but pass no role-gated route (403). Never admin: that is
    /// granted by name only.
    /// </summary>
    public string? DefaultRole { get; set; } = AuthSetup.ReaderRole;

    internal IEnumerable<string> Problems(bool isDevelopment)
    {
        if (Authority is null && string.IsNullOrEmpty(SigningKey))
        {
            yield return "Auth:SigningKey (HS256, at least 32 bytes) or Auth:Authority (OIDC issuer) is required.";
        }

        if (!string.IsNullOrEmpty(SigningKey) && Encoding.UTF8.GetByteCount(SigningKey) < 32)
        {
            yield return "Auth:SigningKey must be at least 32 bytes long.";
        }

        if (!isDevelopment && SigningKey == DevelopmentSigningKey)
        {
            yield return "Auth:SigningKey is the public development key; refusing to start outside Development. Set a secret key.";
        }

        if (DefaultRole is { Length: > 0 } role && role is not (AuthSetup.ReaderRole or AuthSetup.WriterRole))
        {
            yield return $"Auth:DefaultRole must be {AuthSetup.ReaderRole}, {AuthSetup.WriterRole} or empty, not '{role}'.";
        }

        if (Authority is { IsAbsoluteUri: false })
        {
            yield return "Auth:Authority must be an absolute URL.";
        }
    }
}
