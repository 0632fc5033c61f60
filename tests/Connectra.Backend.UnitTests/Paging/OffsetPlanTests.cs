using Connectra.Backend.Application.Paging;

namespace Connectra.Backend.UnitTests.Paging;

public sealed class OffsetPlanTests
{
    [Theory]
    [InlineData(0, 25, 25, 1, 1, 0)]
    [InlineData(50, 25, 25, 3, 1, 0)]
    [InlineData(5, 10, 15, 1, 1, 5)]    // one page of 15 holds rows 5..14
    [InlineData(900, 100, 100, 10, 1, 0)]
    [InlineData(950, 50, 100, 10, 1, 50)]
    public void The_smallest_page_size_that_holds_the_window_in_one_call_is_chosen(
        int offset, int limit, int size, int page, int pages, int skip)
    {
        Assert.Equal(new OffsetPlan(size, page, pages, skip), OffsetPlan.For(offset, limit));
    }

    [Fact]
    public void Every_window_inside_a_thousand_rows_is_reachable_and_covered()
    {
        for (var limit = 1; limit <= 100; limit += 7)
        {
            for (var offset = 0; offset + limit <= OffsetPlan.Window; offset += 13)
            {
                var plan = OffsetPlan.For(offset, limit);

                Assert.NotNull(plan);
                Assert.InRange(plan.FirstPage + plan.Pages - 1, 1, OffsetPlan.MaxPage);
                Assert.InRange(plan.PageSize, limit, OffsetPlan.MaxPageSize);
                var from = ((plan.FirstPage - 1) * plan.PageSize) + plan.Skip;
                Assert.Equal(offset, from);
                Assert.True(plan.Skip + limit <= plan.PageSize * plan.Pages, $"offset {offset} limit {limit}");
            }
        }
    }

    [Theory]
    [InlineData(1000, 1)]
    [InlineData(991, 10)]
    public void A_window_past_row_1000_has_no_plan(int offset, int limit) => Assert.Null(OffsetPlan.For(offset, limit));
}
