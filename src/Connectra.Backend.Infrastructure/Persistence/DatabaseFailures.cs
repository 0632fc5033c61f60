using Npgsql;

namespace Connectra.Backend.Infrastructure.Persistence;

/// <summary>Recognises "the database is not there" however deep EF Core has wrapped it.</summary>
public static class DatabaseFailures
{
    /// <summary>
    /// True for a lost or refused connection, a restart or a timeout anywhere in the exception's chain. EF Core hands
    /// these on wrapped (an <see cref="InvalidOperationException"/> "likely due to a transient failure", a
    /// DbUpdateException), and an SQL error the server did answer (a <see cref="PostgresException"/> that is not
    /// transient) is a defect, never an outage.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException { IsTransient: true } or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
