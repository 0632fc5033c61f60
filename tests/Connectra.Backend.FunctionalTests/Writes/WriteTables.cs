using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Writing;

namespace Connectra.Backend.FunctionalTests.Writes;

/// <summary>One writable field of an entity's write table, as a body names it.</summary>
public sealed record WritableField(string Name, bool InMetadata, WriteValue Value)
{
    /// <summary>Where a refusal names it: <c>email</c>, <c>metadata.website</c>.</summary>
    public string Path => InMetadata ? $"metadata.{Name}" : Name;
}

/// <summary>The write tables the API checks bodies against (docs/writes.md), for tests that cover every field.</summary>
public static class WriteTables
{
    /// <summary>The fields of <paramref name="entity"/> ("contacts" or "companies") whose value must have a form.</summary>
    public static IReadOnlyList<WritableField> FieldsWithAFormat(string entity) =>
        [.. (entity == "contacts"
                ? new ContactWriteRules(null!).Fields.Select(f => new WritableField(f.Name, f.InMetadata, f.Value)) // the field table needs no repository
                : new CompanyWriteRules().Fields.Select(f => new WritableField(f.Name, f.InMetadata, f.Value)))
            .Where(f => f.Value.HasFormat)];
}
