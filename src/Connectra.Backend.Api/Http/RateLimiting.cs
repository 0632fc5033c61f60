using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Connectra.Backend.Api.ErrorHandling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Api.Http;

/// <summary>At most <see cref="PermitLimit"/> requests per <see cref="Window"/> for each caller, refilled evenly.</summary>
public sealed class RateLimitRule
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }
}

/// <summary>
/// Bound from "RateLimits": one rule per class of routes, applied to each caller separately (the token's <c>sub</c>,
/// or the client address without a valid token). docs/operations.md#rate-limits.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    public bool Enabled { get; set; } = true;

    public RateLimitRule Reads { get; set; } = new() { PermitLimit = 300, Window = TimeSpan.FromMinutes(1) };

    public RateLimitRule Writes { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Creating exports: each one keeps a worker busy for up to minutes.</summary>
    public RateLimitRule Exports { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

    /// <summary>The dependency probes: each costs a database round trip or one of Connectra's rate-limit tokens.</summary>
    public RateLimitRule Health { get; set; } = new() { PermitLimit = 120, Window = TimeSpan.FromMinutes(1) };

    internal IEnumerable<string> Problems() =>
        RateLimiting.Policies.SelectMany(policy =>
        {
            var rule = policy.Rule(this);
            var problems = new List<string>();
            if (rule.PermitLimit is < 1 or > 1_000_000)
            {
                problems.Add($"RateLimits:{policy.Setting}:PermitLimit must be between 1 and 1000000, not {rule.PermitLimit}.");
            }

            if (rule.Window < TimeSpan.FromSeconds(1) || rule.Window > TimeSpan.FromDays(1))
            {
                problems.Add($"RateLimits:{policy.Setting}:Window must be between 00:00:01 and 1.00:00:00, not {rule.Window}.");
            }

            return problems;
        });
}

/// <summary>
/// ASP.NET Core's rate limiter with one named policy per class of routes; controllers pick theirs with
/// [EnableRateLimiting]. Each policy keeps a token bucket per caller: the token's subject when it carries a valid
/// one (so users behind one NAT do not share), the client address otherwise.
/// </summary>
internal static partial class RateLimiting
{
    public const string Reads = "reads";
    public const string Writes = "writes";
    public const string Exports = "exports";
    public const string Health = "health";

    public static readonly IReadOnlyList<(string Name, string Setting, Func<RateLimitOptions, RateLimitRule> Rule)> Policies =
    [
        (Reads, nameof(RateLimitOptions.Reads), o => o.Reads),
        (Writes, nameof(RateLimitOptions.Writes), o => o.Writes),
        (Exports, nameof(RateLimitOptions.Exports), o => o.Exports),
        (Health, nameof(RateLimitOptions.Health), o => o.Health),
    ];

    // Retry-After speaks whole seconds; refilling more often than that would make it lie.
    private static readonly TimeSpan ShortestRefill = TimeSpan.FromSeconds(1);

    public static IServiceCollection AddBackendRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            foreach (var policy in Policies)
            {
                limiter.AddPolicy(policy.Name, context => Partition(context, policy.Rule));
            }
        });
        return services;
    }

    internal static TokenBucketRateLimiterOptions Bucket(RateLimitRule rule)
    {
        var refill = rule.Window / rule.PermitLimit;
        if (refill < ShortestRefill)
        {
            refill = ShortestRefill;
        }

        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = rule.PermitLimit,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(rule.PermitLimit * (refill / rule.Window))),
            ReplenishmentPeriod = refill,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static RateLimitPartition<string> Partition(HttpContext context, Func<RateLimitOptions, RateLimitRule> select)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        if (!options.Enabled)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var rule = select(options);
        return RateLimitPartition.GetTokenBucketLimiter(CallerKey(context), _ => Bucket(rule));
    }

    /// <summary>
    /// The token's subject, or the client address (forwarded headers only replace it when docs/operations.md's proxy
    /// settings name the proxy). An IPv6 client is keyed by its /64: one host commonly owns the whole prefix.
    /// </summary>
    private static string CallerKey(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true && context.User.FindFirst("sub")?.Value is { Length: > 0 } subject)
        {
            return "user:" + subject;
        }

        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "ip:unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }

        return "ip:" + address;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var name = context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        var policy = Policies.FirstOrDefault(p => p.Name == name);
        var rule = policy.Rule?.Invoke(context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : ShortestRefill;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        LogRejected(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimiting)),
            name ?? "", context.Request.Method, context.Request.Path);

        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Type = ProblemTypes.TooManyRequests,
                Title = "Too many requests",
                Detail = rule is null
                    ? $"Too many requests; retry after {seconds} s."
                    : $"At most {rule.PermitLimit} {name} requests per {rule.Window:c} for each caller (RateLimits:{policy.Setting}); retry after {seconds} s.",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limit {Policy} refused {Method} {Path}")]
    private static partial void LogRejected(ILogger logger, string policy, string method, PathString path);

    private sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
    {
        public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
