using Microsoft.Extensions.Options;

namespace Connectra.Client;

/// <summary>
/// Reads each answer's whole body inside the attempt that received it, so the attempt and total timeouts cover a body
/// that stalls after its headers, and a body larger than <see cref="ConnectraOptions.MaxResponseBytes"/> is refused
/// instead of filling memory. It sits inside the resilience pipeline, below the attempt timeout.
/// </summary>
internal sealed class BufferedResponseHandler(IOptions<ConnectraOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            response.Content = await BufferAsync(response.Content, options.Value.MaxResponseBytes, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task<HttpContent> BufferAsync(HttpContent content, long limit, CancellationToken ct)
    {
        if (content.Headers.ContentLength > limit)
        {
            throw new ConnectraContractException($"the body announces more than {limit} bytes");
        }

        using var body = new MemoryStream();
        await using (var stream = await content.ReadAsStreamAsync(ct))
        {
            var chunk = new byte[81_920];
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (body.Length + read > limit)
                {
                    throw new ConnectraContractException($"the body is larger than {limit} bytes");
                }

                body.Write(chunk, 0, read);
            }
        }

        var buffered = new ByteArrayContent(body.ToArray());
        foreach (var header in content.Headers.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
        {
            buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        content.Dispose();
        return buffered;
    }
}
