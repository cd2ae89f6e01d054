using Freshet.Broker;
using Freshet.Log;

namespace Freshet.Streaming.Tests.Application.Membership;

/// <summary>
/// A real Freshet broker on 127.0.0.1 (free port) over a fresh temporary log store, for group membership tests.
/// Its initial rebalance delay is 0, so a new group's first generation completes as soon as its members have joined
/// (Kafka's default of 3 s only slows tests down; what it changes is covered by the broker's own tests).
/// </summary>
public sealed class GroupTestBroker : IAsyncDisposable
{
    private readonly string _directory;
    private readonly LogStore _store;

    private GroupTestBroker(string directory, LogStore store, KafkaBroker broker)
    {
        _directory = directory;
        _store = store;
        Broker = broker;
    }

    public KafkaBroker Broker { get; private set; }

    public string BootstrapServers => Broker.BootstrapAddress;

    public int Port => Broker.Port;

    public static async Task<GroupTestBroker> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "freshet-membership", Guid.NewGuid().ToString("N"));
        var store = LogStore.Open(directory, new LogStoreOptions { BackgroundMaintenance = false });
        var broker = await KafkaBroker.StartAsync(store, Options(port: 0));
        return new GroupTestBroker(directory, store, broker);
    }

    /// <summary>Stops the broker (its clients lose their connections) and starts it again on the same port over the same log, whose stored group metadata it restores.</summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        var port = Broker.Port;
        await Broker.DisposeAsync();
        await Task.Delay(downtime);
        Broker = await KafkaBroker.StartAsync(_store, Options(port));
    }

    private static BrokerOptions Options(int port) => new() { Port = port, AutoCreateTopics = false, GroupInitialRebalanceDelayMs = 0 };

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        _store.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temporary directory is cleaned by the OS eventually.
        }
    }
}
