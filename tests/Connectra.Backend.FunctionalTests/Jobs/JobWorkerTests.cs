using System.Collections.Concurrent;
using Connectra.Backend.Application.Background;
using Connectra.Backend.Infrastructure.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectra.Backend.FunctionalTests.Jobs;

/// <summary>The shared poll loop with a job kind of its own: nothing here is about exports.</summary>
public sealed class JobWorkerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_loop_runs_every_job_at_most_its_concurrency_at_once_through_failing_claims_and_jobs()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        using var signal = new TestSignal();
        using var worker = new QueueWorker(services.GetRequiredService<IServiceScopeFactory>(), signal, ["a", "b", "boom", "c", "d", "e"], failingClaims: 2);

        await worker.StartAsync(Ct);
        var finished = await worker.AllDone.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await worker.StopAsync(Ct);

        Assert.Equal(["a", "b", "c", "d", "e"], finished.Order(StringComparer.Ordinal));
        Assert.Equal(2, worker.MostAtOnce);
        Assert.Equal(0, worker.FailingClaimsLeft);
    }

    [Fact]
    public async Task A_signal_wakes_an_idle_loop_before_its_next_poll()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        using var signal = new TestSignal();
        using var worker = new QueueWorker(services.GetRequiredService<IServiceScopeFactory>(), signal, [], failingClaims: 0, poll: TimeSpan.FromMinutes(10));
        await worker.StartAsync(Ct);
        await worker.Idle.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        worker.Add("late");
        signal.Notify();

        var finished = await worker.AllDone.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await worker.StopAsync(Ct);
        Assert.Equal(["late"], finished);
    }

    private sealed class TestSignal : WorkSignal;

    private sealed class QueueWorker(IServiceScopeFactory scopes, WorkSignal signal, IReadOnlyList<string> jobs, int failingClaims, TimeSpan? poll = null)
        : JobWorker<string>(scopes, signal, TimeProvider.System, NullLogger.Instance)
    {
        private readonly ConcurrentQueue<string> _queue = new(jobs);
        private readonly ConcurrentBag<string> _done = [];
        private int _expected = jobs.Count(j => j != "boom");
        private int _failingClaims = failingClaims;
        private int _running;
        private int _most;

        public TaskCompletionSource<IReadOnlyList<string>> AllDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Idle { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int MostAtOnce => Volatile.Read(ref _most);

        public int FailingClaimsLeft => Volatile.Read(ref _failingClaims);

        protected override string Kind => "Test";

        protected override JobLoopSettings Settings => new(2, poll ?? TimeSpan.FromMilliseconds(20), TimeSpan.FromMinutes(1));

        public void Add(string job)
        {
            Interlocked.Increment(ref _expected);
            _queue.Enqueue(job);
        }

        protected override string IdOf(string job) => job;

        protected override Task<string?> ClaimAsync(IServiceProvider services, TimeSpan lease, CancellationToken ct)
        {
            if (Interlocked.Decrement(ref _failingClaims) >= 0)
            {
                throw new InvalidOperationException("the database is away");
            }

            Interlocked.Exchange(ref _failingClaims, 0);
            if (_queue.TryDequeue(out var job))
            {
                return Task.FromResult<string?>(job);
            }

            Idle.TrySetResult();
            return Task.FromResult<string?>(null);
        }

        protected override async Task RunAsync(IServiceProvider services, string job, CancellationToken stopping)
        {
            var now = Interlocked.Increment(ref _running);
            InterlockedMax(ref _most, now);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stopping);
                if (job == "boom")
                {
                    throw new InvalidOperationException("the job failed");
                }

                _done.Add(job);
                if (_done.Count == Volatile.Read(ref _expected))
                {
                    AllDone.TrySetResult([.. _done]);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            var seen = Volatile.Read(ref target);
            while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var previous && previous != seen)
            {
                seen = previous;
            }
        }
    }
}
