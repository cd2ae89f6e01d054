using System.Diagnostics;
using Confluent.Kafka;

namespace Freshet.Bench.Scaleout;

/// <summary>
/// Restore from changelogs, two ways over the same topics: an application instance started afresh on an application
/// whose tasks have state (every task restores its partition of its operators' changelogs; timed from the first task
/// seen restoring to the last one running, as the instance reports them), against one plain Confluent.Kafka consumer
/// (read_committed, as a restore reads) assigned every partition of the same changelog topics, timed from the
/// assignment until every partition reached its end.
/// </summary>
internal static class RestoreMeasurement
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    /// <summary>Starts one instance of <paramref name="run"/>'s application (which must have no running instance), waits until all its tasks run, stops it.</summary>
    public static RestoreSample ByRestart(ApplicationRun run, InstanceSettings settings, string stateParent, string name, int expectedTasks)
    {
        using var instance = InstanceProcess.Start(name, run, settings, stateParent);
        var deadline = Stopwatch.GetTimestamp() + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (instance.HasExited)
            {
                throw new InvalidOperationException($"{name} exited: {instance.Tail}");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{name} did not restore its tasks within {Timeout.TotalSeconds:0} s: {instance.Latest}");
            }

            if (instance.Latest is { AllRunning: true } status && status.Tasks.Count == expectedTasks)
            {
                var restores = instance.Restores.Where(r => r.Generation == status.Generation).GroupBy(static r => r.TaskId).Select(static g => g.Last()).ToList();
                if (restores.Count == expectedTasks)
                {
                    instance.Terminate();
                    var seconds = (restores.Max(static r => r.TimeMs) - restores.Min(static r => r.StartedMs)) / 1000.0;
                    return new RestoreSample(restores.Sum(static r => r.Records), 0, Math.Max(seconds, 0.001));
                }
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Reads every partition of <paramref name="topics"/> from the beginning to its end with one consumer; counts records and key plus value bytes.</summary>
    public static RestoreSample PlainConsumer(string bootstrapServers, IReadOnlyList<(string Topic, int Partitions)> topics)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "scaleout-plain-restore",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
            FetchWaitMaxMs = 10,
            FetchQueueBackoffMs = 5,
        }).Build();
        var partitions = topics.SelectMany(static t => Enumerable.Range(0, t.Partitions).Select(p => new TopicPartitionOffset(t.Topic, p, Offset.Beginning))).ToList();
        var started = Stopwatch.GetTimestamp();
        consumer.Assign(partitions);
        var pending = partitions.Select(static p => p.TopicPartition).ToHashSet();
        long records = 0, bytes = 0;
        var deadline = started + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
        while (pending.Count > 0)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"The plain consumer did not reach the end of {pending.Count} changelog partitions within {Timeout.TotalSeconds:0} s.");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                pending.Remove(result.TopicPartition);
                continue;
            }

            records++;
            bytes += (result.Message.Key?.Length ?? 0) + (result.Message.Value?.Length ?? 0);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        consumer.Close();
        return new RestoreSample(records, bytes, seconds);
    }
}
