using System.Text;
using Confluent.Kafka;
using Freshet.Broker;
using Freshet.Log;

namespace Freshet.Dashboard.Tests.Support;

/// <summary>
/// A real broker on 127.0.0.1 with its dashboard, and Kafka clients (librdkafka) that leave something to show: topic
/// <c>orders</c> (3 partitions, <see cref="RecordsPerPartition"/> records each), consumer group <c>order-readers</c>
/// with one member that committed <see cref="CommittedPerPartition"/> offsets per partition (so each has a lag), and
/// a transactional producer <c>order-writer</c> with a transaction left open on <c>orders</c> partition 0.
/// The clients stay open until disposed, so the group keeps its member and the transaction stays in flight.
/// </summary>
public sealed class BrokerWithClients : IAsyncLifetime
{
    public const string Topic = "orders";
    public const string GroupId = "order-readers";
    public const string TransactionalId = "order-writer";
    public const int Partitions = 3;
    public const int RecordsPerPartition = 10;
    public const int CommittedPerPartition = 4;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-dashboard-broker-" + Guid.NewGuid().ToString("N"));
    private IConsumer<Null, string>? _consumer;
    private IProducer<Null, string>? _transactional;

    public LogStore Store { get; private set; } = null!;

    public KafkaBroker Broker { get; private set; } = null!;

    public DashboardServer Dashboard { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        KafkaNativeLibrary.EnsureLoaded();
        Store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        Broker = await KafkaBroker.StartAsync(Store, new BrokerOptions());
        Dashboard = await BrokerDashboard.StartAsync(Broker, new DashboardOptions());
        Http = new HttpClient { BaseAddress = Dashboard.Address, Timeout = TimeSpan.FromSeconds(60) };
        Store.CreateTopic(Topic, Partitions);

        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = Broker.BootstrapAddress, LingerMs = 0, MessageTimeoutMs = 15_000 }).Build())
        {
            for (var partition = 0; partition < Partitions; partition++)
            {
                for (var i = 0; i < RecordsPerPartition; i++)
                {
                    await producer.ProduceAsync(new TopicPartition(Topic, partition), new Message<Null, string> { Value = $"order {partition}-{i}" });
                }
            }
        }

        _consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig
        {
            BootstrapServers = Broker.BootstrapAddress,
            GroupId = GroupId,
            ClientId = "dashboard-test-reader",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 30_000,
        }).Build();
        _consumer.Subscribe(Topic);
        var deadline = DateTime.UtcNow + Poll.Deadline;
        while (_consumer.Assignment.Count < Partitions && DateTime.UtcNow < deadline)
        {
            _consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        _consumer.Commit(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(Topic, p, CommittedPerPartition)));

        _transactional = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = Broker.BootstrapAddress, TransactionalId = TransactionalId, LingerMs = 0, MessageTimeoutMs = 15_000 }).Build();
        _transactional.InitTransactions(TimeSpan.FromSeconds(30));
        _transactional.BeginTransaction();
        await _transactional.ProduceAsync(new TopicPartition(Topic, 0), new Message<Null, string> { Value = Encoding.UTF8.GetString("open transaction"u8) });
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Dashboard.DisposeAsync();
        _transactional?.Dispose();
        _consumer?.Close();
        _consumer?.Dispose();
        await Broker.DisposeAsync();
        Store.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
