using Connectra.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.UnitTests.ConnectraClient;

public sealed class ConnectraClientRegistrationTests
{
    private static (ServiceProvider Services, string Pipeline) Register(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Connectra:BaseUrl"] = "http://127.0.0.1:8000",
                ["Connectra:ApiKey"] = "key",
            }.Concat(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))))
            .Build();
        var services = new ServiceCollection();
        var client = services.AddConnectraClient(configuration);
        return (services.BuildServiceProvider(), ConnectraClientRegistration.ResiliencePipelineName(client));
    }

    [Fact]
    public void Without_resilience_settings_the_documented_budget_applies()
    {
        var (services, pipeline) = Register();
        using var _ = services;

        var options = services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get(pipeline);

        Assert.NotNull(services.GetRequiredService<IConnectraApi>());
        Assert.Equal(TimeSpan.FromSeconds(30), options.TotalRequestTimeout.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout.Timeout);
        Assert.Equal(3, options.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Retry.Delay);
        Assert.Equal(TimeSpan.FromSeconds(15), options.CircuitBreaker.BreakDuration);
    }

    [Fact]
    public void Resilience_settings_override_single_values_and_keep_the_rest()
    {
        var (services, pipeline) = Register(("Connectra:Resilience:Retry:MaxRetryAttempts", "5"));
        using var _ = services;

        var options = services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get(pipeline);

        Assert.Equal(5, options.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), options.TotalRequestTimeout.Timeout);
    }
}
