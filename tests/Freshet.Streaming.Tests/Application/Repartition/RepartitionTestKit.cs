using Confluent.Kafka;
using Freshet.Streaming.Application.Repartition;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Serializers = Freshet.Streaming.Serialization.Serializers;
using Freshet.Streaming.Sources;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Application.Repartition;

/// <summary>Producers, writers, raw reads and a reader driver for repartition tests against an <see cref="InProcessBroker"/>.</summary>
internal static class RepartitionTestKit
{
    public static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(15);

    /// <summary>A producer as the runtime's task would have one (idempotent: order per partition survives retries).</summary>
    public static IProducer<byte[]?, byte[]?> Producer(InProcessBroker broker, int messageTimeoutMs = 15_000) =>
        new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 2, MessageTimeoutMs = messageTimeoutMs, EnableIdempotence = true }).Build();

    /// <summary>Upstream task <paramref name="upstreamTask"/>'s writer to <paramref name="topic"/>, alone in its chain.</summary>
    public static RepartitionWriter<T> Writer<T>(string topic, int partitions, Router<T> router, int upstreamTask, IProducer<byte[]?, byte[]?> producer, Freshet.Streaming.Serialization.ISerializer<T>? serializer = null)
    {
        var writer = new RepartitionWriter<T>(
            OperatorSetups.For(StateBackend.Heap, new ProcessingTimeService(TimeProvider.System), name: "repartition writer", subtask: upstreamTask, parallelism: upstreamTask + 1),
            topic,
            partitions,
            router,
            upstreamTask,
            serializer ?? Serializers.Default<T>(),
            producer,
            FlushTimeout);
        writer.Open();
        return writer;
    }

    /// <summary>A reader of <paramref name="topic"/>/<paramref name="partition"/> from the beginning, ending at the upstream tasks' final watermarks.</summary>
    public static RepartitionSourceReader<T> Reader<T>(InProcessBroker broker, string topic, int partition, int upstreamTasks, StartingOffsets? start = null, Freshet.Streaming.Serialization.ISerializer<T>? serializer = null) =>
        new(topic, partition, start ?? StartingOffsets.Earliest, upstreamTasks, serializer ?? Serializers.Default<T>(), new ConsumerConfig { BootstrapServers = broker.BootstrapServers, FetchWaitMaxMs = 20 }, endAtFinalWatermark: true, TimeSpan.FromSeconds(15));

    /// <summary>Every record of <paramref name="topic"/>/<paramref name="partition"/>, from the beginning to the end offset now, as a read_committed consumer sees them.</summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadPartition(InProcessBroker broker, string topic, int partition)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "check-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            FetchWaitMaxMs = 20,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        var topicPartition = new TopicPartition(topic, partition);
        var end = consumer.QueryWatermarkOffsets(topicPartition, TimeSpan.FromSeconds(10)).High.Value;
        consumer.Assign(new TopicPartitionOffset(topicPartition, Offset.Beginning));
        var results = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && (consumer.Position(topicPartition) is var position && (position.IsSpecial || position.Value < end)))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { IsPartitionEOF: false } result)
            {
                results.Add(result);
            }
        }

        return results;
    }

    /// <summary>The markers among <paramref name="records"/>, in order.</summary>
    public static List<WatermarkMarker> Markers(IEnumerable<ConsumeResult<byte[]?, byte[]?>> records) =>
        [.. records.Select(r => RepartitionRecordFormat.Read(r.Message, out var marker, out _) == RepartitionRecordKind.WatermarkMarker ? marker : (WatermarkMarker?)null).OfType<WatermarkMarker>()];

    /// <summary>Drives a <see cref="RepartitionSourceReader{T}"/> as a source task with <see cref="WatermarkStrategy.DrivenByReader{T}"/> does, recording records and watermarks in order.</summary>
    internal sealed class ReaderDriver<T> : IDisposable
    {
        private readonly RepartitionSourceReader<T> _reader;
        private readonly SourceOutput<T> _output;
        private readonly RecordingHead _head;

        public ReaderDriver(RepartitionSourceReader<T> reader, byte[]? restorePosition = null)
        {
            _reader = reader;
            _head = new RecordingHead(OperatorSetups.For(StateBackend.Heap, new ProcessingTimeService(TimeProvider.System), name: "head"));
            if (restorePosition is not null)
            {
                reader.RestorePosition(restorePosition);
            }

            reader.Open();
            _output = new SourceOutput<T>(_head, 16, new OperatorMetricsCounter("source", 0, 1), WatermarkStrategy.DrivenByReader<T>(), reader, 0);
        }

        /// <summary>Records as "value@eventTime", watermarks as "wm N", idleness as "idle", in order.</summary>
        public List<string> Events => _head.Events;

        public RepartitionSourceReader<T> Reader => _reader;

        public bool Ended { get; private set; }

        /// <summary>Polls until the reader's next offset reaches <paramref name="offset"/> (or it ended).</summary>
        public void PollUntilOffset(long offset)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (_reader.NextOffset < offset && !Ended)
            {
                PollOnce();
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"The reader reached offset {_reader.NextOffset} of {offset}.");
                }
            }

            // One more poll so that what the last poll read is emitted after it (the watermark follows at EndPoll).
            PollOnce();
        }

        /// <summary>Polls until the reader reports the end of its input.</summary>
        public void PollToEnd()
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!Ended)
            {
                PollOnce();
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"The reader did not end; it is at offset {_reader.NextOffset}.");
                }
            }
        }

        public void Dispose() => _reader.Dispose();

        private void PollOnce()
        {
            if (Ended)
            {
                return;
            }

            var poll = _reader.Poll(_output, 8);
            _output.EndPoll(0);
            if (poll == SourcePoll.EndOfInput)
            {
                _output.EmitFinalWatermark();
                Ended = true;
            }
            else if (poll == SourcePoll.NothingAvailable)
            {
                Thread.Sleep(2);
            }
        }

        private sealed class RecordingHead(OperatorSetup setup) : Operator<T>(setup)
        {
            public List<string> Events { get; } = [];

            protected override void ProcessBatch(StreamBatch<T> batch)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    Events.Add($"{batch.Values[i]}@{batch.Timestamps[i]}");
                }
            }

            protected override void OnWatermark(long watermark) => Events.Add($"wm {watermark}");

            protected override void OnIdle() => Events.Add("idle");

            protected override void OnFinish()
            {
            }
        }
    }
}
