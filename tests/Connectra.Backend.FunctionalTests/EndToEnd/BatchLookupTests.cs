using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Upstream;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Client.Vql;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.EndToEnd;

/// <summary>Contacts by uuid in batches, against the emulator (and an outage against WireMock).</summary>
public sealed class BatchLookupTests(EmulatorApiFactory stack) : EndToEndTestBase(stack)
{
    [Fact]
    public async Task A_thousand_uuids_come_back_in_the_order_asked_with_duplicates_collapsed_and_the_unknown_listed()
    {
        var wanted = DataSet.Contacts.Reverse().Take(1000).Select(c => c.Uuid!).ToList();
        const string unknown = "a0ffffff-0000-4000-8000-000000ffffff";
        var asked = wanted.Take(500).Append(unknown).Concat(wanted).ToList(); // 1,501 keys, 1,001 distinct
        await using var scope = Stack.Services.CreateAsyncScope();
        var contacts = scope.ServiceProvider.GetRequiredService<ContactsService>();

        var result = await contacts.GetManyAsync(asked, new VqlCompanyConfig { Populate = true }, Ct);

        Assert.Equal(wanted, result.Found.Select(c => c.Uuid));
        Assert.Equal([unknown], result.Missing);
        Assert.All(result.Found, c => Assert.Equal(c.CompanyId, c.Company?.Uuid));
    }
}

public sealed class BatchLookupOutageTests(ApiFactory api) : ApiTestBase(api)
{
    [Fact]
    public async Task An_outage_in_any_chunk_fails_the_lookup_instead_of_returning_less()
    {
        Api.Connectra.Answer("POST", "/contacts/", 503, "");
        await using var scope = Api.Services.CreateAsyncScope();
        var contacts = scope.ServiceProvider.GetRequiredService<ContactsService>();

        var failure = await Assert.ThrowsAsync<UpstreamUnavailableException>(() =>
            contacts.GetManyAsync([.. Enumerable.Range(0, 250).Select(i => $"uuid-{i}")], null, Ct));

        Assert.Equal(ContactsService.Unavailable, failure.Message);
    }
}
