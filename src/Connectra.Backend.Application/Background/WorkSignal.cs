namespace Connectra.Backend.Application.Background;

/// <summary>
/// Wakes a polling background worker as soon as this replica has work for it. Other replicas' work is still found by
/// the next poll, so a missed or doubled signal costs latency, never correctness.
/// </summary>
public abstract class WorkSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Dispose()
    {
        _signal.Dispose();
        GC.SuppressFinalize(this);
    }

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller woke it already.
            }
        }
    }

    /// <summary>True when woken, false when the timeout passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
