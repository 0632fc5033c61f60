using System.Text.Json;
using Connectra.Client.Vql;

namespace Connectra.Backend.Application.Vql;

/// <summary>Native <c>where</c> objects the backend builds itself, for lookups that need no client dialect.</summary>
public static class NativeWhere
{
    /// <summary>keyword_match.must: the keyword field equals the value, or one of the values of an array.</summary>
    public static VqlWhere Keyword(string field, JsonElement value) =>
        new() { KeywordMatch = new VqlKeywordMatch { Must = new Dictionary<string, JsonElement> { [field] = value } } };
}
