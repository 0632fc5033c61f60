namespace Connectra.Emulator.Tests.Conformance;

/// <summary>
/// The small fixed data set every conformance row runs against, written as raw JSON through the batch-upsert
/// routes. Contacts are called 1–8 and companies K1–K4 in the tables; see <see cref="ContactUuid"/>.
/// </summary>
public sealed class ConformanceData : IAsyncLifetime
{
    public const string Companies = """
        [
          {"uuid":"00000000-0000-4000-9000-000000000001","name":"Technology Partners","employees_count":120,
           "industries":["software","saas"],"keywords":["b2b"],"technologies":["aws","react"],
           "address":"1 Market Street, San Francisco","city":"san francisco","state":"california","country":"usa",
           "linkedin_url":"https://linkedin.com/company/techpartners","website":"https://www.techpartners.com",
           "normalized_domain":"techpartners.com","annual_revenue":5000000,"total_funding":1000000},
          {"uuid":"00000000-0000-4000-9000-000000000002","name":"Acme Engine Works","employees_count":40,
           "industries":["manufacturing"],"city":"berlin","country":"germany","website":"https://acme-engines.de",
           "normalized_domain":"acme-engines.de","annual_revenue":2000000},
          {"uuid":"00000000-0000-4000-9000-000000000003","name":"Tech Hub","employees_count":5000,
           "industries":["Software"],"city":"new york","country":"usa"},
          {"uuid":"00000000-0000-4000-9000-000000000004","name":"José Café"}
        ]
        """;

    public const string Contacts = """
        [
          {"uuid":"00000000-0000-4000-8000-000000000001","first_name":"john","last_name":"smith",
           "title":"Senior Software Engineer","seniority":"senior","departments":["engineering"],
           "email":"john.smith@techpartners.com","email_status":"verified","country":"usa","city":"san francisco",
           "company_id":"00000000-0000-4000-9000-000000000001"},
          {"uuid":"00000000-0000-4000-8000-000000000002","first_name":"jon","last_name":"ray","title":"Engineer",
           "seniority":"mid","departments":["engineering","product"],"email_status":"invalid","country":"usa",
           "company_id":"00000000-0000-4000-9000-000000000003"},
          {"uuid":"00000000-0000-4000-8000-000000000003","first_name":"jane","last_name":"doe","title":"VP Engineering",
           "seniority":"vp","departments":["engineering","management"],"email":"jane.doe@acme.com",
           "email_status":"unverified","country":"germany","company_id":"00000000-0000-4000-9000-000000000002"},
          {"uuid":"00000000-0000-4000-8000-000000000004","first_name":"maria","last_name":"garcia",
           "title":"Engineer, Software","seniority":"mid","departments":["engineering"],"email_status":"verified",
           "country":"usa","company_id":"00000000-0000-4000-9000-000000000003"},
          {"uuid":"00000000-0000-4000-8000-000000000005","first_name":"José","last_name":"Núñez",
           "title":"Head of Engine Design","seniority":"director","country":"spain"},
          {"uuid":"00000000-0000-4000-8000-000000000006","first_name":"ann","last_name":"lee","title":"Sales Director",
           "seniority":"director","departments":["sales"],"email":"ann.lee@techpartners.com",
           "email_status":"catch_all","country":"usa","city":"austin","company_id":"00000000-0000-4000-9000-000000000001"},
          {"uuid":"00000000-0000-4000-8000-000000000007","first_name":"Bob","last_name":"Stone",
           "title":"Technology Consultant","seniority":"Senior","departments":["Engineering"],"email_status":"verified",
           "country":"usa","company_id":"00000000-0000-4000-9000-000000000004"},
          {"uuid":"00000000-0000-4000-8000-000000000008","first_name":"li","last_name":"wu","title":"Enginer",
           "seniority":"junior","departments":["support"],"email_status":"verified","country":"india",
           "company_id":"00000000-0000-4000-9000-000000000002"}
        ]
        """;

    private EmulatorHost? _host;

    public EmulatorHost Host => _host ?? throw new InvalidOperationException("The fixture is not started.");

    public static string ContactUuid(int number) => $"00000000-0000-4000-8000-{number:D12}";

    public static string CompanyUuid(int number) => $"00000000-0000-4000-9000-{number:D12}";

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _host = await EmulatorHost.StartAsync(ct);
        // Companies first: contacts copy their company's fields when they are written.
        Assert.Equal(200, (await _host.PostJsonAsync("/companies/batch-upsert", Companies, ct)).Status);
        Assert.Equal(200, (await _host.PostJsonAsync("/contacts/batch-upsert", Contacts, ct)).Status);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
