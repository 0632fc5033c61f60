namespace Connectra.Emulator;

/// <summary>
/// Settings of the "Emulator" configuration section (environment <c>Emulator__ConnectionString</c> and so on, or
/// <c>--Emulator:ApiKey=…</c> on the command line). There are no appsettings files.
/// </summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>Npgsql connection string of the database the emulator owns (it creates its tables there). Required.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The key every request must send as X-API-Key. Required: an empty key would lock everyone out.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Folder of the Lucene indexes; default <c>.local/emulator-index</c> under the current directory.</summary>
    public string IndexPath { get; set; } = Path.Combine(Environment.CurrentDirectory, ".local", "emulator-index");

    /// <summary>Capacity of Connectra's process-wide token bucket; 0 makes every request 429, as on Connectra.</summary>
    public int MaxRequestsPerMinute { get; set; } = 600_000;

    /// <summary>
    /// Reproduce the 500s Connectra gives for client mistakes (sorting on numbers or dates, page &gt; 1 with a cursor,
    /// empty terms arrays). Off: sort numerically, ignore the page, match nothing.
    /// </summary>
    public bool Strict { get; set; } = true;

    /// <summary>
    /// A page sorted first by an ascending keyword finds its candidates by walking the field's terms from the cursor
    /// when the query's other conditions (all but a range on that field) match at least this many documents, and
    /// by reading the matches' sort values below that (<see cref="Search.SortedWalk"/>). Only speed depends on it:
    /// both plans give the same pages. Tests lower it to reach the walk without tens of thousands of rows.
    /// </summary>
    public int TermWalkMinimumMatches { get; set; } = Search.SortedWalk.DefaultMinimumMatches;

    /// <summary>
    /// Memory for the per-segment match sets of filters that sorted pages reuse across requests
    /// (<see cref="Search.FilterCache"/>); 0 keeps none.
    /// </summary>
    public int FilterCacheMegabytes { get; set; } = 64;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new InvalidOperationException("Emulator:ConnectionString is required (env Emulator__ConnectionString).");
        }

        if (string.IsNullOrEmpty(ApiKey))
        {
            throw new InvalidOperationException("Emulator:ApiKey is required (env Emulator__ApiKey).");
        }

        if (string.IsNullOrWhiteSpace(IndexPath))
        {
            throw new InvalidOperationException("Emulator:IndexPath must name a folder.");
        }

        if (MaxRequestsPerMinute < 0)
        {
            throw new InvalidOperationException("Emulator:MaxRequestsPerMinute cannot be negative.");
        }

        if (TermWalkMinimumMatches < 0)
        {
            throw new InvalidOperationException("Emulator:TermWalkMinimumMatches cannot be negative.");
        }

        if (FilterCacheMegabytes < 0)
        {
            throw new InvalidOperationException("Emulator:FilterCacheMegabytes cannot be negative.");
        }
    }
}
