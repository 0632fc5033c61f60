using Connectra.Backend.Application.Exports;

namespace Connectra.Backend.FunctionalTests.Documentation;

/// <summary>
/// The neutralisation table of docs/exports.md#formula-injection is the code's <see cref="CsvInjection.Table"/>, line for
/// line: what the docs promise analysts is what the writer does.
/// </summary>
public sealed class CsvInjectionDocumentationTests
{
    private const string TableHeader = "| Rule | Characters | Code points |";

    [Fact]
    public void The_documented_neutralisation_table_is_the_one_the_writer_follows()
    {
        var documented = RepositoryFiles.Read("docs/exports.md").Split('\n')
            .SkipWhile(line => line.TrimEnd() != TableHeader)
            .Skip(2)
            .TakeWhile(line => line.StartsWith('|'))
            .Select(line => line.TrimEnd())
            .ToList();
        var coded = CsvInjection.Table.Select(Row).ToList();

        Assert.True(coded.SequenceEqual(documented),
            $"docs/exports.md should list, under '{TableHeader}':\n{string.Join('\n', coded)}");
    }

    [Fact]
    public void Every_rule_of_the_table_has_lines_and_the_brief_of_the_docs_holds()
    {
        Assert.All(Enum.GetValues<CsvCharacterRule>(), rule => Assert.Contains(CsvInjection.Table, line => line.Rule == rule));
        // The characters the docs name in prose, by the table itself.
        Assert.All("=+-@＝＋－＠".EnumerateRunes(), rune => Assert.True(CsvInjection.IsFormula(rune), rune.ToString()));
        Assert.All(" \t\r\n\0\u00A0\u3000\u2003\u200B\u200C\u200D\u2060\uFEFF\u202E\u00AD".EnumerateRunes(),
            rune => Assert.True(CsvInjection.IsIgnorable(rune), $"U+{rune.Value:X4}"));
        Assert.All("aZ09'\"|!(é中�".EnumerateRunes(), rune => Assert.False(CsvInjection.IsIgnorable(rune) || CsvInjection.IsFormula(rune), rune.ToString()));
    }

    private static string Row(CsvCharacters line) =>
        $"| {Rule(line.Rule)} | {line.Description} | {string.Join(' ', line.Notation.Select(n => $"`{n}`"))} |";

    private static string Rule(CsvCharacterRule rule) => rule switch
    {
        CsvCharacterRule.NeutralisedFirst => "first character",
        CsvCharacterRule.Formula => "formula character",
        CsvCharacterRule.Ignorable => "ignorable",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };
}
