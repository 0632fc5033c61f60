using System.ComponentModel.DataAnnotations;

namespace Connectra.Client;

/// <summary>Bound from the "Connectra" section; validated at start-up so a bad value stops the host.</summary>
public sealed class ConnectraOptions
{
    public const string SectionName = "Connectra";

    /// <summary>Absolute http(s) URL of Connectra, e.g. http://127.0.0.1:8000.</summary>
    [Required(ErrorMessage = "Connectra:BaseUrl is required (the absolute URL of the Connectra search service).")]
    public Uri? BaseUrl { get; set; }

    /// <summary>Sent as X-API-Key. Take it from an environment variable or a secret store, never from a file in git.</summary>
    [Required(ErrorMessage = "Connectra:ApiKey is required (sent to Connectra as X-API-Key).")]
    public string ApiKey { get; set; } = "";

    /// <summary>Bound for the /health/vql probe, retries included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00",
        ErrorMessage = "Connectra:HealthProbeTimeout must be between 100 ms and 1 minute.")]
    public TimeSpan HealthProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The largest answer body read from Connectra; a larger one is a broken answer, not data. A page of 100 contacts
    /// with their companies is well under 1 MB.
    /// </summary>
    [Range(1024L, 1L << 30, ErrorMessage = "Connectra:MaxResponseBytes must be between 1 KiB and 1 GiB.")]
    public long MaxResponseBytes { get; set; } = 16L << 20;

    /// <summary>
    /// How long a replica trusts the filter catalogue it read, to check filter keys before asking for their values.
    /// Zero reads it afresh every time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Connectra:FilterCatalogueCacheDuration must be between 0 and 1 hour.")]
    public TimeSpan FilterCatalogueCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether export jobs ask Connectra to gzip their pages. Off by default: on the same network, compressing and
    /// inflating ~300 KB pages costs both sides more CPU than the bytes cost to carry. Every other call asks for gzip.
    /// </summary>
    public bool CompressExportReads { get; set; }

    /// <summary>What a 503 tells clients to wait when Connectra gave no better hint.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00",
        ErrorMessage = "Connectra:RetryAfter must be between 1 second and 10 minutes.")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
