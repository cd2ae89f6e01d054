using System.Buffers.Text;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Keys;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Bench.Scaleout;

/// <summary>
/// The job of the scaleout suite, the same graph in a single process and in application mode: a Kafka source of
/// 8-byte values <c>n</c> (event time = the record's Kafka timestamp, monotonous per partition; <c>n &lt; 0</c> only
/// moves event time on) → <c>KeyBy(n % keys)</c> → tumbling event-time window, count and sum per key
/// (<c>window-sums</c>) → <c>KeyBy(key)</c> → running count per key in keyed state (<c>running-totals</c>) → a Kafka
/// sink writing <c>key:count:runningCount</c> as UTF-8. In application mode this is three sub-topologies (source;
/// window; running state and sink) joined by two repartition topics, with one changelog per stateful operator.
/// </summary>
internal static class ScaleoutJob
{
    /// <summary>Partitions of the input topic, so tasks per sub-topology in application mode.</summary>
    public const int InputPartitions = 6;

    /// <summary>The default max parallelism (key groups) that places keys on tasks.</summary>
    public const int MaxParallelism = 128;

    /// <summary>
    /// Adds the job to <paramref name="env"/>. With <paramref name="exactlyOnceSinkPrefix"/> the sink writes through
    /// checkpoint-aligned Kafka transactions (the single-process job); application mode writes through each task's own
    /// transactional producer and takes no prefix.
    /// </summary>
    public static void Build(StreamEnvironment env, string bootstrapServers, string inputTopic, string outputTopic, JobShape shape, string? exactlyOnceSinkPrefix)
    {
        var keys = shape.Keys;
        var sink = new KafkaSinkOptions
        {
            BootstrapServers = bootstrapServers,
            Topic = outputTopic,
            DeliveryGuarantee = exactlyOnceSinkPrefix is null ? DeliveryGuarantee.AtLeastOnce : DeliveryGuarantee.ExactlyOnce,
            TransactionalIdPrefix = exactlyOnceSinkPrefix,
        };
        env.FromKafka(new KafkaSourceOptions { BootstrapServers = bootstrapServers, Topic = inputTopic }, Serializers.Int64, WatermarkStrategy.ForMonotonousTimestamps<long>())
            .Filter(static n => n >= 0)
            .KeyBy(n => n % keys)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(shape.WindowMs)))
            .Aggregate(new WindowSumAggregate(keys))
            .Uid("window-sums")
            .KeyBy(static w => w.Key)
            .Reduce(static (total, next) => next with { RunningCount = total.RunningCount + next.Count })
            .Uid("running-totals")
            .Map(static w => $"{w.Key}:{w.Count}:{w.RunningCount}")
            .SinkToKafka(sink, Serializers.Utf8String);
    }

    /// <summary>
    /// The partition of the last sub-topology (running state and sink) that owns <paramref name="key"/>, so the task
    /// <c>2_{partition}</c> whose transactions commit the key's output: the key's key group placed on
    /// <see cref="InputPartitions"/> tasks, as the repartition writer places it.
    /// </summary>
    public static int SinkPartitionOf(long key) =>
        KeyGroups.SubtaskOf(KeyGroups.Of(KeyHash<long>.Of(key), MaxParallelism), MaxParallelism, InputPartitions);

    /// <summary>Parses an output value <c>key:count:runningCount</c>; false for anything else.</summary>
    public static bool TryParseOutput(ReadOnlySpan<byte> value, out long key, out long count)
    {
        key = count = 0;
        var first = value.IndexOf((byte)':');
        if (first <= 0 || !Utf8Parser.TryParse(value[..first], out key, out var used) || used != first)
        {
            return false;
        }

        var rest = value[(first + 1)..];
        var second = rest.IndexOf((byte)':');
        return second > 0 && Utf8Parser.TryParse(rest[..second], out count, out used) && used == second;
    }
}
