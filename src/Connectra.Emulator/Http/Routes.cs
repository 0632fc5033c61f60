using System.Text.Json;
using Connectra.Client;
using Connectra.Client.Filters;
using Connectra.Client.Records;
using Connectra.Emulator.Search;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Connectra.Emulator.Http;

/// <summary>
/// Connectra's routes (docs/connectra.md#endpoints), matched like Gin's router: exact paths, a 301/307 redirect when only the
/// other trailing-slash form exists, 404 text for anything else and never 405. Jobs and upload-url are out of
/// scope and answer as unknown routes.
/// </summary>
internal sealed class Routes(EmulatorEngine engine)
{
    private const int MaxLimit = 100;
    private const int MaxPage = 10;
    private const int MaxBatch = 100;

    private delegate Task Handler(HttpContext context, string? service);

    /// <summary>The handler for a method and path, with the {service} segment when the route has one.</summary>
    private (Handler Handler, string? Service)? Match(string method, string path)
    {
        if (method == HttpMethods.Get && path == "/health")
        {
            return (Health, null);
        }

        if (method == HttpMethods.Post)
        {
            Handler? handler = path switch
            {
                "/contacts/" => SearchContacts,
                "/contacts/count" => CountContacts,
                "/contacts/batch-upsert" => UpsertContacts,
                "/companies/" => SearchCompanies,
                "/companies/count" => CountCompanies,
                "/companies/batch-upsert" => UpsertCompanies,
                "/common/batch-upsert" => UpsertRows,
                _ => null,
            };
            if (handler is not null)
            {
                return (handler, null);
            }
        }

        var segments = path.Split('/');
        if (segments is ["", "common", { Length: > 0 } service, "filters"] && method == HttpMethods.Get)
        {
            return (Filters, service);
        }

        if (segments is ["", "common", { Length: > 0 } service2, "filters", "data"] && method == HttpMethods.Post)
        {
            return (FilterValues, service2);
        }

        return null;
    }

    /// <summary>
    /// Gin redirects before any middleware runs: no limiter, no key check. GET gets 301, other methods 307.
    /// </summary>
    public bool TryRedirect(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path == "/" || Match(context.Request.Method, path) is not null)
        {
            return false;
        }

        var other = path.EndsWith('/') ? path.TrimEnd('/') : path + "/";
        if (other.Length == 0 || Match(context.Request.Method, other) is null)
        {
            return false;
        }

