using Confluent.Kafka;
using Freshet.Log;

namespace Freshet.Broker.Tests.Support;

/// <summary>
/// A real broker on 127.0.0.1 at a free port over a log store in a fresh temporary directory, and
/// Confluent.Kafka configurations pointing at it with short timeouts. <see cref="RestartAsync"/> stops
/// the broker, closes the store, reopens the same directory and starts a new broker on the same port,
/// so running clients reconnect to it as to a restarted Kafka broker.
/// </summary>
public sealed class BrokerHarness : IAsyncDisposable
{
    private readonly LogStoreOptions _storeOptions;
    private BrokerOptions _options;

    private BrokerHarness(string directory, BrokerOptions options, LogStoreOptions storeOptions)
    {
        Directory = directory;
        _options = options;
        _storeOptions = storeOptions;
    }

    public string Directory { get; }

    public LogStore Store { get; private set; } = null!;

    public KafkaBroker Broker { get; private set; } = null!;

    public string BootstrapServers => Broker.BootstrapAddress;

    /// <param name="storeOptions">The log store's options; by default without background maintenance (no retention,
    /// compaction or transaction timeouts), so tests that need them pass options that turn it on.</param>
    public static async Task<BrokerHarness> StartAsync(BrokerOptions? options = null, LogStoreOptions? storeOptions = null)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var directory = Path.Combine(Path.GetTempPath(), "freshet-broker-tests", Guid.NewGuid().ToString("N"));
        var harness = new BrokerHarness(directory, options ?? new BrokerOptions(), storeOptions ?? new LogStoreOptions { BackgroundMaintenance = false });
        await harness.OpenAsync();
        return harness;
    }

    private async Task OpenAsync()
    {
        Store = LogStore.Open(Directory, _storeOptions);
        Broker = await KafkaBroker.StartAsync(Store, _options);
    }

    public async Task RestartAsync()
    {
        _options = _options with { Port = Broker.Port };
        await Broker.DisposeAsync();
        Store.Dispose();
        await OpenAsync();
    }

    public ProducerConfig ProducerConfig(Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            SocketTimeoutMs = 10_000,
            MessageTimeoutMs = 15_000,
            LingerMs = 5,
            AllowAutoCreateTopics = true,
            TopicMetadataRefreshIntervalMs = 1_000,
        };
        configure?.Invoke(config);
        return config;
    }

    public ConsumerConfig ConsumerConfig(Action<ConsumerConfig>? configure = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = "unused-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SocketTimeoutMs = 10_000,
            FetchWaitMaxMs = 100,
            TopicMetadataRefreshIntervalMs = 1_000,
        };
        configure?.Invoke(config);
        return config;
    }

    public AdminClientConfig AdminConfig() => new() { BootstrapServers = BootstrapServers, SocketTimeoutMs = 10_000 };

    /// <summary>Consumes from <paramref name="topic"/>'s partitions from the beginning (manual assignment, no group) until <paramref name="count"/> messages arrived or the time is up.</summary>
    public List<ConsumeResult<byte[]?, byte[]?>> ConsumeFromBeginning(string topic, int count, int partitions = 1, TimeSpan? timeout = null, Action<ConsumerConfig>? configure = null)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(ConsumerConfig(configure)).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var results = new List<ConsumeResult<byte[]?, byte[]?>>(count);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (results.Count < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is not null && !result.IsPartitionEOF)
            {
                results.Add(result);
            }
        }

        consumer.Close();
        return results;
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        Store.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temporary directory is cleaned by the OS eventually.
        }
    }
}
