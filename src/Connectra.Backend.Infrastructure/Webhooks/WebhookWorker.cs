using Connectra.Backend.Application.Webhooks;
using Connectra.Backend.Infrastructure.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Infrastructure.Webhooks;

/// <summary>
/// Delivers webhooks on this replica through the shared <see cref="JobWorker{TJob}"/> loop (docs/webhooks.md#delivery):
/// before each claim it fans new change events out into deliveries, then claims the next due one under a lease and
/// sends it. Up to Webhooks:WorkerConcurrency requests at once, one per subscription.
/// </summary>
internal sealed partial class WebhookWorker(
    IServiceScopeFactory scopes,
    WebhookSignal signal,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookWorker> logger) : JobWorker<WebhookDelivery>(scopes, signal, clock, logger)
{
    private WebhookOptions Options => options.CurrentValue;

    protected override string Kind => "Webhook delivery";

    protected override JobLoopSettings Settings => new(Options.WorkerConcurrency, Options.PollInterval, Options.LeaseDuration);

    protected override string IdOf(WebhookDelivery job) => job.WebhookId;

    protected override async Task<WebhookDelivery?> ClaimAsync(IServiceProvider services, TimeSpan lease, CancellationToken ct)
    {
        var store = services.GetRequiredService<IWebhookStore>();
        await store.FanOutAsync(Options.MaxEventsPerRequest, ct);
        return await store.ClaimAsync(Owner, lease, ct);
    }

    protected override async Task RunAsync(IServiceProvider services, WebhookDelivery job, CancellationToken stopping)
    {
        await services.GetRequiredService<WebhookDeliveryRunner>().RunAsync(job, Owner, stopping);
        LogSent(logger, job.WebhookId, job.Attempts);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {WebhookId} attempt {Attempt} sent")]
    private static partial void LogSent(ILogger logger, string webhookId, int attempt);
}
