using System.Diagnostics;
using Confluent.Kafka;

namespace Freshet.Bench.Broker;

/// <summary>
/// Producer throughput: one Confluent.Kafka producer sends <c>messages</c> values of one size round-robin
/// over the topic's partitions (explicit partitions, so 8 partitions really share the load; librdkafka's
/// sticky partitioner would fill one at a time), acks=all, linger 5 ms. Timed from the first
/// <c>Produce</c> to the end of <c>Flush</c>, when every message is acknowledged. One message per
/// partition is sent and acknowledged first, untimed, so connections and metadata are ready.
/// </summary>
internal static class ProducerThroughput
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Produces and returns the elapsed time; the topic then holds <c>messages + partitions</c> messages.</summary>
    public static TimeSpan Run(BenchTarget target, string topic, int partitions, int messages, int valueBytes)
    {
        long failed = 0;
        Error? firstError = null;
        void OnDelivery(DeliveryReport<Null, byte[]> report)
        {
            if (report.Error.IsError && Interlocked.Increment(ref failed) == 1)
            {
                firstError = report.Error;
            }
        }

        using var producer = new ProducerBuilder<Null, byte[]>(target.Configure(ClientSettings.ThroughputProducer(target.BootstrapServers))).Build();
        var targets = new TopicPartition[partitions];
        for (var p = 0; p < partitions; p++)
        {
            targets[p] = new TopicPartition(topic, p);
        }

        // The same immutable message object for every send: the client copies the value when it is produced.
        var message = new Message<Null, byte[]> { Value = CreateValue(valueBytes) };
        foreach (var partition in targets)
        {
            producer.Produce(partition, message, OnDelivery);
        }

        Drain(producer, topic, target.Name);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            var partition = targets[i % partitions];
            while (true)
            {
                try
                {
                    producer.Produce(partition, message, OnDelivery);
                    break;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // The client's queue is full: serve delivery reports until there is room.
                    producer.Poll(TimeSpan.FromMilliseconds(1));
                }
            }
        }

        Drain(producer, topic, target.Name);
        clock.Stop();
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} messages to {topic} on {target.Name} failed: {firstError}");
        }

        return clock.Elapsed;
    }

    private static void Drain(IProducer<Null, byte[]> producer, string topic, string target)
    {
        var left = producer.Flush(FlushTimeout);
        if (left > 0)
        {
            throw new InvalidOperationException($"{left} messages to {topic} on {target} were not acknowledged within {FlushTimeout.TotalSeconds:0} s.");
        }
    }

    private static byte[] CreateValue(int bytes)
    {
        // Incompressible and unlike zeros, in case a codec or a sparse file ever got involved.
        var value = new byte[bytes];
        new Random(bytes).NextBytes(value);
        return value;
    }
}
