using System.Net;
using System.Net.Sockets;

namespace Freshet.Cli.Tests;

/// <summary>Ports for the command's HTTP listeners in tests, which take a fixed port (0 is refused).</summary>
internal static class LoopbackPorts
{
    /// <summary>A port that was free on 127.0.0.1 a moment ago.</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
