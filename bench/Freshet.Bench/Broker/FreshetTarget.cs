using Freshet.Broker;
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

    private FreshetTarget(LogStore store, KafkaBroker broker)
    {
        _store = store;
        _broker = broker;
    }

    public override string Name => "freshet";

    public override string BootstrapServers => _broker.BootstrapAddress;

    public static FreshetTarget Start(string directory)
    {
        var store = LogStore.Open(directory);
        try
        {
            var broker = KafkaBroker.StartAsync(store, new BrokerOptions { Port = 0 }).GetAwaiter().GetResult();
            return new FreshetTarget(store, broker);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public override void CreateTopic(string topic, int partitions) => _store.CreateTopic(topic, partitions);

    public override void Dispose()
    {
        _broker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.Dispose();
    }
}
