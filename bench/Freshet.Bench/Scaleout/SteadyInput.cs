using System.Buffers.Binary;
using System.Diagnostics;
using Confluent.Kafka;

namespace Freshet.Bench.Scaleout;

/// <summary>
/// Live input for the failover measurement: <see cref="RecordsPerSecond"/> records spread over the partitions of a
/// topic of <see cref="ScaleoutJob.InputPartitions"/>, produced every 10 ms by a thread of its own with the wall clock
/// as timestamp and values counting up from 0 (the encoding of <see cref="PreparedInput"/>). Disposing stops it.
/// </summary>
internal sealed class SteadyInput : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private readonly IProducer<Null, byte[]> _producer;
    private readonly string _topic;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private long _produced;

    public SteadyInput(string bootstrapServers, string topic, int recordsPerSecond)
    {
        RecordsPerSecond = recordsPerSecond;
        _topic = topic;
        _producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, Acks = Acks.All, LingerMs = 2, DeliveryReportFields = "none" }).Build();
        _thread = new Thread(Run) { IsBackground = true, Name = "scaleout steady input" };
        _thread.Start();
    }

    public int RecordsPerSecond { get; }

    public long Produced => Interlocked.Read(ref _produced);

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _producer.Flush(TimeSpan.FromSeconds(30));
        _producer.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        var started = Stopwatch.GetTimestamp();
        long n = 0;
        while (!_stop.IsCancellationRequested)
        {
            // Catch up to the rate over the whole run, so a late tick does not lower it.
            var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * RecordsPerSecond);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (; n < due; n++)
            {
                var bytes = new byte[PreparedInput.ValueBytes];
                BinaryPrimitives.WriteInt64BigEndian(bytes, n);
                try
                {
                    _producer.Produce(new TopicPartition(_topic, (int)(n % ScaleoutJob.InputPartitions)), new Message<Null, byte[]> { Value = bytes, Timestamp = new Timestamp(now, TimestampType.CreateTime) });
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    break;
                }
            }

            Interlocked.Exchange(ref _produced, n);
            _stop.Token.WaitHandle.WaitOne(Tick);
        }
    }
}
