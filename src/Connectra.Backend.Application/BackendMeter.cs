namespace Connectra.Backend.Application;

/// <summary>The meter of the backend's own work (outbox, exports); Connectra calls have theirs in Connectra.Client.</summary>
public static class BackendMeter
{
    public const string Name = "Connectra.Backend";
}
