using System.Collections.Concurrent;
using Confluent.Kafka;

namespace Freshet.Broker.Tests.Groups;

/// <summary>
/// A real Confluent.Kafka consumer in a consumer group, polled on its own thread; it records the
/// partitions it owns (from the assign/revoke/lost callbacks, which also cover cooperative-sticky's
/// incremental assignments) and every message it receives.
/// </summary>
internal sealed class GroupMemberThread : IDisposable
{
    private readonly IConsumer<string?, string> _consumer;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TopicPartition, bool> _owned = new();
    private volatile bool _closeOnStop = true;
    private volatile bool _closed;
    private int _rebalanceCallbacks;

    public GroupMemberThread(ConsumerConfig config, string topic, PartitionOwnershipLedger? ledger = null)
        : this(config, [topic], ledger)
    {
    }

    public GroupMemberThread(ConsumerConfig config, IReadOnlyList<string> topics, PartitionOwnershipLedger? ledger = null)
    {
        var name = config.ClientId ?? "";
        _consumer = new ConsumerBuilder<string?, string>(config)
            .SetPartitionsAssignedHandler((consumer, partitions) =>
            {
                Interlocked.Increment(ref _rebalanceCallbacks);
                foreach (var p in partitions)
                {
                    ledger?.Acquire(name, p);
                    _owned[p] = true;
                }
            })
            .SetPartitionsRevokedHandler((consumer, partitions) =>
            {
                Interlocked.Increment(ref _rebalanceCallbacks);
                foreach (var p in partitions)
                {
                    ledger?.Release(name, p.TopicPartition);
                    _owned.TryRemove(p.TopicPartition, out _);
                }
            })
            .SetPartitionsLostHandler((consumer, partitions) =>
            {
                Interlocked.Increment(ref _rebalanceCallbacks);
                foreach (var p in partitions)
                {
                    ledger?.Release(name, p.TopicPartition);
                    _owned.TryRemove(p.TopicPartition, out _);
                }
            })
            .SetErrorHandler((_, error) => Errors.Enqueue(error))
            .Build();
        _consumer.Subscribe(topics);
        _thread = new Thread(Poll) { IsBackground = true, Name = "group member " + config.ClientId };
        _thread.Start();
    }

    /// <summary>The partition numbers owned (for a member subscribed to one topic).</summary>
    public int[] Owned => _owned.Keys.Select(p => p.Partition.Value).Order().ToArray();

    /// <summary>The partitions owned, as "topic-partition", sorted.</summary>
    public string[] OwnedTopicPartitions => _owned.Keys.Select(p => $"{p.Topic}-{p.Partition.Value}").Order(StringComparer.Ordinal).ToArray();

    /// <summary>How many times the assign, revoke or lost callbacks ran.</summary>
    public int RebalanceCallbacks => Volatile.Read(ref _rebalanceCallbacks);

    public ConcurrentQueue<ConsumeResult<string?, string>> Received { get; } = new();

    /// <summary>Errors librdkafka reported through the error callback or from Consume (fatal ones included).</summary>
    public ConcurrentQueue<Error> Errors { get; } = new();

    public IConsumer<string?, string> Consumer => _consumer;

    private void Poll()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is not null && !result.IsPartitionEOF)
                {
                    Received.Enqueue(result);
                }
            }
            catch (ConsumeException e)
            {
                // Transient errors during rebalances, from which the consumer recovers by itself, or a
                // fatal error, which tests look for.
                Errors.Enqueue(e.Error);
            }
            catch (KafkaException e) when (e.Error.IsFatal)
            {
                Errors.Enqueue(e.Error);
            }
        }

        if (_closeOnStop)
        {
            try
            {
                _consumer.Close();
            }
            catch (KafkaException)
            {
                // A consumer in a fatal state (for example a fenced static member) reports it again on close.
            }

            _closed = true;
        }
    }

    /// <summary>Commits, on the polling thread's consumer, the next offset after every message received so far.</summary>
    public void CommitReceived()
    {
        var offsets = Received.GroupBy(r => r.TopicPartition)
            .Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1))
            .ToList();
        _consumer.Commit(offsets);
    }

    /// <summary>Stops polling and leaves the group (LeaveGroup).</summary>
    public void Leave()
    {
        _stop.Cancel();
        _thread.Join();
    }

    /// <summary>Stops polling but stays in the group, so offsets can still be committed; then call <c>Consumer.Close()</c>.</summary>
    public void StopPolling()
    {
        _closeOnStop = false;
        Leave();
    }

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested)
        {
            Leave();
        }

        if (_closed || !_closeOnStop)
        {
            // A consumer whose Close() never returned must not be disposed: Dispose would wait for it too.
            _consumer.Dispose();
        }

        _stop.Dispose();
    }

    /// <summary>Waits until <paramref name="condition"/> holds, or fails the test after <paramref name="timeout"/>.</summary>
    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s: {describe()}");
            }

            Thread.Sleep(50);
        }
    }
}
