using Freshet.Broker.Security.Sasl;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Broker.Tests.Security.Sasl;

/// <summary>A fresh temporary data directory with a <see cref="ScramCredentialStore"/> and a <see cref="SaslServer"/> over it.</summary>
internal sealed class SaslTestUsers : IDisposable
{
    public SaslTestUsers(IReadOnlyList<string>? mechanisms = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "freshet-sasl-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Store = new ScramCredentialStore(Directory);
        Server = new SaslServer(Store, mechanisms ?? SaslMechanisms.Supported, 0, NullLogger.Instance);
    }

    public string Directory { get; }

    public ScramCredentialStore Store { get; }

    public SaslServer Server { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
