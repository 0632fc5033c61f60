using System.Text.Json;
using Connectra.Backend.Application.Companies;
using Connectra.Backend.Application.Contacts;
using Connectra.Backend.Application.Reading;
using Connectra.Client;
using Connectra.Client.Records;

namespace Connectra.Backend.Application.Outbox;

/// <summary>
/// The flat records Connectra's batch upserts take: the main row and its metadata in one object
/// (docs/connectra.md#entity-batch-upserts). Connectra stores them as sent and overwrites every field, so unknown
/// values go as absent, never as the write side's "_" placeholder.
/// </summary>
public static class ConnectraRecords
{
    public static ConnectraContact Contact(Contact contact, ContactMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(contact);
        ArgumentNullException.ThrowIfNull(metadata);
        return new ConnectraContact
        {
            Uuid = contact.Uuid,
            FirstName = Values.Clean(contact.FirstName),
            LastName = Values.Clean(contact.LastName),
            CompanyId = Values.Clean(contact.CompanyId),
            Email = Values.Clean(contact.Email),
            Title = Values.Clean(contact.Title),
            Departments = contact.Departments is { Count: > 0 } departments ? departments : null,
            MobilePhone = Values.Clean(contact.MobilePhone),
            EmailStatus = Values.Clean(contact.EmailStatus),
            Seniority = Values.Clean(contact.Seniority),
            City = Values.Clean(metadata.City),
            State = Values.Clean(metadata.State),
            Country = Values.Clean(metadata.Country),
            LinkedinUrl = Values.Clean(metadata.LinkedinUrl),
            FacebookUrl = Values.Clean(metadata.FacebookUrl),
            TwitterUrl = Values.Clean(metadata.TwitterUrl),
            Website = Values.Clean(metadata.Website),
            WorkDirectPhone = Values.Clean(metadata.WorkDirectPhone),
            HomePhone = Values.Clean(metadata.HomePhone),
            OtherPhone = Values.Clean(metadata.OtherPhone),
            Stage = Values.Clean(metadata.Stage),
        };
    }

    public static ConnectraCompany Company(Company company, CompanyMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(metadata);
        return new ConnectraCompany
        {
            Uuid = company.Uuid,
            Name = Values.Clean(company.Name),
            EmployeesCount = company.EmployeesCount,
            Industries = company.Industries is { Count: > 0 } industries ? industries : null,
            Keywords = company.Keywords is { Count: > 0 } keywords ? keywords : null,
            Address = Values.Clean(company.Address),
            AnnualRevenue = company.AnnualRevenue,
            TotalFunding = company.TotalFunding,
            Technologies = company.Technologies is { Count: > 0 } technologies ? technologies : null,
            City = Values.Clean(metadata.City),
            State = Values.Clean(metadata.State),
            Country = Values.Clean(metadata.Country),
            LinkedinUrl = Values.Clean(metadata.LinkedinUrl),
            Website = Values.Clean(metadata.Website),
            NormalizedDomain = Values.Clean(metadata.NormalizedDomain),
            FacebookUrl = Values.Clean(metadata.FacebookUrl),
            TwitterUrl = Values.Clean(metadata.TwitterUrl),
            CompanyNameForEmails = Values.Clean(metadata.CompanyNameForEmails),
            PhoneNumber = Values.Clean(metadata.PhoneNumber),
            LatestFunding = Values.Clean(metadata.LatestFunding),
            LatestFundingAmount = metadata.LatestFundingAmount,
            LastRaisedAt = Values.Clean(metadata.LastRaisedAt),
        };
    }

    public static string Json(ConnectraContact contact) => JsonSerializer.Serialize(contact, ConnectraJsonContext.Default.ConnectraContact);

    public static string Json(ConnectraCompany company) => JsonSerializer.Serialize(company, ConnectraJsonContext.Default.ConnectraCompany);

    /// <summary>The record Connectra must hold for this contact: its flat record, or a tombstone once deleted.</summary>
    public static string Payload(Contact contact, ContactMetadata metadata) =>
        contact.DeletedAt is null ? Json(Contact(contact, metadata)) : Json(Tombstones.Contact(contact.Uuid));

    /// <summary>The record Connectra must hold for this company: its flat record, or a tombstone once deleted.</summary>
    public static string Payload(Company company, CompanyMetadata metadata) =>
        company.DeletedAt is null ? Json(Company(company, metadata)) : Json(Tombstones.Company(company.Uuid));

    public static OutboxMessage Upsert(Contact contact, ContactMetadata metadata, DateTimeOffset now) => new()
    {
        Entity = OutboxEntity.Contact,
        Uuid = contact.Uuid,
        Payload = Payload(contact, metadata),
        DependsOn = contact.DeletedAt is null ? Values.Clean(contact.CompanyId) : null,
        CreatedAt = now,
        NextAttemptAt = now,
    };

    public static OutboxMessage Upsert(Company company, CompanyMetadata metadata, DateTimeOffset now) => new()
    {
        Entity = OutboxEntity.Company,
        Uuid = company.Uuid,
        Payload = Payload(company, metadata),
        CreatedAt = now,
        NextAttemptAt = now,
    };

    /// <summary>The record that stands for a deleted contact or company in Connectra (<see cref="Tombstones"/>).</summary>
    public static string Tombstone(string entity, string uuid) =>
        entity == OutboxEntity.Company ? Json(Tombstones.Company(uuid)) : Json(Tombstones.Contact(uuid));

    /// <summary>What Connectra must receive when a contact is written.</summary>
    public static IReadOnlyList<OutboxMessage> For(Contact contact, ContactMetadata metadata, DateTimeOffset now) =>
        [Upsert(contact, metadata, now)];

    /// <summary>
    /// What Connectra must receive when a company is written: the company, and for a change to an existing one its
    /// contacts again, since Connectra copies the company into each contact only when the contact is written (docs/connectra.md#x8).
    /// </summary>
    public static IReadOnlyList<OutboxMessage> For(Company company, CompanyMetadata metadata, bool existed, DateTimeOffset now) =>
        existed ? [Upsert(company, metadata, now), RefreshContactsOf(company.Uuid, now)] : [Upsert(company, metadata, now)];

    /// <summary>Sends every contact of the company again once the company itself is delivered.</summary>
    public static OutboxMessage RefreshContactsOf(string companyUuid, DateTimeOffset now) => new()
    {
        Entity = OutboxEntity.CompanyContacts,
        Uuid = companyUuid,
        DependsOn = companyUuid,
        CreatedAt = now,
        NextAttemptAt = now,
    };
}
