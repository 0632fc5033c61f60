using System.Text.Json;
using Connectra.Backend.Application.Persistence;
using Connectra.Backend.Application.Vql;

namespace Connectra.Backend.Application.Writing;

/// <summary>A record as stored after a write, with the version its ETag carries.</summary>
public sealed record Stored<TRow, TMeta>(TRow Row, TMeta Metadata, bool Created);

/// <summary>
/// Create, replace, patch and delete for one entity (docs/writes.md): the body is read against the entity's field
/// table and the record is stored through the <see cref="WriteService{TRow, TMeta}"/>, which every write shares. The
/// answer is built from what was stored, never read back from Connectra.
/// </summary>
public sealed class RecordWriter<TRow, TMeta>(IWriteRules<TRow, TMeta> rules, WriteService<TRow, TMeta> writes)
    where TRow : class, IWritableRow
    where TMeta : class, IUuidRow
{
    /// <summary>
    /// Creates a record. With a client-chosen uuid the call is idempotent: the same body again answers the stored
    /// record; another body for a live record is a 409 (use PUT to change it).
    /// </summary>
    public async Task<Stored<TRow, TMeta>> CreateAsync(JsonElement body, CancellationToken ct)
    {
        var (bodyUuid, given) = Read(body, partial: false);
        var uuid = bodyUuid ?? Guid.NewGuid().ToString("D");
        var (row, metadata) = rules.Empty(uuid);
        Apply(given, row, metadata);
        await rules.CheckAsync(row, metadata, ct);

        var stored = bodyUuid is null ? null : await writes.FindAsync(uuid, ct);
        if (stored is { Row.DeletedAt: null } live)
        {
            return Same(live.Row, live.Metadata, row, metadata)
                ? new Stored<TRow, TMeta>(live.Row, live.Metadata, Created: false)
                : throw new WriteRefusedException(WriteRefusal.Conflict, "uuid",
                    $"a record with uuid {uuid} exists with other values; change it with PUT or PATCH");
        }

        // A deleted record's uuid may be created again: the row comes back to life under a new version.
        try
        {
            await writes.SaveAsync([new RecordChange<TRow, TMeta>(row, metadata, stored)], ct);
        }
        catch (WriteRefusedException race) when (race.Refusal == WriteRefusal.Conflict && bodyUuid is not null && stored is null)
        {
            // The same create, sent twice at once: the loser answers as a repeat would.
            return await CreateAsync(body, ct);
        }

        return new Stored<TRow, TMeta>(row, metadata, Created: true);
    }

    /// <summary>PUT: every field as the body says; fields the body leaves out become empty.</summary>
    public Task<Stored<TRow, TMeta>> ReplaceAsync(string uuid, JsonElement body, long? ifMatch, CancellationToken ct) =>
        UpdateAsync(uuid, body, ifMatch, partial: false, ct);

    /// <summary>PATCH (JSON merge patch): only the fields the body names change; null clears one.</summary>
    public Task<Stored<TRow, TMeta>> PatchAsync(string uuid, JsonElement body, long? ifMatch, CancellationToken ct) =>
        UpdateAsync(uuid, body, ifMatch, partial: true, ct);

    /// <summary>Soft-deletes the record here and overwrites it in Connectra with a tombstone (docs/writes.md#deletes).</summary>
    public async Task DeleteAsync(string uuid, long? ifMatch, CancellationToken ct)
    {
        var stored = await LiveAsync(uuid, ifMatch, ct);
        var (row, meta) = rules.Copy(stored.Row, stored.Metadata);
        await writes.SaveAsync([new RecordChange<TRow, TMeta>(row, meta, stored, Delete: true)], ct);
    }

    private async Task<Stored<TRow, TMeta>> UpdateAsync(string uuid, JsonElement body, long? ifMatch, bool partial, CancellationToken ct)
    {
        var canonical = Uuids.Parse(uuid, "uuid");
        var (bodyUuid, given) = Read(body, partial);
        if (bodyUuid is not null && bodyUuid != canonical)
        {
            throw new VqlValidationException("uuid", "the body names another uuid than the path; a record's uuid never changes");
        }

        var stored = await LiveAsync(canonical, ifMatch, ct);
        var (row, meta) = partial ? rules.Copy(stored.Row, stored.Metadata) : rules.Empty(canonical);
        Apply(given, row, meta);
        await rules.CheckAsync(row, meta, ct);
        await writes.SaveAsync([new RecordChange<TRow, TMeta>(row, meta, stored)], ct);
        return new Stored<TRow, TMeta>(row, meta, Created: false);
    }

    /// <summary>The live record, at the version If-Match names when it names one.</summary>
    private async Task<(TRow Row, TMeta Metadata)> LiveAsync(string uuid, long? ifMatch, CancellationToken ct)
    {
        var stored = await writes.FindAsync(Uuids.Parse(uuid, "uuid"), ct);
        if (stored is not { Row.DeletedAt: null } live)
        {
            throw new ResourceNotFoundException(rules.NotFound);
        }

        return ifMatch is { } expected && expected != live.Row.Version
            ? throw new WriteRefusedException(WriteRefusal.PreconditionFailed, "",
                $"If-Match names version {expected}, but the record is at version {live.Row.Version}; read it again")
            : live;
    }

    /// <summary>
    /// The body's values, each read and checked against the field table. Unknown keys are refused by name: a
    /// misspelt field must not silently leave a value unchanged. A key given twice never gets here: the API's body
    /// reader refuses it for every route (docs/api.md#json-bodies).
    /// </summary>
    private (string? Uuid, List<(WriteField<TRow, TMeta> Field, object? Value)> Values) Read(JsonElement body, bool partial)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new VqlValidationException("", $"the body must be a JSON object, not {VqlValues.Describe(body)}");
        }

        string? uuid = null;
        var values = new List<(WriteField<TRow, TMeta>, object?)>();
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name == "uuid")
            {
                uuid = property.Value.ValueKind == JsonValueKind.Null ? null : new WriteValue(WriteKind.Uuid, 64).Read(property.Value, "uuid") as string;
            }
            else if (property.Name == "metadata")
            {
                ReadMetadata(property.Value, values, partial);
            }
            else
            {
                var field = Field(property.Name, inMetadata: false);
                values.Add((field, field.Value.Read(property.Value, field.Name)));
            }
        }

        return (uuid, values);
    }

    private void ReadMetadata(JsonElement metadata, List<(WriteField<TRow, TMeta>, object?)> values, bool partial)
    {
        if (metadata.ValueKind == JsonValueKind.Null && !partial)
        {
            return;
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            throw new VqlValidationException("metadata", $"must be an object of metadata fields, not {VqlValues.Describe(metadata)}");
        }

        foreach (var property in metadata.EnumerateObject())
        {
            var field = Field(property.Name, inMetadata: true);
            values.Add((field, field.Value.Read(property.Value, $"metadata.{field.Name}")));
        }
    }

    private WriteField<TRow, TMeta> Field(string name, bool inMetadata) =>
        rules.Fields.FirstOrDefault(f => f.InMetadata == inMetadata && f.Name == name)
            ?? throw new VqlValidationException(inMetadata ? $"metadata.{name}" : name,
                $"is not a field here; the fields are: {string.Join(", ", rules.Fields.Where(f => f.InMetadata == inMetadata).Select(f => f.Name))}");

    private static void Apply(List<(WriteField<TRow, TMeta> Field, object? Value)> values, TRow row, TMeta metadata)
    {
        foreach (var (field, value) in values)
        {
            field.Set(row, metadata, value);
        }
    }

    /// <summary>Whether a repeated create asks for exactly what is stored.</summary>
    private bool Same(TRow storedRow, TMeta storedMetadata, TRow row, TMeta metadata) =>
        rules.Fields.All(f => Equals(Normal(f.Get(storedRow, storedMetadata)), Normal(f.Get(row, metadata))));

    private static object? Normal(object? value) => value switch
    {
        IEnumerable<string> list => string.Join('\u0001', list),
        _ => value,
    };
}

/// <summary>What a write route answers: the stored record, its version (the ETag), and whether it was created.</summary>
public sealed record Written<T>(T Record, long Version, bool Created);
