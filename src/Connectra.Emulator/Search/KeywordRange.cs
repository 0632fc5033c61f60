using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Connectra.Emulator.Search;

/// <summary>A <c>range_query</c> as the compiler understood it, before it becomes a Lucene query.</summary>
internal abstract record ParsedRange
{
    public abstract Query ToQuery(string field);
}

/// <summary>
/// A <c>range_query</c> on a keyword: terms compared as bytes (Elasticsearch's and Lucene's term order), a null bound
/// is open. Elasticsearch runs it as a term range; a walk over the field's terms applies it by where it starts and
/// stops instead (<see cref="SortedWalk"/>).
/// </summary>
internal sealed record KeywordRange(BytesRef? Lower, BytesRef? Upper, bool IncludeLower, bool IncludeUpper) : ParsedRange
{
    public static KeywordRange Everything { get; } = new(null, null, true, true);

    public override Query ToQuery(string field) => new TermRangeQuery(field, Lower, Upper, IncludeLower, IncludeUpper);

    /// <summary>False for every term below the lower bound, so a walk that has reached the lower bound stays true.</summary>
    public bool AboveLower(BytesRef term)
    {
        if (Lower is null)
        {
            return true;
        }

        var order = term.CompareTo(Lower);
        return order > 0 || (order == 0 && IncludeLower);
    }

    /// <summary>False for every term above the upper bound: where a walk in term order stops.</summary>
    public bool BelowUpper(BytesRef term)
    {
        if (Upper is null)
        {
            return true;
        }

        var order = term.CompareTo(Upper);
        return order < 0 || (order == 0 && IncludeUpper);
    }

    /// <summary>
    /// Where a walk starts: the later of the cursor (whose ties stay candidates, since later sort keys decide them)
    /// and the lower bound.
    /// </summary>
    public BytesRef? Start(BytesRef? after) =>
        after is null ? Lower : Lower is null || after.CompareTo(Lower) > 0 ? after : Lower;
}
