using System.Net;
using System.Net.Sockets;

namespace Connectra.Backend.FunctionalTests.Infrastructure;

public static class LoopbackPorts
{
    /// <summary>A loopback port nothing listens on right now (the system picks it, so parallel tests do not collide).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
