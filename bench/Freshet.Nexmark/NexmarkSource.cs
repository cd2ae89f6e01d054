using Freshet.Log;
using Freshet.Nexmark.Generation;
using Freshet.Nexmark.Model;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Time;

namespace Freshet.Nexmark;

/// <summary>Sources of nexmark events for a <see cref="StreamEnvironment"/>, with the nexmark DDL's watermarks.</summary>
public static class NexmarkSource
{
    /// <summary>Bounded out-of-orderness of the nexmark DDL: <c>WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND</c>.</summary>
    public static readonly TimeSpan WatermarkDelay = TimeSpan.FromSeconds(4);

    /// <summary>The nexmark watermark strategy: event time = <see cref="NexmarkEvent.DateTime"/>, 4 s delay.</summary>
    public static WatermarkStrategy<NexmarkEvent> Watermarks() =>
        WatermarkStrategy.ForBoundedOutOfOrderness<NexmarkEvent>(WatermarkDelay).WithTimestampAssigner(static (e, _) => e.DateTime);

    /// <summary>
    /// Events <c>0 .. count - 1</c> of <paramref name="generator"/> (unbounded when <paramref name="count"/> is null),
    /// generated inside the job: subtask <c>s</c> of <c>p</c> generates events <c>s, s + p, …</c>. With
    /// <paramref name="eventsPerSecond"/> the wall-clock rate is limited.
    /// </summary>
    public static DataStream<NexmarkEvent> FromNexmark(this StreamEnvironment env, NexmarkGenerator generator, long? count, double? eventsPerSecond = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(generator);
        return env.FromGenerator(generator.Generate, count, Watermarks(), eventsPerSecond, "Nexmark Source");
    }

    /// <summary>Events written by <see cref="NexmarkLogWriter"/> into <paramref name="topic"/>, read from the earliest offset.</summary>
    public static DataStream<NexmarkEvent> FromNexmarkTopic(this StreamEnvironment env, LogStore store, string topic, LogSourceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        return env.FromLogTopic(store, topic, static record => NexmarkSerializer.Deserialize(record.Value), options, Watermarks(), "Nexmark Topic Source");
    }
}
