using System.Net;
using System.Text.Json;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>Assertions on RFC 9457 problem documents.</summary>
public static class Problems
{
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? type = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        if (type is not null)
        {
            Assert.Equal(type, body.GetProperty("type").GetString());
        }

        Assert.False(body.TryGetProperty("exception", out _));
        Assert.DoesNotContain("   at ", body.GetRawText(), StringComparison.Ordinal); // no stack trace
        return body;
    }
}
