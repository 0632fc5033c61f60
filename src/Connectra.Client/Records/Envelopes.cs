namespace Connectra.Client.Records;

/// <summary>
/// <c>{"data":[…],"success":true}</c>. Members are nullable because an answer may lack them; whether that is allowed
/// depends on the route, which <see cref="ConnectraAnswers"/> decides.
/// </summary>
public sealed record ConnectraList<T>
{
    public IReadOnlyList<T>? Data { get; init; }

    public bool? Success { get; init; }
}

/// <summary><c>{"count":N,"success":true}</c>; the count is exact and 64-bit.</summary>
public sealed record ConnectraCount
{
    public long? Count { get; init; }

    public bool? Success { get; init; }
}

/// <summary>The write routes' answer. Not proof that anything was written (docs/connectra.md#x6).</summary>
public sealed record ConnectraAck
{
    public bool Success { get; init; }

    public string? Message { get; init; }
}

/// <summary>
/// Connectra's error bodies: handlers send <c>{"error","success":false}</c>, its middleware (401, 429)
/// <c>{"error","message"}</c>. Validation errors start with a stable code such as ERR_PAGE_SIZE_EXCEEDED.
/// </summary>
public sealed record ConnectraError
{
    public string? Error { get; init; }

    public string? Message { get; init; }

    public bool? Success { get; init; }
}

/// <summary><c>GET /health</c> answers <c>{"status":"ok"}</c>.</summary>
public sealed record ConnectraHealth
{
    public string? Status { get; init; }
}

/// <summary>Body of <c>POST /common/batch-upsert</c>: CSV-style rows of string values (docs/connectra.md#row-batch-upsert).</summary>
public sealed record ConnectraRowBatch
{
    public required IReadOnlyList<IReadOnlyDictionary<string, string>> Data { get; init; }
}
