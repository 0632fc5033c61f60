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
    [InlineData("RateLimits:Writes:PermitLimit", "0", "RateLimits:Writes:PermitLimit must be between 1 and 1000000")]
    [InlineData("RateLimits:Reads:Window", "00:00:00.500", "RateLimits:Reads:Window must be between 00:00:01")]
    [InlineData("Auth:DefaultRole", "admin", "Auth:DefaultRole must be reader, writer or empty")]
    [InlineData("Auth:SigningKey", "", "Auth:SigningKey (HS256, at least 32 bytes) or Auth:Authority (OIDC issuer) is required")]
    [InlineData("Connectra:Resilience:AttemptTimeout:Timeout", "00:01:00", "Total request timeout resilience strategy must have a greater timeout than the attempt resilience strategy")]
    public void Invalid_settings_stop_the_host_with_a_message_naming_them(string key, string value, string message)
    {
        using var factory = Api.WithWebHostBuilder(b => b.UseSetting(key, value));

        Assert.Contains(message, StartupFailure(factory), StringComparison.Ordinal);
    }

    [Fact]
    public void Retry_delays_that_outlast_the_total_timeout_stop_the_host()
    {
        using var factory = Api.WithWebHostBuilder(b => b
            .UseSetting("Connectra:Resilience:Retry:Delay", "00:00:02")
            .UseSetting("Connectra:Resilience:Retry:MaxRetryAttempts", "20"));

        Assert.Contains("summed retry delays exceed TotalRequestTimeout", StartupFailure(factory), StringComparison.Ordinal);
    }

    [Fact]
    public void Production_refuses_the_public_development_signing_key()
    {
        using var factory = Api.WithWebHostBuilder(b => b
            .UseEnvironment("Production")
            .UseSetting("Auth:SigningKey", Connectra.Backend.Api.Auth.AuthOptions.DevelopmentSigningKey));

        Assert.Contains("public development key", StartupFailure(factory), StringComparison.Ordinal);
    }

    /// <summary>Every settings problem the host reported while refusing to start (one, or several aggregated).</summary>
    private static string StartupFailure(WebApplicationFactory<Program> factory)
    {
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var problems = failure is AggregateException many ? many.InnerExceptions : [failure];
        Assert.All(problems, p => Assert.IsType<OptionsValidationException>(p));
        return string.Join('\n', problems.Select(p => p.Message));
    }
}
