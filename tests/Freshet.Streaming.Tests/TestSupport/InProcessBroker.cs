using Confluent.Kafka;
using Freshet.Broker;
using Freshet.Log;
using Freshet.Shared;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>A real Freshet broker on 127.0.0.1 (free port) over a log store in a fresh temporary directory, with Confluent.Kafka helpers.</summary>
public sealed class InProcessBroker : IAsyncDisposable
{
    private InProcessBroker(string directory, LogStore store, KafkaBroker broker)
    {
        Directory = directory;
        Store = store;
        Broker = broker;
    }

    public string Directory { get; }

    public LogStore Store { get; }

    public KafkaBroker Broker { get; }

    public string BootstrapServers => Broker.BootstrapAddress;

    /// <summary>Starts a broker; with <paramref name="autoCreateTopics"/> it creates a topic a client asks about (Kafka's and <c>freshet broker</c>'s default).</summary>
    public static async Task<InProcessBroker> StartAsync(bool autoCreateTopics = false)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var directory = Path.Combine(Path.GetTempPath(), "freshet-streaming-kafka", Guid.NewGuid().ToString("N"));
        var store = LogStore.Open(directory, new LogStoreOptions { BackgroundMaintenance = false });
        var broker = await KafkaBroker.StartAsync(store, new BrokerOptions { AutoCreateTopics = autoCreateTopics });
        return new InProcessBroker(directory, store, broker);
    }

    /// <summary>Produces (key, value, timestamp) records to one partition with a real producer and waits for the acknowledgements.</summary>
    public async Task ProduceAsync(string topic, int partition, IEnumerable<(string? Key, string? Value, long TimestampMs)> records)
    {
        using var producer = new ProducerBuilder<string?, string?>(new ProducerConfig { BootstrapServers = BootstrapServers, LingerMs = 2, MessageTimeoutMs = 15_000 }).Build();
        foreach (var (key, value, timestamp) in records)
        {
            await producer.ProduceAsync(new TopicPartition(topic, partition), new Message<string?, string?> { Key = key, Value = value, Timestamp = new Timestamp(timestamp, TimestampType.CreateTime) });
        }
    }

    /// <summary>Reads every partition of <paramref name="topic"/> from the beginning with a real consumer until <paramref name="count"/> records arrived.</summary>
    public List<ConsumeResult<string?, string?>> ConsumeAll(string topic, int partitions, int count)
    {
        using var consumer = new ConsumerBuilder<string?, string?>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = "check-" + Guid.NewGuid().ToString("N"), EnableAutoCommit = false, FetchWaitMaxMs = 50 }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var results = new List<ConsumeResult<string?, string?>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (results.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } result)
            {
                results.Add(result);
            }
        }

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
