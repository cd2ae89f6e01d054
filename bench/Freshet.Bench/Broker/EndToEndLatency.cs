using System.Buffers.Binary;
using System.Diagnostics;
using Confluent.Kafka;

namespace Freshet.Bench.Broker;

/// <summary>
/// Produce-to-consume latency at a steady rate: a producer thread sends 100 B values at
/// <c>ratePerSecond</c> (paced against the clock, a few messages per millisecond tick) to one partition,
/// each value starting with the <see cref="Stopwatch"/> timestamp of its <c>Produce</c> call; a consumer
/// (manual assignment, no group) reads them as they arrive and records now minus that timestamp.
/// Messages sent during the first <c>warmUp</c> are not recorded (connections, first fetches, JIT).
/// Both clients run in this process, so the clock is shared.
/// </summary>
internal static class EndToEndLatency
{
    public const int ValueBytes = 100;

    /// <summary>Runs for <paramref name="warmUp"/> plus <paramref name="duration"/> and returns the recorded latencies in milliseconds.</summary>
    public static double[] Run(BenchTarget target, string topic, int ratePerSecond, TimeSpan warmUp, TimeSpan duration, int lingerMs, int fetchWaitMaxMs)
    {
        var total = (long)((warmUp + duration).TotalSeconds * ratePerSecond);
        var recordedFrom = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<double>((int)(duration.TotalSeconds * ratePerSecond) + 16);
        using var consumer = new ConsumerBuilder<Ignore, long>(ClientSettings.LatencyConsumer(target.BootstrapServers, fetchWaitMaxMs))
            .SetValueDeserializer(SendTimestamp.Instance)
            .Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        using var stop = new CancellationTokenSource();
        var consuming = Task.Factory.StartNew(
            () =>
            {
                long received = 0;
                while (received < total && !stop.IsCancellationRequested)
                {
                    var result = consumer.Consume(TimeSpan.FromMilliseconds(50));
                    if (result is null)
                    {
                        continue;
                    }

                    var now = Stopwatch.GetTimestamp();
                    received++;
                    var sent = result.Message.Value;
                    if (sent >= recordedFrom)
                    {
                        latencies.Add((now - sent) * 1000.0 / Stopwatch.Frequency);
                    }
                }

                return received;
            },
            TaskCreationOptions.LongRunning);

        long failed = 0;
        using (var producer = new ProducerBuilder<Null, byte[]>(ClientSettings.LatencyProducer(target.BootstrapServers, lingerMs)).Build())
        {
            void OnDelivery(DeliveryReport<Null, byte[]> report)
            {
                if (report.Error.IsError)
                {
                    Interlocked.Increment(ref failed);
                }
            }

            var partition = new TopicPartition(topic, 0);
            var start = Stopwatch.GetTimestamp();
            for (long sent = 0; sent < total;)
            {
                var due = Math.Min(total, (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * ratePerSecond));
                if (sent >= due)
                {
                    Thread.Sleep(1);
                    continue;
                }

                for (; sent < due; sent++)
                {
                    var value = new byte[ValueBytes];
                    BinaryPrimitives.WriteInt64LittleEndian(value, Stopwatch.GetTimestamp());
                    producer.Produce(partition, new Message<Null, byte[]> { Value = value }, OnDelivery);
                }

                producer.Poll(TimeSpan.Zero);
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        if (!consuming.Wait(TimeSpan.FromSeconds(30)))
        {
            stop.Cancel();
            consuming.Wait();
            throw new InvalidOperationException($"The latency consumer of {topic} on {target.Name} did not receive all {total} messages.");
        }

        consumer.Close();
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} latency messages to {topic} on {target.Name} failed.");
        }

        return [.. latencies];
    }

    /// <summary>The send timestamp in the value's first 8 bytes, read without copying the value.</summary>
    private sealed class SendTimestamp : IDeserializer<long>
    {
        public static readonly SendTimestamp Instance = new();

        public long Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            isNull || data.Length < 8 ? long.MaxValue : BinaryPrimitives.ReadInt64LittleEndian(data);
    }
}
