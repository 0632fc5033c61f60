using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Api.Http;

/// <summary>
/// Compresses as configured, except answers to a Range request: a byte range of a gzip stream is no range of the file,
/// so resumable downloads are served uncompressed, with their Content-Length and Content-Range.
/// </summary>
internal sealed class RangeAwareCompressionProvider(IServiceProvider services, IOptions<ResponseCompressionOptions> options)
    : IResponseCompressionProvider
{
    private readonly ResponseCompressionProvider _inner = new(services, options);

    public ICompressionProvider? GetCompressionProvider(HttpContext context) => _inner.GetCompressionProvider(context);

    public bool ShouldCompressResponse(HttpContext context) =>
        !context.Request.Headers.ContainsKey("Range") && _inner.ShouldCompressResponse(context);

    public bool CheckRequestAcceptsCompression(HttpContext context) => _inner.CheckRequestAcceptsCompression(context);
}
