using System.Diagnostics;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>
/// The resident memory of the test process, which hosts the backend: now, and the highest it reached while some work
/// ran (sampled every 10 ms), for tests that bound what a hostile input may cost.
/// </summary>
public static class PeakRss
{
    public static long Now()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>Samples until <paramref name="stop"/> is cancelled; the highest value seen.</summary>
    public static async Task<long> SampleAsync(CancellationToken stop)
    {
        var peak = Now();
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, Now());
            try
            {
                await Task.Delay(10, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return Math.Max(peak, Now());
    }
}
