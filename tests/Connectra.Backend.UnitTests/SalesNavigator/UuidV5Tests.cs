using Connectra.Backend.Application.SalesNavigator;

namespace Connectra.Backend.UnitTests.SalesNavigator;

public sealed class UuidV5Tests
{
    [Fact]
    public void The_rfc_test_vector_comes_out()
    {
        // RFC 9562, appendix A.4: "www.example.com" in the DNS namespace.
        Assert.Equal("2ed6657d-e927-568b-95e1-2665a8aea6a2", UuidV5.Text(UuidV5.DnsNamespace, "www.example.com"));
    }

    [Fact]
    public void A_url_name_gives_the_uuid_other_implementations_give()
    {
        Assert.Equal("fd766e5a-cf26-596b-b4f4-3e464683cc6b",
            UuidV5.Text(UuidV5.UrlNamespace, "https://www.linkedin.com/sales/lead/ACwAAA1,NAME_SEARCH,ab12"));
    }

    [Fact]
    public void Every_uuid_is_version_five_of_the_rfc_variant_and_depends_on_namespace_and_name()
    {
        var seen = new HashSet<Guid>();
        foreach (var name in Enumerable.Range(0, 500).Select(i => $"name-{i}-é"))
        {
            var uuid = UuidV5.Create(UuidV5.UrlNamespace, name);
            var text = uuid.ToString("D");
            Assert.Equal('5', text[14]);
            Assert.Contains(text[19], "89ab");
            Assert.Equal(uuid, UuidV5.Create(UuidV5.UrlNamespace, name));
            Assert.NotEqual(uuid, UuidV5.Create(UuidV5.DnsNamespace, name));
            Assert.True(seen.Add(uuid));
        }
    }
}
