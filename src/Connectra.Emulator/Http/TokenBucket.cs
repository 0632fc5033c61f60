namespace Connectra.Emulator.Http;

/// <summary>
/// Connectra's one process-wide rate limit (docs/connectra.md#rate-limiter, X12): capacity N, starts full, ⌊N/60⌋ tokens added
/// per whole second, so 0 blocks everything and 1–59 never refills.
/// </summary>
internal sealed class TokenBucket(int capacity, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly long _perSecond = capacity / 60;
    private long _tokens = capacity;
    private long _lastRefill = time.GetTimestamp();

    public bool TryTake()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            var seconds = (long)time.GetElapsedTime(_lastRefill, now).TotalSeconds;
            if (seconds > 0)
            {
                _tokens = Math.Min(capacity, _tokens + (seconds * _perSecond));
                _lastRefill += seconds * time.TimestampFrequency;
            }

            if (_tokens <= 0)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
