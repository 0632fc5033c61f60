namespace Connectra.Backend.FunctionalTests.Infrastructure;

/// <summary>
/// The API over a <see cref="FakeConnectra"/> that answers every read route correctly until a test changes its
/// behaviour: for tests about what happens in front of Connectra (authorization, throttling, logs).
/// </summary>
public class FakeConnectraHost : BackendFactory
{
    private FakeConnectra? _connectra;

    public FakeConnectra Connectra => _connectra ?? throw new InvalidOperationException("not started");

    protected override string ConnectraBaseUrl => Connectra.Url.ToString();

    protected override async Task StartConnectraAsync(CancellationToken ct) => _connectra = await FakeConnectra.StartAsync(ct);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectra is not null)
        {
            await _connectra.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
