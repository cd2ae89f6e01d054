using Confluent.Kafka;
using Freshet.Broker.Security;
using Freshet.Broker.Security.Sasl;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests.Security.Sasl;

/// <summary>
/// A <see cref="BrokerHarness"/> with a PLAINTEXT listener and a SASL_PLAINTEXT one named <c>SASL</c>, users created in its
/// data directory, and Confluent.Kafka configurations that authenticate on the SASL listener (Metadata advertises each
/// client its own listener's address).
/// </summary>
internal static class SaslBroker
{
    public const string ListenerName = "SASL";

    public static Task<BrokerHarness> StartAsync(IReadOnlyList<string>? mechanisms = null, long reauthMs = 0) =>
        BrokerHarness.StartAsync(new BrokerOptions
        {
            Listeners =
            [
                new BrokerListener(ListenerName, Freshet.Broker.Security.SecurityProtocol.SaslPlaintext, "127.0.0.1", 0),
                new BrokerListener("PLAINTEXT", Freshet.Broker.Security.SecurityProtocol.Plaintext, "127.0.0.1", 0),
            ],
            SaslEnabledMechanisms = mechanisms ?? SaslMechanisms.Supported,
            ConnectionsMaxReauthMs = reauthMs,
        });

    /// <summary>Creates <paramref name="user"/> with both SCRAM credentials, as <c>freshet users add --data</c> does.</summary>
    public static void AddUser(BrokerHarness harness, string user, string password)
    {
        var store = new ScramCredentialStore(harness.Directory);
        store.SetPassword(user, SaslMechanisms.ScramSha256, password);
        store.SetPassword(user, SaslMechanisms.ScramSha512, password);
    }

    public static int SaslPort(BrokerHarness harness) => harness.Broker.Listeners.Single(l => l.Name == ListenerName).Port;

    /// <summary>Points <paramref name="config"/> at the SASL listener and sets the mechanism and credentials.</summary>
    public static T Authenticate<T>(BrokerHarness harness, T config, string mechanism, string user, string password)
        where T : ClientConfig
    {
        config.BootstrapServers = harness.Broker.BootstrapAddressOf(ListenerName);
        config.SecurityProtocol = Confluent.Kafka.SecurityProtocol.SaslPlaintext;
        config.SaslMechanism = mechanism switch
        {
            SaslMechanisms.Plain => SaslMechanism.Plain,
            SaslMechanisms.ScramSha256 => SaslMechanism.ScramSha256,
            SaslMechanisms.ScramSha512 => SaslMechanism.ScramSha512,
            _ => throw new ArgumentException(mechanism),
        };
        config.SaslUsername = user;
        config.SaslPassword = password;
        return config;
    }
}
