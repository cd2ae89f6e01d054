using System.Diagnostics;
using Confluent.Kafka;

namespace Freshet.Bench.Scaleout;

/// <summary>
/// Tails partition 0 of an output topic of <see cref="ScaleoutJob"/> from the beginning with a read_committed
/// Confluent.Kafka consumer on a thread of its own: counts the records and sums their window counts, notes the
/// <see cref="Stopwatch"/> timestamp at which each count was reached, and shows each record to an observer (on the
/// reader thread). Thread-safe reads of the counters.
/// </summary>
internal sealed class CommittedOutputReader : IDisposable
{
    /// <summary>Sees (offset, key, Stopwatch timestamp of receipt) of every committed record, on the reader thread.</summary>
    public delegate void Observer(long offset, long key, long receivedTimestamp);

    private readonly IConsumer<Ignore, byte[]> _consumer;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly Observer? _observer;
    private long _count;
    private long _windowCountSum;
    private long _malformed;
    private long _targetCount = long.MaxValue;
    private long _targetReachedTimestamp;
    private long _firstTimestamp;

    public CommittedOutputReader(string bootstrapServers, string topic, Observer? observer = null)
    {
        _observer = observer;
        _consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "scaleout-output-reader",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            // Completion and failover are timed by when records arrive here: keep the wait of an empty fetch short.
            FetchWaitMaxMs = 10,
            FetchQueueBackoffMs = 5,
        }).Build();
        _consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        _thread = new Thread(Read) { IsBackground = true, Name = "scaleout output reader" };
        _thread.Start();
    }

    /// <summary>Committed records read so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Sum of the window counts of those records: the input records they cover, each exactly once when the output is exactly-once.</summary>
    public long WindowCountSum => Interlocked.Read(ref _windowCountSum);

    /// <summary>The Stopwatch timestamp at which the first record arrived, or 0.</summary>
    public long FirstRecordTimestamp => Interlocked.Read(ref _firstTimestamp);

    /// <summary>Records whose value was not <c>key:count:runningCount</c>.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>
    /// Waits until <paramref name="count"/> records were read, polling <paramref name="failure"/> (a message when the
    /// run has failed, such as an instance that exited); returns the Stopwatch timestamp at which the count was reached.
    /// </summary>
    /// <exception cref="TimeoutException">Not reached within <paramref name="timeout"/>, or <paramref name="failure"/> said why.</exception>
    public long WaitForCount(long count, TimeSpan timeout, Func<string?> failure)
    {
        Interlocked.Exchange(ref _targetReachedTimestamp, 0);
        Interlocked.Exchange(ref _targetCount, count);
        if (Count >= count)
        {
            // Reached before the wait began: the reader, which notes the time only on the record that reaches the target, already passed it.
            Interlocked.CompareExchange(ref _targetReachedTimestamp, Stopwatch.GetTimestamp(), 0);
        }
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var reached = Interlocked.Read(ref _targetReachedTimestamp);
            if (reached != 0)
            {
                return reached;
            }

            if (failure() is { } why)
            {
                throw new TimeoutException($"{Count} of {count} output records arrived: {why}");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{Count} of {count} output records arrived within {timeout.TotalSeconds:0} s.");
            }

            Thread.Sleep(10);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _consumer.Close();
        _consumer.Dispose();
        _stop.Dispose();
    }

    private void Read()
    {
        while (!_stop.IsCancellationRequested)
        {
            ConsumeResult<Ignore, byte[]>? result;
            try
            {
                result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                // The topic may not be known to the consumer yet; librdkafka retries.
                continue;
            }

            if (result?.Message?.Value is not { } value)
            {
                continue;
            }

            var received = Stopwatch.GetTimestamp();
            if (!ScaleoutJob.TryParseOutput(value, out var key, out var windowCount))
            {
                Interlocked.Increment(ref _malformed);
                continue;
            }

            Interlocked.Add(ref _windowCountSum, windowCount);
            var count = Interlocked.Increment(ref _count);
            Interlocked.CompareExchange(ref _firstTimestamp, received, 0);
            if (count >= Interlocked.Read(ref _targetCount))
            {
                Interlocked.CompareExchange(ref _targetReachedTimestamp, received, 0);
            }

            _observer?.Invoke(result.Offset.Value, key, received);
        }
    }
}