        context.Response.StatusCode = context.Request.Method == HttpMethods.Get ? 301 : 307;
        context.Response.Headers.Location = other + context.Request.QueryString;
        return true;
    }

    public async Task DispatchAsync(HttpContext context)
    {
        if (Match(context.Request.Method, context.Request.Path.Value ?? "/") is not { } route)
        {
            await Responses.NotFound(context);
            return;
        }

        try
        {
            await route.Handler(context, route.Service);
        }
        catch (ConnectraFailure failure)
        {
            await Responses.Error(context, failure.Status, failure.Message);
        }
        catch (PostgresException ex)
        {
            await Responses.Error(context, 500, $"ERROR #{ex.SqlState} {ex.MessageText}");
        }
    }

    private static Task Health(HttpContext context, string? service) =>
        Responses.Json(context, 200, new ConnectraHealth { Status = "ok" });

    private async Task SearchContacts(HttpContext context, string? service)
    {
        if (await BindQueryAsync(context) is { } query)
        {
            var data = await engine.SearchContactsAsync(query, context.RequestAborted);
            await Responses.List(context, data);
        }
    }

    private async Task SearchCompanies(HttpContext context, string? service)
    {
        if (await BindQueryAsync(context) is { } query)
        {
            // company_config is contacts-only: companies ignore it.
            var data = await engine.SearchCompaniesAsync(query with { PopulateCompany = false }, context.RequestAborted);
            await Responses.List(context, data);
        }
    }

    private async Task CountContacts(HttpContext context, string? service)
    {
        if (await BindQueryAsync(context) is { } query)
        {
            await Count(context, engine.CountContacts(query));
        }
    }

    private async Task CountCompanies(HttpContext context, string? service)
    {
        if (await BindQueryAsync(context) is { } query)
        {
            await Count(context, engine.CountCompanies(query));
        }
    }

    private static Task Count(HttpContext context, long count) =>
        Responses.Json(context, 200, new ConnectraCount { Count = count, Success = true });

    private async Task UpsertContacts(HttpContext context, string? service)
    {
        if (await BindAsync(context, RequestBinder.Contacts) is { } contacts && await CheckBatchAsync(context, contacts.Count))
        {
            // Write errors are dropped: Connectra answers success whatever happened (docs/connectra.md#x6).
            await engine.UpsertContactsAsync(contacts, context.RequestAborted);
            await Responses.Ack(context);
        }
    }

    private async Task UpsertCompanies(HttpContext context, string? service)
    {
        if (await BindAsync(context, RequestBinder.Companies) is { } companies && await CheckBatchAsync(context, companies.Count))
        {
            await engine.UpsertCompaniesAsync(companies, context.RequestAborted);
            await Responses.Ack(context);
        }
    }

    private static async Task<bool> CheckBatchAsync(HttpContext context, int count)
    {
        if (count <= MaxBatch)
        {
            return true;
        }

        await Responses.Error(context, 400, "ERR_PAGE_SIZE_EXCEEDED: batch size cannot exceed 100");
        return false;
    }

    private async Task UpsertRows(HttpContext context, string? service)
    {
        if (await BindAsync(context, RequestBinder.Rows) is not { } rows)
        {
            return;
        }

        if (rows.Count == 0)
        {
            await Responses.Error(context, 400, "ERR_EMPTY_PAYLOAD: data must contain at least one row");
            return;
        }

        if (rows.Count > MaxBatch)
        {
            await Responses.Error(context, 400, "ERR_BATCH_TOO_LARGE: data cannot contain more than 100 rows");
            return;
        }

        var errors = await engine.UpsertRowsAsync(rows, context.RequestAborted);
        if (errors.Count > 0)
        {
            await Responses.Error(context, 500, string.Join("; ", errors));
            return;
        }

        await Responses.Ack(context, "Batch upsert successful");
    }

    private async Task Filters(HttpContext context, string? service)
    {
        CheckService(service!);
        var filters = await engine.FiltersAsync(service!, context.RequestAborted);
        await Responses.List(context, filters.Count == 0 ? null : filters);
    }

    private async Task FilterValues(HttpContext context, string? service)
    {
        if (await BindAsync(context, RequestBinder.FilterValues) is not { } request)
        {
            return;
        }

        if (request.Limit > MaxLimit)
        {
            await Responses.Error(context, 400, "ERR_PAGE_SIZE_EXCEEDED: limit cannot exceed 100");
            return;
        }

        CheckService(service!);
        List<ConnectraFilterValue> values;
        try
        {
            values = await engine.FilterValuesAsync(
                service!, request.FilterKey, request.SearchText, request.Page, request.Limit, context.RequestAborted);
        }
        catch (Store.FilterNotFoundException ex)
        {
            throw ConnectraFailure.Internal(ex.Message);
        }

        await Responses.List(context, values);
    }

    private static void CheckService(string service)
    {
        if (service is not (ConnectraService.Contact or ConnectraService.Company))
        {
            throw ConnectraFailure.Internal($"ERR_UNSUPPORTED_SERVICE: unsupported service: {service}");
        }
    }

    /// <summary>Binds a VQL body and applies Connectra's checks: limit first, then page (docs/connectra.md#top-level-keys, docs/connectra.md#errors).</summary>
    private static async Task<VqlRequest?> BindQueryAsync(HttpContext context)
    {
        if (await BindAsync(context, RequestBinder.Vql) is not { } query)
        {
            return null;
        }

        if (query.Limit > MaxLimit)
        {
            await Responses.Error(context, 400, "ERR_PAGE_SIZE_EXCEEDED: limit cannot exceed 100");
            return null;
        }

        if (query.Page > MaxPage)
        {
            await Responses.Error(context, 400, "ERR_PAGE_OUT_OF_RANGE: page cannot exceed 10");
            return null;
        }

        return query;
    }

    /// <summary>Reads the whole body as JSON whatever its Content-Type; answers 400 itself on a bind error.</summary>
    private static async Task<T?> BindAsync<T>(HttpContext context, Func<JsonElement, GoJson, T> bind)
        where T : class?
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (!GoJson.TryParse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), out var root, out var syntaxError))
        {
            await Responses.Error(context, 400, syntaxError);
            return null;
        }

        var go = new GoJson();
        var bound = bind(root, go);
        if (go.Error is not null)
        {
            await Responses.Error(context, 400, go.Error);
            return null;
        }

        return bound;
    }
}
