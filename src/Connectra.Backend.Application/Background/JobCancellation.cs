namespace Connectra.Backend.Application.Background;

/// <summary>Where a durable job stands for a cancel: still to run or running, cancelled, or ended otherwise.</summary>
public enum JobCancelState
{
    Open,
    Cancelled,
    Ended,
}

/// <summary>
/// The cancel of a durable job, for every job kind (exports, imports): a job that ended is refused, a cancelled one
/// answers as a repeat, and an open one is cancelled in the database — which the worker honours before its next
/// batch. A job that ended between the read and the cancel is read again, so the answer says what it is now.
/// </summary>
public static class JobCancellation
{
    /// <param name="find">Reads the caller's job (404 when it is not theirs).</param>
    /// <param name="state">Where a job read stands.</param>
    /// <param name="cancel">Cancels the job in the database; false when it was no longer open.</param>
    /// <param name="cancelled">The answer for a job cancelled now (<c>true</c>) or before (<c>false</c>).</param>
    /// <param name="refused">The error for a job that ended otherwise.</param>
    public static async Task<TAnswer> CancelAsync<TJob, TAnswer>(
        Func<CancellationToken, Task<TJob>> find,
        Func<TJob, JobCancelState> state,
        Func<TJob, CancellationToken, Task<bool>> cancel,
        Func<TJob, bool, TAnswer> cancelled,
        Func<TJob, Exception> refused,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(find);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(cancel);
        ArgumentNullException.ThrowIfNull(cancelled);
        ArgumentNullException.ThrowIfNull(refused);
        var job = await find(ct);
        switch (state(job))
        {
            case JobCancelState.Ended:
                throw refused(job);
            case JobCancelState.Cancelled:
                return cancelled(job, false);
        }

        if (await cancel(job, ct))
        {
            return cancelled(job, true);
        }

        var now = await find(ct);
        return state(now) == JobCancelState.Cancelled ? cancelled(now, false) : throw refused(now);
    }
}
