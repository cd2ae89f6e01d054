using System.Diagnostics;
using Confluent.Kafka;

namespace Freshet.Bench.Broker;

/// <summary>
/// Consumer throughput: one Confluent.Kafka consumer, manually assigned every partition of the topic (no
/// group), reads the last <c>windowPerPartition</c> messages of each partition, then is assigned the same
/// start offsets again, pass after pass, until it has read at least <c>totalMessages</c>.
/// <para>
/// Why a window: librdkafka's mock cluster keeps only the last 5 MiB (or 100,000 message sets) of each
/// partition in memory (<c>rdkafka_mock.c</c>, <c>max_size</c>), so it cannot serve all that was produced.
/// Both targets are read over the same window, the messages the mock still holds, the same number of times.
/// Each pass is timed from its first message to its last, so connecting, re-assigning and the first fetch
/// round trip of a pass are left out: a consumer that has read to the end of a partition has a fetch
/// waiting up to <c>fetch.wait.max.ms</c> in flight, and the fetch from the re-assigned offset only goes
/// out after it returns, which would otherwise dominate short passes. Values are not copied into managed
/// arrays (the deserializer only takes the length), so the client's own cost stays as small as
/// Confluent.Kafka allows and the target's serving rate dominates.
/// </para>
/// </summary>
internal static class ConsumerThroughput
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The fewest messages any partition of <paramref name="topic"/> holds (high watermark minus log start).</summary>
    public static long MinRetained(BenchTarget target, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(target.Configure(ClientSettings.ThroughputConsumer(target.BootstrapServers))).Build();
        var fewest = long.MaxValue;
        for (var p = 0; p < partitions; p++)
        {
            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), Patience);
            fewest = Math.Min(fewest, marks.High.Value - marks.Low.Value);
        }

        return fewest;
    }

    /// <summary>Consumes; returns the messages read after the first of each pass and the time from the first to the last message of each pass, summed.</summary>
    public static (long Messages, TimeSpan Elapsed) Run(BenchTarget target, string topic, int partitions, long windowPerPartition, long totalMessages, int valueBytes)
    {
        using var consumer = new ConsumerBuilder<Ignore, int>(target.Configure(ClientSettings.ThroughputConsumer(target.BootstrapServers)))
            .SetValueDeserializer(ValueLength.Instance)
            .Build();
        var window = new List<TopicPartitionOffset>(partitions);
        long perPass = 0;
        for (var p = 0; p < partitions; p++)
        {
            var partition = new TopicPartition(topic, p);
            var marks = consumer.QueryWatermarkOffsets(partition, Patience);
            var start = Math.Max(marks.Low.Value, marks.High.Value - windowPerPartition);
            window.Add(new TopicPartitionOffset(partition, start));
            perPass += marks.High.Value - start;
        }

        long received = 0, timedMessages = 0;
        var timed = TimeSpan.Zero;
        var lastProgress = Stopwatch.StartNew();
        while (received < totalMessages)
        {
            consumer.Assign(window);
            long passStart = 0;
            for (long inPass = 0; inPass < perPass;)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null)
                {
                    if (lastProgress.Elapsed > Patience)
                    {
                        throw new InvalidOperationException($"Consuming {topic} on {target.Name} stalled after {inPass} of {perPass} messages of a pass.");
                    }

                    continue;
                }

                if (result.Message.Value != valueBytes)
                {
                    throw new InvalidOperationException($"Message {result.TopicPartitionOffset} on {target.Name} has {result.Message.Value} bytes, expected {valueBytes}.");
                }

                if (inPass++ == 0)
                {
                    passStart = Stopwatch.GetTimestamp();
                }

                lastProgress.Restart();
            }

            timed += Stopwatch.GetElapsedTime(passStart);
            timedMessages += perPass - 1;
            received += perPass;
        }

        consumer.Close();
        return (timedMessages, timed);
    }

    /// <summary>Returns the value's length without copying it out of librdkafka's buffer.</summary>
    private sealed class ValueLength : IDeserializer<int>
    {
        public static readonly ValueLength Instance = new();

        public int Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => isNull ? -1 : data.Length;
    }
}
