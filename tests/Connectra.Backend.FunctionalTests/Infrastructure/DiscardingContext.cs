using Microsoft.AspNetCore.Http;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>The request as it came, with a response nobody reads: lets the proxy forward without answering.</summary>
public sealed class DiscardingContext
{
    public DiscardingContext(HttpContext original)
    {
        Context = new DefaultHttpContext { RequestServices = original.RequestServices };
        Context.Request.Method = original.Request.Method;
        Context.Request.Path = original.Request.Path;
        Context.Request.QueryString = original.Request.QueryString;
        Context.Request.ContentType = original.Request.ContentType;
        Context.Request.ContentLength = original.Request.ContentLength;
        Context.Request.Body = original.Request.Body;
        Context.Request.Headers["X-API-Key"] = original.Request.Headers["X-API-Key"];
        Context.Response.Body = Stream.Null;
    }

    public HttpContext Context { get; }
}
