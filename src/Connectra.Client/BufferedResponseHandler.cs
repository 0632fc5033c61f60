using System.Buffers;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Connectra.Client;

/// <summary>
/// Reads each answer's whole body inside the attempt that received it, so the attempt and total timeouts cover a body
/// that stalls after its headers, and a body larger than <see cref="ConnectraOptions.MaxResponseBytes"/> is refused
/// instead of filling memory. It sits inside the resilience pipeline, below the attempt timeout.
/// <para>
/// It also owns compression (docs/connectra.md#transport): a request that names no encoding asks for gzip or
/// deflate, one that names its own (export pages ask for <c>identity</c> unless Connectra:CompressExportReads) is sent
/// as it is, and whichever encoding comes back is undone here. The transport's automatic decompression would add gzip
/// to every request, so it is off.
/// </para>
/// </summary>
internal sealed class BufferedResponseHandler(IOptions<ConnectraOptions> options) : DelegatingHandler
{
    private static readonly StringWithQualityHeaderValue Gzip = new("gzip");
    private static readonly StringWithQualityHeaderValue Deflate = new("deflate");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.AcceptEncoding.Count == 0)
        {
            request.Headers.AcceptEncoding.Add(Gzip);
            request.Headers.AcceptEncoding.Add(Deflate);
        }

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
        var encodings = content.Headers.ContentEncoding;
        if (encodings.Count == 0 && content.Headers.ContentLength > limit)
        {
            throw new ConnectraContractException($"the body announces more than {limit} bytes");
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(content.Headers.ContentLength ?? 0, 16 * 1024, 1 << 20));
        var length = 0;
        try
        {
            await using (var stream = Decoded(await content.ReadAsStreamAsync(ct), encodings))
            {
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(length), ct)) > 0)
                {
                    length += read;
                    if (length > limit)
                    {
                        throw new ConnectraContractException($"the body is larger than {limit} bytes");
                    }

                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }
            }
        }
        catch (InvalidDataException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new ConnectraContractException("the body is not valid for its Content-Encoding");
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        var buffered = new ConnectraBody(buffer, length);
        foreach (var header in content.Headers.Where(h =>
            !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase)))
        {
            buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        content.Dispose();
        return buffered;
    }

    private static Stream Decoded(Stream body, ICollection<string> encodings)
    {
        // Encodings are listed in the order they were applied; undo them last first.
        foreach (var encoding in encodings.Reverse())
        {
            body = encoding.Trim().ToUpperInvariant() switch
            {
                "GZIP" or "X-GZIP" => new GZipStream(body, CompressionMode.Decompress),
                // HTTP's "deflate" is the zlib format (RFC 9110, section 8.4.1.2).
                "DEFLATE" => new ZLibStream(body, CompressionMode.Decompress),
                "IDENTITY" => body,
                var other => throw new ConnectraContractException($"the body has an encoding that was not asked for ({other})"),
            };
        }

        return body;
    }
}

/// <summary>
/// An answer's body, read whole into a pooled buffer by the client. Search pages of an export are read from
/// <see cref="Memory"/> straight, without a copy; the buffer goes back to the pool when the content is disposed, so
/// <see cref="Memory"/> must not be used after that.
/// </summary>
public sealed class ConnectraBody : HttpContent
{
    private byte[]? _buffer;
    private readonly int _length;

    internal ConnectraBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public ReadOnlyMemory<byte> Memory => _buffer is { } buffer ? buffer.AsMemory(0, _length) : throw new ObjectDisposedException(nameof(ConnectraBody));

    /// <summary>The bytes of any answer content: this body's own buffer, or a copy of another kind of content.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpContent content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        return content is ConnectraBody body ? body.Memory : await content.ReadAsByteArrayAsync(ct);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync(Memory).AsTask();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(Memory, cancellationToken).AsTask();

    protected override Task<Stream> CreateContentReadStreamAsync() =>
        Task.FromResult<Stream>(new MemoryStream(_buffer ?? throw new ObjectDisposedException(nameof(ConnectraBody)), 0, _length, writable: false));

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        base.Dispose(disposing);
    }
}
