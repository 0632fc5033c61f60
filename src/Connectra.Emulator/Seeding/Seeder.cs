using System.Diagnostics;
using Connectra.Client.Filters;
using Connectra.Emulator.Store;
using Microsoft.Extensions.Logging;

namespace Connectra.Emulator.Seeding;

/// <summary>What <c>seed</c> was asked for.</summary>
internal sealed record SeedRequest(int Companies, int Contacts, int Seed, bool Force);

/// <summary>
/// <c>seed --companies N --contacts M [--seed S] [--force]</c>: generates the data, loads it with binary COPY, adds
/// the filter values an import would have produced, and builds both indexes in one bulk pass. A database that
/// already holds contacts or companies is left alone unless <c>--force</c> empties it first.
/// </summary>
internal static partial class Seeder
{
    public static async Task<bool> RunAsync(EmulatorOptions options, SeedRequest request, ILoggerFactory loggers, CancellationToken ct)
    {
        options.Validate();
        var logger = loggers.CreateLogger("Connectra.Emulator.Seeding");
        await using var db = Npgsql.NpgsqlDataSource.Create(options.ConnectionString);
        await Schema.EnsureAsync(db, ct);
        var entities = new EntityStore(db);
        var (companyCount, contactCount) = await entities.CountAsync(ct);
        if (companyCount + contactCount > 0)
        {
            if (!request.Force)
            {
                LogAlreadySeeded(logger, companyCount, contactCount);
                return false;
            }

            await entities.ClearAsync(ct);
        }

        var filters = new FilterStore(db);
        var total = Stopwatch.StartNew();
        var generator = new SeedGenerator(request.Seed);

        var step = Stopwatch.StartNew();
        var companies = generator.Companies(request.Companies);
        await CopyLoader.CopyCompaniesAsync(db, companies.Select(c => c.Company), ct);
        LogStep(logger, "companies generated and copied", request.Companies, step.ElapsedMilliseconds);

        var values = new HashSet<StoredFilterValue>();
        var companyKeys = await filters.StoredValueKeysAsync(ConnectraService.Company, ct);
        foreach (var company in companies.Select(c => c.Company))
        {
            values.UnionWith(FilterStore.ValuesOf(company, companyKeys));
            // Imports never produce values for company array fields (docs/connectra.md#x11); the deployed catalogue has them all the
            // same, so they are taken to be maintained by hand, as the seed does here.
            (string Key, IReadOnlyList<string>? List)[] arrays =
                [("industries", company.Industries), ("keywords", company.Keywords), ("technologies", company.Technologies)];
            foreach (var (key, list) in arrays)
            {
                if (companyKeys.Contains(key))
                {
                    values.UnionWith((list ?? []).Select(v => new StoredFilterValue(key, ConnectraService.Company, v)));
                }
            }
        }

        step.Restart();
        var contactKeys = await filters.StoredValueKeysAsync(ConnectraService.Contact, ct);
        var contacts = generator.Contacts(request.Contacts, companies).Select(contact =>
        {
            values.UnionWith(FilterStore.ValuesOf(contact, contactKeys));
            return contact;
        });
        await CopyLoader.CopyContactsAsync(db, contacts, ct);
        LogStep(logger, "contacts generated and copied", request.Contacts, step.ElapsedMilliseconds);

        await filters.AddValuesAsync(values, ct);
        step.Restart();
        // Opening with reindex builds both indexes in one bulk pass and commits them for the server to open as is.
        await using (await EmulatorEngine.OpenAsync(options, loggers, reindex: true, ct))
        {
            LogStep(logger, "documents indexed", request.Companies + request.Contacts, step.ElapsedMilliseconds);
        }

        LogSeeded(logger, request.Companies, request.Contacts, request.Seed, total.Elapsed.TotalSeconds);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seed: {Step} ({Count} rows) in {ElapsedMs} ms")]
    private static partial void LogStep(ILogger logger, string step, int count, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Companies} companies and {Contacts} contacts (seed {Seed}) in {Seconds:F1} s")]
    private static partial void LogSeeded(ILogger logger, int companies, int contacts, int seed, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database already holds {Companies} companies and {Contacts} contacts; nothing seeded (pass --force to replace them)")]
    private static partial void LogAlreadySeeded(ILogger logger, long companies, long contacts);
}
