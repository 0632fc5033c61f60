namespace Connectra.Backend.Application.Vql;

/// <summary>
/// A query that Connectra cannot run as asked. Refusing is deliberate: Connectra drops what it does not understand
/// and answers with the wrong rows instead of an error (docs/connectra.md#x3), so a silent approximation here
/// would hand users wrong results. The API answers 400 problem+json naming <see cref="Field"/>.
/// </summary>
public sealed class VqlValidationException : Exception
{
    public VqlValidationException(string field, string message)
        : base(message) => Field = field;

    /// <summary>Where the problem is, as a JSON-path-like location (<c>filters.and[1].or[0].value</c>, <c>sort_by</c>).</summary>
    public string Field { get; }
}
