using Freshet.Broker;
using Freshet.Broker.Security;
using Freshet.Log;

namespace Freshet.Bench.Broker;

/// <summary>
/// The Freshet broker on 127.0.0.1 at a free port over a real <see cref="LogStore"/> in a directory of its
/// own, with default options (topic defaults, so the default flush policy; background maintenance on),
/// as <c>freshet broker</c> runs it. Topics are created in the store directly (what CreateTopics does).
/// Disposing stops the broker (which flushes the log) and closes the store; the caller deletes the directory.
/// </summary>
internal sealed class FreshetTarget : BenchTarget
{
    private readonly LogStore _store;
    private readonly KafkaBroker _broker;
    private readonly BenchCertificates? _tls;

    private FreshetTarget(LogStore store, KafkaBroker broker, BenchCertificates? tls)
    {
        _store = store;
        _broker = broker;
        _tls = tls;
    }

    public override string Name => _tls is null ? "freshet" : "freshet-tls";

    public override string BootstrapServers => _broker.BootstrapAddress;

    /// <summary>Starts a broker over <paramref name="directory"/>; with <paramref name="tls"/>, its one listener is SSL with that certificate.</summary>
    public static FreshetTarget Start(string directory, BenchCertificates? tls = null)
    {
        var store = LogStore.Open(directory);
        try
        {
            var options = tls is null
                ? new BrokerOptions { Port = 0 }
                : new BrokerOptions
                {
                    Listeners = [new BrokerListener("SSL", SecurityProtocol.Ssl, "127.0.0.1", 0)],
                    Tls = new TlsOptions { KeystoreType = TlsStoreType.Pem, KeystoreLocation = tls.ServerCertificatePath, KeyLocation = tls.ServerKeyPath },
                };
            var broker = KafkaBroker.StartAsync(store, options).GetAwaiter().GetResult();
            return new FreshetTarget(store, broker, tls);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public override T Configure<T>(T config)
    {
        if (_tls is not null)
        {
            config.SecurityProtocol = Confluent.Kafka.SecurityProtocol.Ssl;
            config.SslCaLocation = _tls.CaPath;
        }

        return config;
    }

    public override void CreateTopic(string topic, int partitions) => _store.CreateTopic(topic, partitions);

    public override void Dispose()
    {
        _broker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.Dispose();
    }
}
