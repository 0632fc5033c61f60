namespace Connectra.Backend.Api.Http;

/// <summary>
/// A route whose documents are larger than any query (a Sales Navigator page) gets a body limit of its own, which
/// <see cref="RequestLimitsMiddleware"/> applies in place of <c>Limits:MaxBodyBytes</c>. Not ASP.NET Core's
/// <c>[RequestSizeLimit]</c>: that one is applied again by MVC after the middleware, and warns on servers without the
/// feature (the test server).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BodyLimitAttribute(long maxBodyBytes) : Attribute
{
    public long MaxBodyBytes { get; } = maxBodyBytes;
}
