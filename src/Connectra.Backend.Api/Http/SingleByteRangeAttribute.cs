using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Connectra.Backend.Api.Http;

/// <summary>
/// Lets a file route serve a <c>Range</c> request only when it asks for exactly one well-formed byte range
/// (<c>bytes=first-last</c>, <c>bytes=first-</c>, <c>bytes=-suffix</c>; docs/exports.md#downloads). Any other
/// <c>Range</c> is removed before the file is served, so the whole file is sent with 200: RFC 9110 §14.2 requires
/// ignoring a range unit the server does not know (ASP.NET Core's range processing reads <c>items=0-1</c> as
/// bytes), and allows ignoring an invalid range or a set of several.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed partial class SingleByteRangeAttribute : ActionFilterAttribute
{
    public override void OnActionExecuting(ActionExecutingContext context)
    {
        var headers = context.HttpContext.Request.Headers;
        if (headers.Range.Count > 0 && !IsSingleByteRange(headers.Range))
        {
            headers.Remove("Range");
        }
    }

    internal static bool IsSingleByteRange(IReadOnlyList<string?> values)
    {
        if (values.Count != 1 || values[0] is not { } value || SingleRange().Match(value) is not { Success: true } match)
        {
            return false;
        }

        // Positions beyond a long, and a last position before the first, make the range invalid (RFC 9110 §14.1.1).
        var first = match.Groups["first"];
        var last = match.Groups["last"];
        var suffix = match.Groups["suffix"];
        return suffix.Success
            ? long.TryParse(suffix.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            : long.TryParse(first.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
              && (last.Length == 0 || long.TryParse(last.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var to) && to >= from);
    }

    // The unit is case-insensitive (RFC 9110 §14.1), white space is allowed around a list's element, digits are ASCII.
    [GeneratedRegex("^[Bb][Yy][Tt][Ee][Ss]=[ \t]*(?:(?<first>[0-9]+)-(?<last>[0-9]*)|-(?<suffix>[0-9]+))[ \t]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SingleRange();
}
