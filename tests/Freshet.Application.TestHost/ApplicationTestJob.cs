using System.Globalization;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Application.TestHost;

/// <summary>
/// The job of the application-mode tests: records <c>key:n</c> from a source topic, summed per key in 100 ms
/// event-time windows, then a running total per key over the window sums (keyed state behind a second repartition
/// topic), written as <c>key:total</c>. Records starting with <c>flush</c> only move event time on.
/// <para>
/// Variant <see cref="EveryRecordVariant"/> is the job for at-least-once failure tests, whose output must stay
/// comparable when records are processed twice: every record crosses two repartition topics through keyed state
/// (a reduce per key that keeps the latest record) and is written as it came, <c>key:n</c>; processing a record again
/// only repeats its line. (A sum would count it twice.)
/// </para>
/// </summary>
public static class ApplicationTestJob
{
    /// <summary>The variant that writes every input record once per processing (see the class summary).</summary>
    public const int EveryRecordVariant = 2;

    /// <summary>Builds the job into <paramref name="env"/>; <paramref name="variant"/> 1 changes the graph (for the mismatch test), <see cref="EveryRecordVariant"/> writes every record.</summary>
    public static DataStream<string> Build(StreamEnvironment env, string bootstrapServers, string topic, bool bounded, int variant = 0)
    {
        ArgumentNullException.ThrowIfNull(env);
        var parsed = env.FromKafka(new KafkaSourceOptions { BootstrapServers = bootstrapServers, Topic = topic, Bounded = bounded }, Serializers.Utf8String, WatermarkStrategy.ForBoundedOutOfOrderness<string>(TimeSpan.FromMilliseconds(5)))
            .Filter(static s => !s.StartsWith("flush", StringComparison.Ordinal))
            .Map(static s => (Key: s.Split(':')[0], N: long.Parse(s.Split(':')[1], CultureInfo.InvariantCulture)));
        if (variant == EveryRecordVariant)
        {
            return parsed
                .KeyBy(static r => r.Key)
                .Reduce(static (_, latest) => latest)
                .Uid("latest-by-key")
                .KeyBy(static r => (r.N % 5).ToString(CultureInfo.InvariantCulture))
                .Reduce(static (_, latest) => latest)
                .Uid("latest-by-remainder")
                .Map(static r => $"{r.Key}:{r.N}");
        }

        if (variant != 0)
        {
            parsed = parsed.Filter(static r => r.N >= 0);
        }

        return parsed
            .KeyBy(static r => r.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100)))
            .Reduce(static (a, b) => (a.Key, a.N + b.N))
            .Uid("window-sums")
            .KeyBy(static r => r.Key)
            .Reduce(static (a, b) => (a.Key, a.N + b.N))
            .Uid("running-totals")
            .Map(static r => $"{r.Key}:{r.N}");
    }
}
