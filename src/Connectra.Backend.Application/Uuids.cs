using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Application;

internal static class Uuids
{
    /// <summary>
    /// The canonical form Connectra stores (lower-case, dashed): keyword matching is case-sensitive, so an
    /// upper-case id would find nothing.
    /// </summary>
    /// <exception cref="VqlValidationException">Not a UUID: a 400 naming <paramref name="field"/>.</exception>
    public static string Parse(string value, string field) =>
        Guid.TryParse(value, out var uuid)
            ? uuid.ToString("D")
            : throw new VqlValidationException(field, $"'{value}' is not a UUID.");
}
