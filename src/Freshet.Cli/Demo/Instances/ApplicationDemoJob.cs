using System.Buffers;
using System.Globalization;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Time;

namespace Freshet.Cli.Demo.Instances;

/// <summary>
/// The demo's job in application mode (docs/application-mode.md): <see cref="SensorDemoJob.HottestSensors"/> between
/// Kafka topics of the demo's broker, each ranking stamped with the instance that computed it. The two key exchanges
/// cut it into three sub-topologies — readings (one task per input partition), moving averages (keyed by sensor)
/// and rankings (keyed by window end) — joined by repartition topics; the window contents and the rankings in
/// progress are keyed state, logged to changelog topics.
/// </summary>
internal static class ApplicationDemoJob
{
    /// <summary>The application id every instance joins with: its group, transactional ids and internal topic prefix.</summary>
    public const string ApplicationId = "freshet-demo";

    /// <summary>Sub-topologies of the job: the graph is cut at its two <c>KeyBy</c>s.</summary>
    public const int SubTopologies = 3;

    private static readonly ISerializer<InstanceHotSensors> ResultSerializer = Serializers.Json(DemoJsonContext.Default.InstanceHotSensors);

    /// <summary>Decodes a record value of the output topic.</summary>
    public static InstanceHotSensors DecodeResult(ReadOnlySpan<byte> value) => ResultSerializer.Deserialize(value);

    /// <summary>Adds the job to <paramref name="env"/>, reading and writing through <paramref name="bootstrapServers"/>; <paramref name="instance"/> stamps its results.</summary>
    public static void Build(StreamEnvironment env, string bootstrapServers, string instance)
    {
        var watermarks = WatermarkStrategy.ForBoundedOutOfOrderness<SensorReading?>(SensorDemoJob.MaxOutOfOrderness)
            .WithTimestampAssigner((reading, recordTime) => reading?.TimeMs ?? recordTime);
        var readings = env.FromKafka(new KafkaSourceOptions { BootstrapServers = bootstrapServers, Topic = SensorDemoJob.InputTopic }, new LenientReadingSerializer(), watermarks, name: "Sensor readings")
            .Uid("sensor-readings");
        SensorDemoJob.HottestSensors(readings)
            .Map(ranking => new InstanceHotSensors(ranking.WindowEndMs, ranking.Ranking, instance))
            .WithName("Stamp instance")
            .Uid("stamp-instance")
            .SinkToKafka(
                new KafkaSinkOptions { BootstrapServers = bootstrapServers, Topic = SensorDemoJob.OutputTopic },
                ranking => ranking.WindowEndMs.ToString(CultureInfo.InvariantCulture),
                Serializers.Utf8String,
                ResultSerializer)
            .Uid("hot-sensors-sink");
    }

    /// <summary>Readings as JSON; a value that is not a reading decodes to null (the job drops it) instead of failing the task.</summary>
    private sealed class LenientReadingSerializer : ISerializer<SensorReading?>
    {
        public void Serialize(SensorReading? value, IBufferWriter<byte> output) =>
            output.Write(value is null ? "null"u8 : SensorDemoJob.EncodeReading(value));

        public SensorReading? Deserialize(ReadOnlySpan<byte> input) => SensorDemoJob.TryDecodeReading(input);
    }
}
