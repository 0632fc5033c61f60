using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Connectra.Client;

public static class ConnectraClientRegistration
{
    /// <summary>
    /// Registers <see cref="IConnectraApi"/> with validated options and the standard resilience pipeline
    /// (total timeout → retry → circuit breaker → attempt timeout) bound from "Connectra:Resilience".
    /// </summary>
    public static IHttpClientBuilder AddConnectraClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConnectraOptions>()
            .Bind(configuration.GetSection(ConnectraOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(
                o => o.BaseUrl is null || (o.BaseUrl.IsAbsoluteUri && o.BaseUrl.Scheme is "http" or "https"),
                "Connectra:BaseUrl must be an absolute http or https URL, e.g. http://127.0.0.1:8000.")
            .ValidateOnStart();
        services.AddSingleton<ConnectraCircuitBreaker>();
        services.AddMetrics();
        services.AddSingleton<ConnectraMetrics>();
        services.AddTransient<BufferedResponseHandler>();
        // On the probe client registered below, never the default one with its retries and breaker.
        services.AddTransient(sp => new ConnectraHealthProbe(
            sp.GetRequiredKeyedService<IConnectraApi>(HealthProbeKey), sp.GetRequiredService<IOptions<ConnectraOptions>>()));

        var client = ConfigureTransport(services.AddRefitGeneratedClient<IConnectraApi>(ConnectraJsonContext.Default));

        // The health probe gets its own client without retries or breaker: it must report what Connectra does
        // right now, within its few seconds, not what the retry budget or an open circuit makes of it.
        ConfigureTransport(services.AddKeyedRefitGeneratedClient<IConnectraApi>(HealthProbeKey, ConnectraJsonContext.Default))
            .AddHttpMessageHandler<BufferedResponseHandler>();

        // Every call is safe to repeat: searches and counts are reads, and the batch upserts overwrite by uuid.
        var resilience = client.AddStandardResilienceHandler(ApplyDefaults);
        var resilienceSection = configuration.GetSection($"{ConnectraOptions.SectionName}:Resilience");
        if (resilienceSection.Exists())
        {
            resilience.Configure(resilienceSection);
        }

        resilience.Configure((options, sp) =>
        {
            var breaker = sp.GetRequiredService<ConnectraCircuitBreaker>();
            (options.CircuitBreaker.StateProvider, options.CircuitBreaker.ManualControl) = breaker.Attach(options.CircuitBreaker.BreakDuration);
            options.CircuitBreaker.OnClosed = _ =>
            {
                breaker.OnClosed();
                return ValueTask.CompletedTask;
            };
        });

        // Added after the resilience handler, so it runs inside every attempt: the body is read within the timeouts.
        client.AddHttpMessageHandler<BufferedResponseHandler>();

        services.AddOptions<HttpStandardResilienceOptions>(ResiliencePipelineName(client))
            .Validate(RetriesFitTheBudget, "Connectra:Resilience: the summed retry delays exceed TotalRequestTimeout.")
            .ValidateOnStart();

        return client;
    }

    /// <summary>The service key of the <see cref="IConnectraApi"/> the health probe uses.</summary>
    public const string HealthProbeKey = "connectra-health-probe";

    private static IHttpClientBuilder ConfigureTransport(IHttpClientBuilder client) => client
        // Request lines are logged by the API and retries by the resilience pipeline; the factory's own per-call
        // log scopes would only add work to every call.
        .RemoveAllLoggers()
        .ConfigureHttpClient((sp, http) =>
        {
            var options = sp.GetRequiredService<IOptions<ConnectraOptions>>().Value;
            http.BaseAddress = options.BaseUrl;
            http.DefaultRequestHeaders.Add("X-API-Key", options.ApiKey);
            // Resilience (or the probe's own bound) owns every timeout; a second, hidden 100 s one would only confuse.
            http.Timeout = Timeout.InfiniteTimeSpan;
        })
        .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            // BufferedResponseHandler asks for and undoes compression, so that export pages can go without it.
            AutomaticDecompression = DecompressionMethods.None,
            // Connections are recycled so a Connectra fail-over behind DNS is picked up.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        });

    /// <summary>
    /// The error budget of docs/architecture.md: a request never waits more than 30 s for Connectra. Settings under
    /// "Connectra:Resilience" override any of these.
    /// </summary>
    private static void ApplyDefaults(HttpStandardResilienceOptions options)
    {
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30);
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
        options.Retry.MaxRetryAttempts = 3;
        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        // Connectra's rate limiter is global and sends no Retry-After: wait at least a second (docs/connectra.md#x12).
        options.Retry.Delay = TimeSpan.FromSeconds(1);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.MinimumThroughput = 20;
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
        // An answer the request itself caused says nothing about Connectra's health: retrying cannot help, and
        // counting it would let one client's bad queries open the circuit for everybody.
        options.Retry.ShouldHandle = args => IsConnectraFailure(args.Outcome);
        options.CircuitBreaker.ShouldHandle = args => IsConnectraFailure(args.Outcome);
    }

    private static async ValueTask<bool> IsConnectraFailure(Outcome<HttpResponseMessage> outcome) =>
        HttpClientResiliencePredicates.IsTransient(outcome) && !await ConnectraErrors.IsCausedByRequestAsync(outcome.Result);

    /// <summary>The options name the standard handler registers its settings under.</summary>
    public static string ResiliencePipelineName(IHttpClientBuilder client) => $"{client.Name}-standard";

    private static bool RetriesFitTheBudget(HttpStandardResilienceOptions options)
    {
        var retry = options.Retry;
        var summed = TimeSpan.Zero;
        for (var attempt = 0; attempt < retry.MaxRetryAttempts; attempt++)
        {
            var delay = retry.BackoffType switch
            {
                DelayBackoffType.Exponential => retry.Delay * Math.Pow(2, attempt),
                DelayBackoffType.Linear => retry.Delay * (attempt + 1),
                _ => retry.Delay,
            };
            summed += retry.MaxDelay is { } cap && delay > cap ? cap : delay;
        }

        return summed <= options.TotalRequestTimeout.Timeout;
    }
}
