using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Backend.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Connectra.Backend.FunctionalTests.Jobs;

/// <summary>A job table of its own, shaped as <see cref="LeasedJobs"/> expects: the claim is not tied to exports.</summary>
public sealed class JobTableDatabase() : ScratchDatabase("leased_jobs_test")
{
    public JobsContext Context() => new(new DbContextOptionsBuilder<JobsContext>().UseNpgsql(DataSource).UseSnakeCaseNamingConvention().Options);

    protected override async Task PrepareAsync(CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand("""
            CREATE TABLE test_jobs (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name text NOT NULL,
                status text NOT NULL DEFAULT 'pending',
                lease_owner text,
                lease_expires_at timestamptz,
                attempts integer NOT NULL DEFAULT 0,
                created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                started_at timestamptz)
            """);
        await command.ExecuteNonQueryAsync(ct);
    }
}

public sealed class TestJob
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public required string Status { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }
}

public sealed class JobsContext(DbContextOptions<JobsContext> options) : DbContext(options)
{
    public DbSet<TestJob> Jobs => Set<TestJob>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<TestJob>().ToTable("test_jobs");
}

public sealed class LeasedJobsTests(JobTableDatabase database) : IClassFixture<JobTableDatabase>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await using var command = database.DataSource.CreateCommand("TRUNCATE test_jobs");
        await command.ExecuteNonQueryAsync(Ct);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Workers_claiming_at_once_take_every_job_exactly_once()
    {
        await ExecuteAsync("INSERT INTO test_jobs (name) SELECT 'job ' || n FROM generate_series(1, 10) n");

        var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => ClaimAsync($"worker-{i}")));

        var taken = claims.OfType<TestJob>().ToList();
        Assert.Equal(10, taken.Count);
        Assert.Equal(10, taken.Select(j => j.Id).Distinct().Count());
        await using var db = database.Context();
        var stored = await db.Jobs.AsNoTracking().ToListAsync(Ct);
        Assert.All(stored, job => Assert.Equal(("processing", 1), (job.Status, job.Attempts)));
        Assert.Equal(taken.ToDictionary(j => j.Id, j => j.LeaseOwner), stored.ToDictionary(j => j.Id, j => j.LeaseOwner));
    }

    [Fact]
    public async Task Only_a_job_whose_lease_lapsed_is_taken_over_and_the_attempt_counts()
    {
        await ExecuteAsync("""
            INSERT INTO test_jobs (name, status, lease_owner, lease_expires_at, attempts) VALUES
                ('lapsed', 'processing', 'dead', now() - interval '1 minute', 1),
                ('held', 'processing', 'alive', now() + interval '1 hour', 1),
                ('done', 'completed', NULL, NULL, 1)
            """);

        var first = await ClaimAsync("successor");
        var second = await ClaimAsync("successor");

        Assert.Equal(("lapsed", "successor", 2), (first?.Name, first?.LeaseOwner, first?.Attempts));
        Assert.True(first!.LeaseExpiresAt > DateTimeOffset.UtcNow.AddMinutes(4), $"the new lease ends at {first.LeaseExpiresAt}");
        Assert.Null(second);
    }

    [Fact]
    public async Task The_oldest_runnable_job_goes_first_and_a_table_may_hold_jobs_back()
    {
        await ExecuteAsync("INSERT INTO test_jobs (name) VALUES ('waiting')");
        await ExecuteAsync("INSERT INTO test_jobs (name) VALUES ('second')");
        await ExecuteAsync("INSERT INTO test_jobs (name) VALUES ('third')");

        var held = await ClaimAsync("w", alsoRunnable: "j.name <> 'waiting'");
        var next = await ClaimAsync("w");

        Assert.Equal("second", held?.Name);
        Assert.Equal("waiting", next?.Name);
    }

    private async Task<TestJob?> ClaimAsync(string owner, string alsoRunnable = "true")
    {
        await using var db = database.Context();
        return await LeasedJobs.ClaimAsync(db.Jobs, "test_jobs", alsoRunnable, owner, TimeSpan.FromMinutes(5), Ct);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
