using Connectra.Backend.Application.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Api.Webhooks;

/// <summary>
/// Webhook signing secrets encrypted at rest with ASP.NET Core Data Protection (docs/webhooks.md#secrets). The key
/// ring lives in Webhooks:KeyRingPath, outside the database, and is shared by every replica: a copy of the database
/// alone does not reveal the secrets.
/// </summary>
internal sealed class WebhookSecretProtection(IDataProtectionProvider provider) : IWebhookSecrets
{
    private readonly IDataProtector _protector = provider.CreateProtector("Connectra.Backend.Webhooks.Secret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string stored) => _protector.Unprotect(stored);

    public static IServiceCollection Add(IServiceCollection services, IConfiguration configuration)
    {
        var path = configuration[$"{WebhookOptions.SectionName}:{nameof(WebhookOptions.KeyRingPath)}"] is { Length: > 0 } configured
            ? configured
            : new WebhookOptions().KeyRingPath;
        services.AddDataProtection()
            .SetApplicationName("connectra-backend")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(path)));
        services.AddSingleton<IWebhookSecrets, WebhookSecretProtection>();
        return services;
    }
}
