using FreshetSerializers = Freshet.Streaming.Serialization.Serializers;
using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Freshet.Bench.Reporting;
using Freshet.Broker;
using Freshet.Log;
using Freshet.Shared;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Sinks;

namespace Freshet.Bench.Micro;

/// <summary>
/// Reading 200,000 records of 100 bytes (one partition) from an in-process Freshet broker on 127.0.0.1: the baseline is
/// a bare Confluent.Kafka consumer (manual assignment from the beginning to the end offset, values as byte arrays);
/// against it a bounded job, <c>FromKafka</c> with the byte-array serializer into a sink that counts, which adds job
/// start-up, the source reader and the task. Run with <c>-- micro --filter '*KafkaSourceMicro*'</c>.
/// </summary>
[MemoryDiagnoser]
public class KafkaSourceMicroBenchmarks
{
    private const int Records = 200_000;
    private const string Topic = "bench";

    private ScratchDirectory? _scratch;
    private LogStore? _store;
    private KafkaBroker? _broker;

    [GlobalSetup]
    public void Setup()
    {
        KafkaNativeLibrary.EnsureLoaded();
        _scratch = new ScratchDirectory();
        _store = LogStore.Open(_scratch.Path, new LogStoreOptions { BackgroundMaintenance = false });
        _store.CreateTopic(Topic, 1);
        _broker = KafkaBroker.StartAsync(_store, new BrokerOptions { AutoCreateTopics = false }).GetAwaiter().GetResult();
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = _broker.BootstrapAddress, LingerMs = 5 }).Build();
        var value = new byte[100];
        for (var i = 0; i < Records; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(Topic, new Message<Null, byte[]> { Value = value });
                    break;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        producer.Flush(TimeSpan.FromSeconds(60));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _broker?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store?.Dispose();
        _scratch?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public long ConfluentConsumer()
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig { BootstrapServers = _broker!.BootstrapAddress, GroupId = "bench", EnableAutoCommit = false }).Build();
        consumer.Assign(new TopicPartitionOffset(Topic, 0, Offset.Beginning));
        long count = 0;
        while (count < Records)
        {
            if (consumer.Consume(TimeSpan.FromSeconds(10)) is { } result)
            {
                count += result.Message.Value.Length > 0 ? 1 : 0;
            }
        }

        consumer.Close();
        return count;
    }

    [Benchmark]
    public long FromKafkaJob()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var sink = new CountingSink();
        env.FromKafka(new KafkaSourceOptions { BootstrapServers = _broker!.BootstrapAddress, Topic = Topic, Bounded = true }, FreshetSerializers.Bytes).SinkTo(sink);
        var job = env.ExecuteAsync().GetAwaiter().GetResult();
        job.Completion.GetAwaiter().GetResult();
        if (sink.Count != Records)
        {
            throw new InvalidOperationException($"Read {sink.Count} of {Records} records.");
        }

        return sink.Count;
    }

    private sealed class CountingSink : Sink<byte[]>
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public override SinkWriter<byte[]> CreateWriter(SinkContext context) => new Writer(this);

        private sealed class Writer(CountingSink sink) : SinkWriter<byte[]>
        {
            public override void Write(ReadOnlySpan<byte[]> values, ReadOnlySpan<long> timestamps) => Interlocked.Add(ref sink._count, values.Length);
        }
    }
}
