using System.Diagnostics.CodeAnalysis;

namespace Connectra.Backend.Application.Vql;

/// <summary>How Connectra's search index holds a field (docs/connectra.md#documents), which decides every clause it takes.</summary>
public enum FieldKind
{
    /// <summary>Analysed text with an <c>.ngram</c> sub-field: phrase, word and fragment search; no sorting.</summary>
    Text,

    /// <summary>One whole, case-sensitive value: equality, any-of, lexicographic ranges, sorting.</summary>
    Keyword,

    /// <summary>A list of keywords: a condition holds when any element satisfies it.</summary>
    KeywordArray,

    /// <summary>A 64-bit integer: equality and ranges; Connectra answers 500 when asked to sort on it.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name",
        Justification = "Named after the Elasticsearch field type (docs/connectra.md#documents), as the other kinds are.")]
    Long,

    /// <summary>A timestamp: ranges; Connectra answers 500 when asked to sort on it.</summary>
    Date,

    /// <summary>A PostgreSQL column that Connectra returns but does not index: selectable, never filterable.</summary>
    ResponseOnly,

    /// <summary>Documented by the original API, but Connectra has neither an index field nor a column for it.</summary>
    Unavailable,
}

/// <summary>One public field of the client dialect and what Connectra can do with it.</summary>
public sealed class FieldDefinition
{
    /// <summary>The canonical public name (snake_case, as the client dialect spells it).</summary>
    public required string Name { get; init; }

    /// <summary>Other accepted spellings (docs/vql.md#field-catalogues lists them, e.g. <c>id</c> for <c>uuid</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The field name in Connectra's search index; null when the field is not indexed.</summary>
    public string? ConnectraField { get; init; }

    public required FieldKind Kind { get; init; }

    /// <summary>
    /// True for keyword and keyword-array fields only: Connectra answers 500 to sorts on text, numbers and dates
    /// (docs/connectra.md#ordering, docs/connectra.md#x1).
    /// </summary>
    public bool Sortable => Kind is FieldKind.Keyword or FieldKind.KeywordArray;

    /// <summary>The PostgreSQL column to put in <c>select_columns</c>; null when the entity's table has none.</summary>
    public string? SelectColumn { get; init; }

    /// <summary>Why the field cannot be filtered (ResponseOnly, Unavailable) or selected, in words for a client.</summary>
    public string? Note { get; init; }

    /// <summary>
    /// Text fields that hold URLs or domains: the standard analyzer keeps <c>www.acme.com</c> as one token, so
    /// word search never finds a part of it and <c>contains</c> searches fragments instead.
    /// </summary>
    internal bool FragmentSearch { get; init; }

    public bool Filterable => Kind is not (FieldKind.ResponseOnly or FieldKind.Unavailable);

    public override string ToString() => Name;
}
