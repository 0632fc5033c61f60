using System.Globalization;
using Connectra.Backend.Application.Vql;
using Microsoft.Net.Http.Headers;

namespace Connectra.Backend.Api.Http;

/// <summary>
/// A written record's version as its ETag, and If-Match read back into a version (docs/writes.md#concurrency). One
/// ETag or <c>*</c>; anything else is a 400 naming the header, never a guess.
/// </summary>
internal static class ETags
{
    public static string Of(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The version If-Match demands, or null when the header is absent or <c>*</c> (any version).</summary>
    public static long? IfMatch(HttpRequest request)
    {
        var values = request.Headers.IfMatch;
        if (values.Count == 0)
        {
            return null;
        }

        if (!EntityTagHeaderValue.TryParseStrictList(values, out var tags) || tags.Count != 1)
        {
            throw new VqlValidationException(HeaderNames.IfMatch, "must be one ETag as a write returned it, such as \"3\", or *");
        }

        var tag = tags[0];
        if (tag.Equals(EntityTagHeaderValue.Any))
        {
            return null;
        }

        var inner = tag.Tag.AsSpan(1, tag.Tag.Length - 2);
        return !tag.IsWeak && long.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new VqlValidationException(HeaderNames.IfMatch, "names no version of this record; send the ETag a read or write returned");
    }
}
