using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.NGram;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Util;

namespace Connectra.Emulator.Search;

/// <summary>
/// Elasticsearch's analysis as Connectra's mappings configure it (docs/connectra.md#analysis): the standard analyzer with
/// no stop words (UAX #29 words, lower-cased, no stemming, no accent folding), and for the <c>.ngram</c> sub-fields
/// the same words cut into every 5–10-character gram, all grams of a word at that word's position.
/// </summary>
internal static class Analyzers
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;
    public const string NGramSuffix = ".ngram";
    private const int MaxTokenLength = 255;

    public static Analyzer Standard { get; } = Analyzer.NewAnonymous((_, reader) =>
    {
        var tokenizer = new StandardTokenizer(Version, reader) { MaxTokenLength = MaxTokenLength };
        return new TokenStreamComponents(tokenizer, new LowerCaseFilter(Version, tokenizer));
    });

    public static Analyzer NGram { get; } = Analyzer.NewAnonymous((_, reader) =>
    {
        var tokenizer = new StandardTokenizer(Version, reader) { MaxTokenLength = MaxTokenLength };
        TokenStream stream = new LowerCaseFilter(Version, tokenizer);
        return new TokenStreamComponents(tokenizer, new NGramTokenFilter(Version, stream, 5, 10));
    });

    /// <summary>Index-time analysis: every text field is standard, its .ngram twin n-grammed.</summary>
    public static Analyzer PerField { get; } = new PerFieldNGramAnalyzer();

    private sealed class PerFieldNGramAnalyzer() : AnalyzerWrapper(PER_FIELD_REUSE_STRATEGY)
    {
        protected override Analyzer GetWrappedAnalyzer(string fieldName) =>
            fieldName.EndsWith(NGramSuffix, StringComparison.Ordinal) ? NGram : Standard;
    }
}
