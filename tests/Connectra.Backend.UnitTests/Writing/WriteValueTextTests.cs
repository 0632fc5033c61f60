using System.Text.Json;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Vql;
using Connectra.Backend.Application.Writing;

namespace Connectra.Backend.UnitTests.Writing;

/// <summary>
/// Imports read a cell's text straight into its field (<see cref="WriteValue.ReadString"/>, <see cref="WriteValue.ReadItems"/>)
/// instead of building a JSON value per cell: whatever the text, the value or the refusal must be exactly what the
/// field makes of the same text sent as a JSON string or array in a body.
/// </summary>
public sealed class WriteValueTextTests
{
    private static readonly string[] Texts =
    [
        "", " ", "  Ada  ", "ada@example.com", "ADA@Example.COM", " ada@example.com ", "ada@", "ada@example", "a b@example.com",
        "https://example.com/x", "ftp://example.com", "example.com", "javascript:alert(1)", "HTTPS://EXAMPLE.COM",
        "+33 (1) 23-45.67", "call me", "1234", "director", "DIRECTOR", "overlord", "c_suite",
        "acme.com", "ACME.com", "localhost", "-bad-.com", "6ba7b811-9dad-11d1-80b4-00c04fd430c8", "6BA7B811-9DAD-11D1-80B4-00C04FD430C8", "not-a-uuid",
        "line\nbreak\ttab", "bell\u0007", "nul\0", "lone \ud800 surrogate", "end \udc00", "pair \ud83d\ude00", "é café", new string('x', 70), new string('y', 300),
        new string('z', 600), new string('u', 2100),
    ];

    public static TheoryData<string> Fields() => [.. ContactFields().Select(f => "contact:" + f).Concat(CompanyFields().Select(f => "company:" + f))];

    [Theory]
    [MemberData(nameof(Fields))]
    public void A_text_reads_as_the_JSON_string_of_it_does(string field)
    {
        var value = ValueOf(field);
        if (value.Kind is WriteKind.List or WriteKind.Count)
        {
            Assert.Throws<InvalidOperationException>(() => value.ReadString("x", field));
            return;
        }

        foreach (var text in Texts)
        {
            Assert.Equal(Outcome(() => value.Read(JsonSerializer.SerializeToElement(text), field)), Outcome(() => value.ReadString(text, field)));
        }
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void A_list_reads_as_the_JSON_array_of_it_does(string field)
    {
        var value = ValueOf(field);
        if (value.Kind != WriteKind.List)
        {
            return;
        }

        string[][] lists =
        [
            [], ["Sales", "sales", " HR "], ["", "x"], [" "], ["a\u0001"], ["lone \ud800"], [new string('w', 200)],
            [.. Enumerable.Range(0, 64).Select(i => $"w{i}")], [.. Enumerable.Range(0, 65).Select(i => $"w{i}")],
        ];
        foreach (var list in lists)
        {
            Assert.Equal(Outcome(() => value.Read(JsonSerializer.SerializeToElement(list), field)), Outcome(() => value.ReadItems(list, field)));
        }
    }

    private static string Outcome(Func<object?> read)
    {
        try
        {
            return read() switch
            {
                null => "null",
                List<string> items => "list:" + string.Join('|', items),
                var other => $"{other.GetType().Name}:{other}",
            };
        }
        catch (VqlValidationException refused)
        {
            return "refused:" + refused.Message;
        }
    }

    private static IEnumerable<string> ContactFields() => new ContactWriteRules(null!).Fields.Select(f => f.Name);

    private static IEnumerable<string> CompanyFields() => new CompanyWriteRules().Fields.Select(f => f.Name);

    private static WriteValue ValueOf(string field) => field.Split(':') switch
    {
        ["contact", var name] => new ContactWriteRules(null!).Fields.First(f => f.Name == name).Value,
        [_, var name] => new CompanyWriteRules().Fields.First(f => f.Name == name).Value,
        _ => throw new ArgumentException(field, nameof(field)),
    };
}
