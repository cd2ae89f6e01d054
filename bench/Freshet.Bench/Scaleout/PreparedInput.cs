using System.Buffers.Binary;
using System.Diagnostics;
using Confluent.Kafka;

namespace Freshet.Bench.Scaleout;

/// <summary>
/// The pre-produced input of the throughput runs, and what the job must write for it. Partition <c>p</c> holds records
/// <c>i = 0, 1, ...</c> with value <c>n = 6i + p</c> (8 bytes, big-endian, no key) and timestamp
/// <see cref="BaseTimeMs"/> <c>+ i / </c><see cref="RecordsPerMs"/>, then one record of value -1 far enough ahead in
/// event time to close every window. The base is an hour before the wall clock at produce time: the broker's
/// retention (7 days by default) deletes segments by their records' timestamps, so a fixed date in the past would
/// have the input deleted under the running jobs. <see cref="ExpectedOutputs"/> is the number of (key, window) pairs the records
/// cover: one output record each.
/// </summary>
/// <param name="Topic">The input topic.</param>
/// <param name="Records">Records produced, without the closing ones.</param>
/// <param name="ExpectedOutputs">Output records the job must write.</param>
/// <param name="ProduceSeconds">How long producing took.</param>
/// <param name="BaseTimeMs">Event time of the first record of every partition (a whole number of seconds).</param>
internal sealed record PreparedInput(string Topic, long Records, long ExpectedOutputs, double ProduceSeconds, long BaseTimeMs)
{
    /// <summary>Records per millisecond of event time in each partition.</summary>
    public const long RecordsPerMs = 10;

    /// <summary>Value bytes per record.</summary>
    public const int ValueBytes = 8;

    /// <summary>Creates <paramref name="topic"/> with <see cref="ScaleoutJob.InputPartitions"/> partitions and produces about <paramref name="records"/> records into it (a multiple of the partition count).</summary>
    public static PreparedInput Produce(string bootstrapServers, string topic, long records, JobShape shape)
    {
        const int partitions = ScaleoutJob.InputPartitions;
        var perPartition = Math.Max(1, records / partitions);
        ClusterAdmin.CreateTopic(bootstrapServers, topic, partitions);
        var baseTimeMs = ((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000) - 3600) * 1000;
        var started = Stopwatch.GetTimestamp();
        using (var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Acks = Acks.All,
            LingerMs = 20,
            BatchSize = 1_000_000,
            QueueBufferingMaxMessages = 1_000_000,
            DeliveryReportFields = "none",
        }).Build())
        {
            var failed = 0L;
            void OnDelivery(DeliveryReport<Null, byte[]> report)
            {
                if (report.Error.IsError)
                {
                    Interlocked.Increment(ref failed);
                }
            }

            for (long i = 0; i < perPartition; i++)
            {
                for (var p = 0; p < partitions; p++)
                {
                    Send(producer, topic, p, (i * partitions) + p, baseTimeMs + (i / RecordsPerMs), OnDelivery);
                }
            }

            var lastMs = baseTimeMs + ((perPartition - 1) / RecordsPerMs);
            for (var p = 0; p < partitions; p++)
            {
                Send(producer, topic, p, -1, lastMs + (2 * shape.WindowMs) + 1, OnDelivery);
            }

            producer.Flush(TimeSpan.FromMinutes(5));
            if (Interlocked.Read(ref failed) != 0)
            {
                throw new InvalidOperationException($"{failed} input records were not acknowledged.");
            }
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new PreparedInput(topic, perPartition * partitions, ExpectedOutputsOf(perPartition, shape, baseTimeMs), seconds, baseTimeMs);
    }

    /// <summary>One output per key and window that holds at least one of the key's records.</summary>
    private static long ExpectedOutputsOf(long perPartition, JobShape shape, long baseTimeMs)
    {
        var pairs = new HashSet<(long Key, long Window)>();
        for (long i = 0; i < perPartition; i++)
        {
            var window = (baseTimeMs + (i / RecordsPerMs)) / shape.WindowMs;
            for (var p = 0; p < ScaleoutJob.InputPartitions; p++)
            {
                pairs.Add((((i * ScaleoutJob.InputPartitions) + p) % shape.Keys, window));
            }
        }

        return pairs.Count;
    }

    private static void Send(IProducer<Null, byte[]> producer, string topic, int partition, long value, long timestampMs, Action<DeliveryReport<Null, byte[]>> onDelivery)
    {
        var bytes = new byte[ValueBytes];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        var message = new Message<Null, byte[]> { Value = bytes, Timestamp = new Timestamp(timestampMs, TimestampType.CreateTime) };
        while (true)
        {
            try
            {
                producer.Produce(new TopicPartition(topic, partition), message, onDelivery);
                return;
            }
            catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(10));
            }
        }
    }
}
