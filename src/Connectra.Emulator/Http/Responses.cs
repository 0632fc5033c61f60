using System.Text.Json;
using Connectra.Client.Records;
using Microsoft.AspNetCore.Http;

namespace Connectra.Emulator.Http;

/// <summary>Connectra's bodies: <c>{"error","success":false}</c> from handlers, <c>{"error","message"}</c> from middleware.</summary>
internal static class Responses
{
    public static Task Json<T>(HttpContext context, int status, T body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, WireJson.Info<T>(), context.RequestAborted);
    }

    /// <summary>A list; null is Go's nil slice, written as <c>"data": null</c>.</summary>
    public static Task List<T>(HttpContext context, IReadOnlyList<T>? data) => Json(context, 200, new DataEnvelope<T>(data, true));

    public static Task Error(HttpContext context, int status, string message) =>
        Json(context, status, new ConnectraError { Error = message, Success = false });

    public static Task MiddlewareError(HttpContext context, int status, string error, string message) =>
        Json(context, status, new ConnectraError { Error = error, Message = message });

    public static Task Ack(HttpContext context, string? message = null) =>
        Json(context, 200, new ConnectraAck { Success = true, Message = message });

    public static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = 404;
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync("404 page not found", context.RequestAborted);
    }
}
