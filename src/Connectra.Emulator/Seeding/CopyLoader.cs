using Connectra.Client.Records;
using Connectra.Emulator.Store;
using Npgsql;
using NpgsqlTypes;

namespace Connectra.Emulator.Seeding;

/// <summary>
/// Bulk loads rows with PostgreSQL's binary COPY, storing empty values the way the upsert path does ("" for
/// text, 0 for numbers, NULL for empty arrays) so seeded and upserted rows are indistinguishable.
/// </summary>
internal static class CopyLoader
{
    public static async Task<long> CopyCompaniesAsync(NpgsqlDataSource db, IEnumerable<ConnectraCompany> companies, CancellationToken ct)
    {
        var columns = TableColumns.Companies.All.Where(c => c.Name is not "id" and not "deleted_at").ToList();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY companies ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var c in companies)
        {
            await writer.StartRowAsync(ct);
            await Text(writer, c.Uuid, ct);
            await Text(writer, c.Name, ct);
            await Number(writer, c.EmployeesCount, ct);
            await List(writer, c.Industries, ct);
            await List(writer, c.Keywords, ct);
            await Text(writer, c.Address, ct);
            await Number(writer, c.AnnualRevenue, ct);
            await Number(writer, c.TotalFunding, ct);
            await List(writer, c.Technologies, ct);
            await Text(writer, c.City, ct);
            await Text(writer, c.State, ct);
            await Text(writer, c.Country, ct);
            await Text(writer, c.LinkedinUrl, ct);
            await Text(writer, c.Website, ct);
            await Text(writer, c.NormalizedDomain, ct);
            await Text(writer, c.FacebookUrl, ct);
            await Text(writer, c.TwitterUrl, ct);
            await Text(writer, c.CompanyNameForEmails, ct);
            await Text(writer, c.PhoneNumber, ct);
            await Text(writer, c.LatestFunding, ct);
            await Number(writer, c.LatestFundingAmount, ct);
            await Text(writer, c.LastRaisedAt, ct);
            await Time(writer, c.CreatedAt, ct);
            await Time(writer, c.UpdatedAt, ct);
        }

        return (long)await writer.CompleteAsync(ct);
    }

    public static async Task<long> CopyContactsAsync(NpgsqlDataSource db, IEnumerable<ConnectraContact> contacts, CancellationToken ct)
    {
        var columns = TableColumns.Contacts.All.Where(c => c.Name is not "id" and not "deleted_at").ToList();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY contacts ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var c in contacts)
        {
            await writer.StartRowAsync(ct);
            await Text(writer, c.Uuid, ct);
            await Text(writer, c.FirstName, ct);
            await Text(writer, c.LastName, ct);
            await Text(writer, c.CompanyId, ct);
            await Text(writer, c.Email, ct);
            await Text(writer, c.Title, ct);
            await List(writer, c.Departments, ct);
            await Text(writer, c.MobilePhone, ct);
            await Text(writer, c.EmailStatus, ct);
            await Text(writer, c.Seniority, ct);
            await Text(writer, c.City, ct);
            await Text(writer, c.State, ct);
            await Text(writer, c.Country, ct);
            await Text(writer, c.LinkedinUrl, ct);
            await Text(writer, c.FacebookUrl, ct);
            await Text(writer, c.TwitterUrl, ct);
            await Text(writer, c.Website, ct);
            await Text(writer, c.WorkDirectPhone, ct);
            await Text(writer, c.HomePhone, ct);
            await Text(writer, c.OtherPhone, ct);
            await Text(writer, c.Stage, ct);
            await Time(writer, c.CreatedAt, ct);
            await Time(writer, c.UpdatedAt, ct);
        }

        return (long)await writer.CompleteAsync(ct);
    }

    private static Task Text(NpgsqlBinaryImporter writer, string? value, CancellationToken ct) =>
        writer.WriteAsync(value ?? "", NpgsqlDbType.Text, ct);

    private static Task Number(NpgsqlBinaryImporter writer, long? value, CancellationToken ct) =>
        writer.WriteAsync(value ?? 0, NpgsqlDbType.Bigint, ct);

    private static Task List(NpgsqlBinaryImporter writer, IReadOnlyList<string>? values, CancellationToken ct) =>
        values is { Count: > 0 }
            ? writer.WriteAsync(values.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct)
            : writer.WriteNullAsync(ct);

    private static Task Time(NpgsqlBinaryImporter writer, DateTimeOffset? value, CancellationToken ct) =>
        writer.WriteAsync((value ?? DateTimeOffset.UtcNow).UtcDateTime, NpgsqlDbType.TimestampTz, ct);
}
