using Connectra.Backend.Application.Paging;
using Connectra.Backend.Application.Vql;
using Connectra.Client.Records;
using Connectra.Client.Vql;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.UnitTests.Paging;

public sealed class PagedSearchTests
{
    private static readonly IReadOnlyList<ConnectraContact> Rows =
    [
        .. Enumerable.Range(0, 1234).Select(i => new ConnectraContact
        {
            Uuid = $"{i * 7919 % 10007:00000}-uuid",
            Email = $"user{i % 50:00}@example.com", // many ties: the uuid tie-break decides
        }),
    ];

    private readonly InMemoryConnectra _connectra = new(Rows);
    private readonly PagedSearch _paging = new(Codec());

    private static CursorCodec Codec(string key = "test-cursor-key") =>
        new(Options.Create(new PagingOptions { CursorKey = key }));

    private static SearchSpec Spec(string? sortBy = "-email") => new(
        "contacts", null, VqlConverter.ToOrderBy(FieldCatalogue.Contacts, sortBy, null), null, null, Reversible: true);

    private Task<PageOf<ConnectraContact>> FetchAsync(SearchSpec spec, int? limit, int? offset, string? cursor) =>
        _paging.FetchAsync(spec, new PageRequest(limit, offset, cursor), _connectra.SearchAsync, c => c.Cursor, TestContext.Current.CancellationToken);

    private static List<string> Expected(SearchSpec spec)
    {
        var all = new InMemoryConnectra(Rows).SearchAsync(new VqlQuery { OrderBy = spec.OrderBy, Limit = int.MaxValue }, default).Result;
        return [.. all.Select(r => r.Uuid!)];
    }

    [Fact]
    public async Task Walking_next_from_the_first_page_visits_every_row_exactly_once_in_order()
    {
        var spec = Spec();
        var seen = new List<string>();
        var page = await FetchAsync(spec, 100, null, null);
        seen.AddRange(page.Items.Select(i => i.Uuid!));
        while (page.Next is { } next)
        {
            page = await FetchAsync(spec, 100, null, next);
            seen.AddRange(page.Items.Select(i => i.Uuid!));
        }

        Assert.Equal(Expected(spec), seen);
        Assert.All(_connectra.Queries, q => Assert.True(q.Page is null or <= 10 && q.Limit is <= 100));
        Assert.All(_connectra.Queries.Where(q => q.Cursor is not null), q => Assert.Null(q.Page));
    }

    [Theory]
    [InlineData(0, 25)]
    [InlineData(5, 10)]    // not a multiple of the limit
    [InlineData(37, 25)]
    [InlineData(990, 10)]  // the last rows of Connectra's window
    [InlineData(901, 99)]
    [InlineData(0, 100)]
    public async Task An_offset_inside_the_window_returns_exactly_those_rows(int offset, int limit)
    {
        var spec = Spec();

        var page = await FetchAsync(spec, limit, offset, null);

        Assert.Equal(Expected(spec).Skip(offset).Take(limit), page.Items.Select(i => i.Uuid!));
        Assert.Equal("limit-offset", page.Strategy);
        Assert.All(_connectra.Queries, q => Assert.InRange(q.Page ?? 0, 1, 10));
        Assert.InRange(_connectra.Queries.Count, 1, 2);
    }

    [Fact]
    public async Task An_offset_beyond_the_window_is_refused_and_points_to_the_cursor()
    {
        var failure = await Assert.ThrowsAsync<VqlValidationException>(() => FetchAsync(Spec(), 25, 990, null));

        Assert.Equal("offset", failure.Field);
        Assert.Contains("cursor", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_connectra.Queries);
    }

    [Fact]
    public async Task Previous_walks_back_to_the_same_pages_that_next_walked_forward()
    {
        var spec = Spec();
        var first = await FetchAsync(spec, 40, null, null);
        var second = await FetchAsync(spec, 40, null, first.Next);
        var third = await FetchAsync(spec, 40, null, second.Next);

        var backToSecond = await FetchAsync(spec, 40, null, third.Previous);
        var backToFirst = await FetchAsync(spec, 40, null, backToSecond.Previous);

        Assert.Equal(second.Items.Select(i => i.Uuid), backToSecond.Items.Select(i => i.Uuid));
        Assert.Equal(first.Items.Select(i => i.Uuid), backToFirst.Items.Select(i => i.Uuid));
        Assert.Null(first.Previous);
    }

    [Fact]
    public async Task The_last_page_has_no_next()
    {
        var spec = Spec();
        var page = await FetchAsync(spec, 100, 900, null);
        while (page.Next is { } next)
        {
            page = await FetchAsync(spec, 100, null, next);
        }

        Assert.Equal(Rows.Count % 100, page.Items.Count);
    }

    [Fact]
    public async Task Offset_paging_previous_steps_back_by_the_limit()
    {
        var spec = Spec();
        var page = await FetchAsync(spec, 10, 15, null);

        var previous = await FetchAsync(spec, 10, null, page.Previous);

        Assert.Equal(Expected(spec).Skip(5).Take(10), previous.Items.Select(i => i.Uuid!));
    }

    [Fact]
    public async Task A_cursor_from_another_query_is_refused()
    {
        var page = await FetchAsync(Spec("-email"), 10, null, null);

        var failure = await Assert.ThrowsAsync<VqlValidationException>(() => FetchAsync(Spec("email"), 10, null, page.Next));

        Assert.Equal("cursor", failure.Field);
        Assert.Contains("other filters or another order", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJrIjoiYSJ9.AAAA")]
    [InlineData("")]
    public async Task A_forged_or_malformed_cursor_is_refused(string suffix)
    {
        var spec = Spec();
        var page = await FetchAsync(spec, 10, null, null);
        var forged = suffix.Length == 0 ? page.Next![..^2] + "AA" : suffix;

        var failure = await Assert.ThrowsAsync<VqlValidationException>(() => FetchAsync(spec, 10, null, forged));

        Assert.Equal("cursor", failure.Field);
    }

    [Fact]
    public async Task A_cursor_signed_with_another_key_is_refused()
    {
        var spec = Spec();
        var foreign = await new PagedSearch(Codec("another-key")).FetchAsync(
            spec, new PageRequest(10, null, null), _connectra.SearchAsync, c => c.Cursor, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<VqlValidationException>(() => FetchAsync(spec, 10, null, foreign.Next));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task A_limit_outside_one_to_a_hundred_is_refused(int limit)
    {
        var failure = await Assert.ThrowsAsync<VqlValidationException>(() => FetchAsync(Spec(), limit, null, null));

        Assert.Equal("limit", failure.Field);
    }

    [Fact]
    public async Task Offset_and_cursor_together_are_refused()
    {
        var page = await FetchAsync(Spec(), 10, null, null);

        var failure = await Assert.ThrowsAsync<VqlValidationException>(() => FetchAsync(Spec(), 10, 20, page.Next));

        Assert.Equal("offset", failure.Field);
    }
}
