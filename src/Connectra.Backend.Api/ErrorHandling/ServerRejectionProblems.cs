using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Connectra.Backend.Api.Http;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using BadHttpRequestException = Microsoft.AspNetCore.Http.BadHttpRequestException;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Api.ErrorHandling;

/// <summary>
/// Gives the requests Kestrel refuses before the application runs — a request line it cannot parse, a path holding
/// "%00", a malformed header — the problem document every other error has, instead of Kestrel's bodyless status
/// (docs/api.md#paths). Kestrel offers no hook for that answer, so two public seams are joined: its
/// "Microsoft.AspNetCore.Server.Kestrel.BadRequest" diagnostic event says which connection is about to get one, and
/// a connection middleware on that connection adds the body to the head Kestrel then writes. Plain-HTTP HTTP/1.x
/// only: under TLS terminated by Kestrel itself the middleware sees ciphertext and lets it pass, as it lets pass
/// everything it does not recognise.
/// </summary>
internal sealed class ServerRejectionProblems : IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    private readonly ConcurrentDictionary<string, RejectionAwareWriter> _connections = new(StringComparer.Ordinal);
    private readonly JsonSerializerOptions _json;
    private readonly IDisposable _subscription;

    // The options the problem-details writer answers with everywhere else.
    public ServerRejectionProblems(DiagnosticListener diagnostics, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        _json = json.Value.SerializerOptions;
        _subscription = diagnostics.Subscribe(this, name => name == BadRequestEvent);
    }

    /// <summary>The connection middleware: remembers each connection's output until the connection ends.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var output = new RejectionAwareWriter(connection.Transport.Output);
        var transport = connection.Transport;
        connection.Transport = new DuplexPipe(transport.Input, output);
        _connections[connection.ConnectionId] = output;
        try
        {
            await next(connection);
        }
        finally
        {
            _connections.TryRemove(connection.ConnectionId, out _);
            connection.Transport = transport;
        }
    };

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != BadRequestEvent || value.Value is not IFeatureCollection features
            || features.Get<IHttpResponseFeature>() is not { HasStarted: false }
            || features.Get<IHttpConnectionFeature>()?.ConnectionId is not { } connectionId
            || !_connections.TryGetValue(connectionId, out var output)
            || features.Get<IBadRequestExceptionFeature>()?.Error is not BadHttpRequestException rejected)
        {
            return;
        }

        // A HEAD answer has no body to carry one. (When Kestrel refuses the request line, it has not read the
        // method yet; that answer ends the connection, so the body it gets cannot be taken for the next response.)
        if (!HttpMethods.IsHead(features.Get<IHttpRequestFeature>()?.Method ?? ""))
        {
            output.Arm(Problem(features, rejected));
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose() => _subscription.Dispose();

    private byte[] Problem(IFeatureCollection features, BadHttpRequestException rejected)
    {
        // Kestrel records the target before it decodes it, so a path it could not decode is still there to name.
        var rawTarget = features.Get<IHttpRequestFeature>()?.RawTarget;
        var problem = rawTarget is { Length: > 0 } && RequestPathCheck.Problem(rawTarget.Split('?', 2)[0]) is { } path
            ? ProblemDetailsSetup.ValidationProblem(new Dictionary<string, string[]> { ["path"] = [path] })
            : ProblemDetailsSetup.Unreadable(rejected.StatusCode, rejected.Message);
        if (features.Get<IHttpRequestIdentifierFeature>()?.TraceIdentifier is { } requestId)
        {
            problem.Extensions["request_id"] = requestId;
        }

        return JsonSerializer.SerializeToUtf8Bytes(problem, _json);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}

/// <summary>
/// A connection's output, passed through untouched until <see cref="Arm"/>: then the next response head is held,
/// and if it is Kestrel's bodyless refusal ("HTTP/1.1 4xx …, Content-Length: 0") it leaves with the problem document
/// as its body. Anything else leaves exactly as written.
/// </summary>
internal sealed class RejectionAwareWriter(PipeWriter inner) : PipeWriter
{
    private readonly Lock _gate = new();
    private ArrayBufferWriter<byte>? _held;
    private byte[]? _body;

    public void Arm(byte[] body)
    {
        lock (_gate)
        {
            _held = new ArrayBufferWriter<byte>();
            _body = body;
        }
    }

    public override void Advance(int bytes)
    {
        if (_held is { } held)
        {
            held.Advance(bytes);
        }
        else
        {
            inner.Advance(bytes);
        }
    }

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes + (_held?.WrittenCount ?? 0);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _held?.GetMemory(sizeHint) ?? inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _held is { } held ? held.GetSpan(sizeHint) : inner.GetSpan(sizeHint);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Release();
        return inner.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        Release();
        inner.Complete(exception);
    }

    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        Release();
        await inner.CompleteAsync(exception);
    }

    /// <summary>Writes what was held — rewritten when it is the refusal it waited for — and stops holding.</summary>
    private void Release()
    {
        byte[]? held;
        byte[] body;
        // Every flush of every response passes here and almost none is armed: only an armed writer takes the lock.
        if (Volatile.Read(ref _held) is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_held is null)
            {
                return;
            }

            held = _held.WrittenSpan.ToArray();
            body = _body!;
            _held = null;
            _body = null;
        }

        inner.Write(WithBody(held, body) ?? held);
    }

    /// <summary>The head with <paramref name="body"/> as its problem document; null when it is no bodyless refusal.</summary>
    internal static byte[]? WithBody(ReadOnlySpan<byte> head, byte[] body)
    {
        if (!(head.StartsWith("HTTP/1.1 "u8) || head.StartsWith("HTTP/1.0 "u8)) || head.Length < 12 || head[9] is not ((byte)'4' or (byte)'5')
            || head.IndexOf("\r\n\r\n"u8) != head.Length - 4)
        {
            return null;
        }

        var lines = Encoding.ASCII.GetString(head[..^4]).Split("\r\n");
        if (!lines.Contains("Content-Length: 0", StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        // With the headers ResponseHeadersMiddleware gives every answer the application writes.
        var rewritten = lines.Where(line => !line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Append("Content-Type: application/problem+json")
            .Append("X-Content-Type-Options: nosniff")
            .Append("Referrer-Policy: no-referrer")
            .Append("Cache-Control: no-store")
            .Append($"Content-Length: {body.Length}");
        return [.. Encoding.ASCII.GetBytes(string.Join("\r\n", rewritten) + "\r\n\r\n"), .. body];
    }
}

internal static class ServerRejectionSetup
{
    /// <summary>Every endpoint Kestrel listens on answers its own refusals with a problem document.</summary>
    public static void AnswerRejectionsWithProblems(this KestrelServerOptions kestrel) =>
        kestrel.ConfigureEndpointDefaults(listen =>
            listen.Use(next => listen.ApplicationServices.GetRequiredService<ServerRejectionProblems>().Wrap(next)));
}
