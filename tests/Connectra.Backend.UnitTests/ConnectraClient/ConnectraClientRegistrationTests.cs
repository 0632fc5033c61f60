using Connectra.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.UnitTests.ConnectraClient;

public sealed class ConnectraClientRegistrationTests
{
    private static (ServiceProvider Services, string Pipeline, string Client) Register(params (string Key, string Value)[] settings)
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
        return (services.BuildServiceProvider(), ConnectraClientRegistration.ResiliencePipelineName(client), client.Name);
    }

    [Fact]
    public void Without_resilience_settings_the_documented_budget_applies()
    {
        var (services, pipeline, _) = Register();
        using var _ = services;

        var options = services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get(pipeline);

        Assert.Equal(TimeSpan.FromSeconds(30), options.TotalRequestTimeout.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout.Timeout);
        Assert.Equal(3, options.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Retry.Delay);
        Assert.Equal(TimeSpan.FromSeconds(15), options.CircuitBreaker.BreakDuration);
    }

    [Fact]
    public void Resilience_settings_override_single_values_and_keep_the_rest()
    {
        var (services, pipeline, _) = Register(("Connectra:Resilience:Retry:MaxRetryAttempts", "5"));
        using var _ = services;

        var options = services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get(pipeline);

        Assert.Equal(5, options.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), options.TotalRequestTimeout.Timeout);
    }

    [Fact]
    public void The_client_talks_to_the_configured_url_with_the_api_key_and_no_hidden_timeout()
    {
        var (services, _, name) = Register();
        using var _ = services;

        using var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

        Assert.Equal(new Uri("http://127.0.0.1:8000"), http.BaseAddress);
        Assert.Equal(["key"], http.DefaultRequestHeaders.GetValues("X-API-Key"));
        Assert.Equal(Timeout.InfiniteTimeSpan, http.Timeout);
    }

    [Fact]
    public void Retry_delays_that_exceed_the_total_timeout_are_refused()
    {
        var (services, pipeline, _) = Register(
            ("Connectra:Resilience:TotalRequestTimeout:Timeout", "00:00:05"),
            ("Connectra:Resilience:Retry:Delay", "00:00:02"),
            ("Connectra:Resilience:AttemptTimeout:Timeout", "00:00:01"),
            ("Connectra:Resilience:CircuitBreaker:SamplingDuration", "00:00:10"));
        using var _ = services;

        var error = Assert.Throws<OptionsValidationException>(() =>
            services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get(pipeline));

        Assert.Contains("summed retry delays exceed TotalRequestTimeout", error.Message, StringComparison.Ordinal);
    }
}
