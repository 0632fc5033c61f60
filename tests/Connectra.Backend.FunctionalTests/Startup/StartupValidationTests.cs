using Connectra.Backend.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.FunctionalTests.Startup;

public sealed class StartupValidationTests(ApiFactory api) : ApiTestBase(api)
{
    [Theory]
    [InlineData("Connectra:BaseUrl", "", "Connectra:BaseUrl is required")]
    [InlineData("Connectra:BaseUrl", "not a url", "Connectra:BaseUrl must be an absolute http or https URL")]
    [InlineData("Connectra:BaseUrl", "ftp://connectra", "Connectra:BaseUrl must be an absolute http or https URL")]
    [InlineData("Connectra:ApiKey", "", "Connectra:ApiKey is required")]
    [InlineData("Connectra:HealthProbeTimeout", "00:10:00", "Connectra:HealthProbeTimeout must be between")]
    [InlineData("ConnectionStrings:Backend", "", "ConnectionStrings:Backend is required")]
    [InlineData("Auth:SigningKey", "short", "Auth:SigningKey must be at least 32 bytes")]
    [InlineData("Auth:SigningKey", "", "Auth:SigningKey (HS256, at least 32 bytes) or Auth:Authority (OIDC issuer) is required")]
    [InlineData("Connectra:Resilience:AttemptTimeout:Timeout", "00:01:00", "Total request timeout resilience strategy must have a greater timeout than the attempt resilience strategy")]
    public void Invalid_settings_stop_the_host_with_a_message_naming_them(string key, string value, string message)
    {
        using var factory = Api.WithWebHostBuilder(b => b.UseSetting(key, value));

        var failure = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retry_delays_that_outlast_the_total_timeout_stop_the_host()
    {
        using var factory = Api.WithWebHostBuilder(b => b
            .UseSetting("Connectra:Resilience:Retry:Delay", "00:00:02")
            .UseSetting("Connectra:Resilience:Retry:MaxRetryAttempts", "20"));

        var failure = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("summed retry delays exceed TotalRequestTimeout", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_refuses_the_public_development_signing_key()
    {
        using var factory = Api.WithWebHostBuilder(b => b
            .UseEnvironment("Production")
            .UseSetting("Auth:SigningKey", Connectra.Backend.Api.Auth.AuthOptions.DevelopmentSigningKey));

        var failure = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("public development key", failure.Message, StringComparison.Ordinal);
    }
}
