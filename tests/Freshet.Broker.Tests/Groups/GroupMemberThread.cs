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
    private readonly ConcurrentDictionary<int, bool> _owned = new();
    private volatile bool _closeOnStop = true;

    public GroupMemberThread(ConsumerConfig config, string topic)
    {
        _consumer = new ConsumerBuilder<string?, string>(config)
            .SetPartitionsAssignedHandler((consumer, partitions) =>
            {
                foreach (var p in partitions)
                {
                    _owned[p.Partition.Value] = true;
                }
            })
            .SetPartitionsRevokedHandler((consumer, partitions) =>
            {
                foreach (var p in partitions)
                {
                    _owned.TryRemove(p.Partition.Value, out _);
                }
            })
            .SetPartitionsLostHandler((consumer, partitions) =>
            {
                foreach (var p in partitions)
                {
                    _owned.TryRemove(p.Partition.Value, out _);
                }
            })
            .Build();
        _consumer.Subscribe(topic);
        _thread = new Thread(Poll) { IsBackground = true, Name = "group member " + config.ClientId };
        _thread.Start();
    }

    public int[] Owned => _owned.Keys.Order().ToArray();

    public ConcurrentQueue<ConsumeResult<string?, string>> Received { get; } = new();

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
            catch (ConsumeException)
            {
                // Transient errors during rebalances; the consumer recovers by itself.
            }
        }

        if (_closeOnStop)
        {
            _consumer.Close();
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

        _consumer.Dispose();
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
