namespace Connectra.Emulator;

/// <summary>
/// An error Connectra answers with a status and <c>{"error":…,"success":false}</c>: 400 for its own validation, 500
/// for whatever Elasticsearch or PostgreSQL rejected (their raw messages pass through, docs/connectra.md#errors).
/// </summary>
internal sealed class ConnectraFailure(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static ConnectraFailure BadRequest(string message) => new(400, message);

    public static ConnectraFailure Internal(string message) => new(500, message);

    /// <summary>An Elasticsearch rejection as Connectra relays it; the exact wrapping text is a guess.</summary>
    public static ConnectraFailure Search(string type, string reason) =>
        new(500, $"elasticsearch: [400 Bad Request] {type}: {reason}");
}
