namespace Connectra.Backend.Api.ErrorHandling;

/// <summary>
/// The <c>type</c> URIs of our problem documents (RFC 9457). URNs, so they identify without promising a page;
/// docs/operations.md lists them.
/// </summary>
public static class ProblemTypes
{
    public const string Validation = "urn:connectra-backend:problem:validation";
    public const string NotFound = "urn:connectra-backend:problem:not-found";
    public const string Conflict = "urn:connectra-backend:problem:conflict";
    public const string PreconditionFailed = "urn:connectra-backend:problem:precondition-failed";
    public const string Unprocessable = "urn:connectra-backend:problem:unprocessable";
    public const string Gone = "urn:connectra-backend:problem:gone";
    public const string TooManyRequests = "urn:connectra-backend:problem:too-many-requests";
    public const string Unauthorized = "urn:connectra-backend:problem:unauthorized";
    public const string Forbidden = "urn:connectra-backend:problem:forbidden";
    public const string ConnectraUnavailable = "urn:connectra-backend:problem:connectra-unavailable";
    public const string ConnectraRejected = "urn:connectra-backend:problem:connectra-rejected-query";
    public const string DatabaseUnavailable = "urn:connectra-backend:problem:database-unavailable";
    public const string Busy = "urn:connectra-backend:problem:busy";
    public const string Internal = "urn:connectra-backend:problem:internal";
}
