using Connectra.Backend.Application;

namespace Connectra.Backend.UnitTests;

public sealed class ValuesTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "_", "", "_" }, null)]
    [InlineData(new[] { "saas" }, "saas")]
    [InlineData(new[] { "_", "saas", "" }, "saas")]
    [InlineData(new[] { "saas", "b2b" }, "saas, b2b")]
    [InlineData(new[] { "_", "saas", "", "b2b", "_", "crm" }, "saas, b2b, crm")]
    [InlineData(new[] { "a, b", " " }, "a, b,  ")]
    public void Join_keeps_the_known_values_in_order_comma_separated(string[]? values, string? expected) =>
        Assert.Equal(expected, Values.Join(values));

    [Fact]
    public void Join_skips_null_items() =>
        Assert.Equal("x, y", Values.Join(["x", null!, "y"]));

    [Fact]
    public void Join_agrees_with_joining_the_cleaned_list_on_every_mix_of_unknowns()
    {
        string[] pool = ["_", "", "ab", "é", "x y"];
        var random = new Random(7);
        for (var run = 0; run < 2_000; run++)
        {
            var values = Enumerable.Range(0, random.Next(0, 7)).Select(_ => pool[random.Next(pool.Length)]).ToArray();
            var cleaned = Values.CleanList(values);
            Assert.Equal(cleaned.Count == 0 ? null : string.Join(", ", cleaned), Values.Join(values));
        }
    }
}
