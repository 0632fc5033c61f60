using System.Diagnostics;

namespace Connectra.Backend.Application.Background;

/// <summary>The job is no longer this worker's: cancelled, taken over, or its lease may have run out.</summary>
public sealed class JobLeaseLostException() : Exception("the job's lease is no longer held");

/// <summary>
/// A durable job's lease as its runner holds it (docs/imports.md#jobs, docs/exports.md#how-a-job-runs): a heartbeat
/// renews it in the database between checkpoints, every checkpoint renews it too, and <see cref="EnsureHeld"/>,
/// checked before each batch, stops the work well before the lease can pass in the database — so a worker that lost
/// touch (a long pause, the database away) never writes beside the one that takes its job over. A renewal the
/// database refuses (the job was cancelled or taken over) stops the job at once.
/// </summary>
public sealed class JobLease(TimeSpan duration)
{
    private long _renewed = Stopwatch.GetTimestamp();
    private volatile bool _lost;

    /// <summary>True once the job is no longer this worker's.</summary>
    public bool Lost => _lost;

    /// <summary>Notes a renewal the database accepted (a heartbeat or a checkpoint).</summary>
    public void Renewed() => Interlocked.Exchange(ref _renewed, Stopwatch.GetTimestamp());

    public void MarkLost() => _lost = true;

    /// <summary>Throws <see cref="JobLeaseLostException"/> unless this worker may still write.</summary>
    public void EnsureHeld()
    {
        if (_lost || Stopwatch.GetElapsedTime(Interlocked.Read(ref _renewed)) > duration * 0.8)
        {
            _lost = true;
            throw new JobLeaseLostException();
        }
    }

    /// <summary>
    /// Renews the lease every <paramref name="interval"/> until <paramref name="stop"/> is cancelled. A refused renewal
    /// marks the lease lost and cancels <paramref name="work"/>; a failed one (the database away) is tried again,
    /// and if that lasts, <see cref="EnsureHeld"/> stops the work before the lease runs out. <paramref name="failed"/>
    /// hears of each failure.
    /// </summary>
    public async Task KeepAsync(
        Func<CancellationToken, Task<bool>> renew, TimeSpan interval, TimeProvider clock, CancellationTokenSource work, CancellationToken stop,
        Action<Exception>? failed = null)
    {
        ArgumentNullException.ThrowIfNull(renew);
        ArgumentNullException.ThrowIfNull(work);
        while (!stop.IsCancellationRequested && !_lost)
        {
            try
            {
                await Task.Delay(interval, clock, stop);
                if (await renew(stop))
                {
                    Renewed();
                }
                else
                {
                    MarkLost();
                    await work.CancelAsync();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                // Left to EnsureHeld: the work stops by itself if the lease cannot be renewed in time.
                failed?.Invoke(failure);
            }
        }
    }
}
