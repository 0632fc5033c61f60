using Connectra.Backend.Application.Reading;
using Connectra.Backend.Application.Upstream;
using Connectra.Backend.Application.Vql;
using Connectra.Backend.FunctionalTests.Infrastructure;
using Connectra.Client.Records;
using Connectra.Client.Vql;
using Microsoft.Extensions.DependencyInjection;

namespace Connectra.Backend.FunctionalTests.EndToEnd;

/// <summary>
/// The shared read path, through its public surface, against the emulator: exact lookup, batch by uuid, one page,
/// every page by cursor and count, for both entities.
/// </summary>
public sealed class EntityReaderTests(EmulatorApiFactory stack) : EndToEndTestBase(stack)
{
    private async Task<TResult> WithReaderAsync<T, TResult>(Func<EntityReader<T>, Task<TResult>> use)
        where T : class, IConnectraRecord
    {
        await using var scope = Stack.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<EntityReader<T>>());
    }

    [Fact]
    public async Task A_thousand_uuids_come_back_in_the_order_asked_with_duplicates_collapsed_and_the_unknown_listed()
    {
        var wanted = DataSet.Contacts.Reverse().Take(1000).Select(c => c.Uuid!).ToList();
        const string unknown = "a0ffffff-0000-4000-8000-000000ffffff";
        var asked = wanted.Take(500).Append(unknown).Concat(wanted).ToList(); // 1,501 keys, 1,001 distinct

        var result = await WithReaderAsync<ConnectraContact, Application.Batching.BatchResult<ConnectraContact>>(
            reader => reader.GetManyAsync(asked, RowSelection.WithCompany, Ct));

        Assert.Equal(wanted, result.Found.Select(c => c.Uuid));
        Assert.Equal([unknown], result.Missing);
        Assert.All(result.Found, c => Assert.Equal(c.CompanyId, c.Company?.Uuid));
    }

    [Fact]
    public async Task Companies_are_found_by_uuid_in_batches_too()
    {
        var wanted = DataSet.Companies.Select(c => c.Uuid!).Reverse().ToList();

        var result = await WithReaderAsync<ConnectraCompany, Application.Batching.BatchResult<ConnectraCompany>>(
            reader => reader.GetManyAsync(wanted, new RowSelection(["uuid", "name"], null), Ct));

        Assert.Equal(wanted, result.Found.Select(c => c.Uuid));
        Assert.Empty(result.Missing);
        Assert.Equal(DataSet.Companies[^1].Name, result.Found[0].Name);
        Assert.All(result.Found, c => Assert.Null(c.Industries));
    }

    [Fact]
    public async Task An_exact_lookup_finds_that_record_or_nothing()
    {
        var source = DataSet.Contacts[77];

        var found = await WithReaderAsync<ConnectraContact, ConnectraContact?>(
            reader => reader.FindAsync(source.Uuid!, RowSelection.WithCompany, Ct));
        var missing = await WithReaderAsync<ConnectraCompany, ConnectraCompany?>(
            reader => reader.FindAsync("c0ffffff-0000-4000-8000-000000ffffff", RowSelection.All, Ct));

        Assert.Equal(source.Email, found?.Email);
        Assert.Equal(source.CompanyId, found?.Company?.Uuid);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Walking_every_page_visits_each_matching_row_once_and_agrees_with_the_count()
    {
        var where = VqlConverter.ToWhere(FieldCatalogue.Contacts, new FilterGroup
        {
            And = [new FilterCondition("email_status", "in", System.Text.Json.JsonDocument.Parse("""["verified","invalid"]""").RootElement)],
        });
        var expected = DataSet.Contacts.Where(c => c.EmailStatus is "verified" or "invalid").Select(c => c.Uuid!)
            .Order(StringComparer.Ordinal).ToList();

        var (walked, pages, count) = await WithReaderAsync<ConnectraContact, (List<string>, int, long)>(async reader =>
        {
            var rows = new List<string>();
            var pageCount = 0;
            await foreach (var page in reader.PagesAsync(reader.ByUuid(where, new RowSelection(["uuid"], null)), Ct))
            {
                pageCount++;
                rows.AddRange(page.Select(c => c.Uuid!));
            }

            return (rows, pageCount, await reader.CountAsync(where, Ct));
        });

        Assert.True(expected.Count > 100, "the walk must cross several pages");
        Assert.Equal(expected, walked);
        Assert.Equal((expected.Count + 99) / 100, pages);
        Assert.Equal(expected.Count, count);
    }

    [Fact]
    public async Task A_paced_walk_holds_its_turn_while_connectra_answers_and_reads_each_page_after_the_turn_ends()
    {
        var turns = new List<Turn>();
        var read = new List<string>();
        await WithReaderAsync<ConnectraContact, int>(async reader =>
        {
            await foreach (var page in reader.RawPagesAsync(
                reader.ByUuid(null, new RowSelection(["uuid"], null)), null, compressed: false,
                body =>
                {
                    // The page is read only after its turn ended, and it is read whole.
                    Assert.True(turns[^1].Ended, "the page was read while its turn was still held");
                    var uuids = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("data")
                        .EnumerateArray().Select(r => r.GetProperty("uuid").GetString()!).ToList();
                    return new UuidPage(uuids);
                },
                _ =>
                {
                    Assert.True(turns.Count == 0 || turns[^1].Ended, "a turn began before the last one ended");
                    turns.Add(new Turn());
                    return Task.FromResult<IDisposable>(turns[^1]);
                },
                Ct))
            {
                read.AddRange(page.Uuids);
            }

            return 0;
        });

        Assert.Equal(DataSet.Contacts.Select(c => c.Uuid!).Order(StringComparer.Ordinal), read);
        // One turn a page, the empty last page's included, and every one of them ended.
        Assert.Equal(((DataSet.Contacts.Count + Application.Paging.PageRequest.MaxLimit - 1) / Application.Paging.PageRequest.MaxLimit) + 1, turns.Count);
        Assert.All(turns, t => Assert.True(t.Ended));
    }

    private sealed class Turn : IDisposable
    {
        public bool Ended { get; private set; }

        public void Dispose() => Ended = true;
    }

    private sealed record UuidPage(IReadOnlyList<string> Uuids) : IRawPage
    {
        public int Count => Uuids.Count;

        public IReadOnlyList<string>? Cursor => Uuids.Count > 0 ? [Uuids[^1]] : null;

        public bool Ended => false;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task One_page_of_a_client_query_carries_a_cursor_that_continues_it()
    {
        var request = new VqlSearchRequest { SortBy = "-email", Limit = 40 };

        var (first, second) = await WithReaderAsync<ConnectraContact, (Application.Paging.CursorPage<ConnectraContact>, Application.Paging.CursorPage<ConnectraContact>)>(
            async reader =>
            {
                var page = await reader.QueryAsync(request, null, Ct);
                return (page, await reader.QueryAsync(request with { Cursor = page.Next }, null, Ct));
            });

        var expected = DataSet.Contacts.Select(c => c.Email!).OrderDescending(StringComparer.Ordinal).Take(80).ToList();
        Assert.Equal(expected, first.Results.Concat(second.Results).Select(c => c.Email));
        Assert.Equal("-email,uuid", first.Meta?.Ordering);
    }
}

public sealed class EntityReaderOutageTests(ApiFactory api) : ApiTestBase(api)
{
    [Fact]
    public async Task An_outage_in_any_chunk_fails_the_lookup_instead_of_returning_less()
    {
        Api.Connectra.Answer("POST", "/contacts/", 503, "");
        await using var scope = Api.Services.CreateAsyncScope();
        var contacts = scope.ServiceProvider.GetRequiredService<EntityReader<ConnectraContact>>();

        var failure = await Assert.ThrowsAsync<UpstreamUnavailableException>(() =>
            contacts.GetManyAsync([.. Enumerable.Range(0, 250).Select(i => $"uuid-{i}")], RowSelection.All, Ct));

        Assert.Equal(ConnectraEntities.Contacts.Unavailable, failure.Message);
    }
}
