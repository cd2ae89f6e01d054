using System.Globalization;
using System.Text;
using Freshet.Log;
using Freshet.Streaming;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.State;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Cli.Demo;

/// <summary>
/// The demo's stateful event-time job, as a Flink user would write it:
/// <list type="number">
/// <item>read sensor readings from <see cref="InputTopic"/> (event time = the reading's time, watermark 3 s behind
/// the largest time seen, per partition), from the positions <see cref="InputGroup"/> committed (each second) in an
/// earlier run, else from the start;</item>
/// <item>drop readings below <see cref="ThresholdCelsius"/> (probe glitches);</item>
/// <item>a moving average per sensor over sliding windows of <see cref="WindowSize"/> every <see cref="WindowSlide"/>;</item>
/// <item>the top <see cref="TopN"/> hottest sensors of each window, emitted once the watermark passes the window;</item>
/// <item>written as JSON to <see cref="OutputTopic"/>, keyed by the window end.</item>
/// </list>
/// </summary>
internal static class SensorDemoJob
{
    public const string InputTopic = "sensor-readings";
    public const string OutputTopic = "hot-sensors";

    /// <summary>The consumer group the job commits its input positions to, so that a restarted demo resumes there.</summary>
    public const string InputGroup = "freshet-demo";
    public const double ThresholdCelsius = -20;
    public const int TopN = 3;
    public static readonly TimeSpan WindowSize = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan WindowSlide = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxOutOfOrderness = TimeSpan.FromMilliseconds(SensorFleet.MaxDelayMs + 1_000);

    private static readonly ISerializer<SensorReading> ReadingSerializer = Serializers.Json(DemoJsonContext.Default.SensorReading);
    private static readonly ISerializer<HotSensors> ResultSerializer = Serializers.Json(DemoJsonContext.Default.HotSensors);

    /// <summary>Encodes a reading as the input topic's record value.</summary>
    public static byte[] EncodeReading(SensorReading reading) => ReadingSerializer.SerializeToArray(reading);

    /// <summary>Decodes a record value of the output topic.</summary>
    public static HotSensors DecodeResult(ReadOnlySpan<byte> value) => ResultSerializer.Deserialize(value);

    /// <summary>
    /// Decodes an input record value; null for a value that is not a reading (anyone can produce to the topic with
    /// kcat), which the job then drops instead of failing.
    /// </summary>
    public static SensorReading? TryDecodeReading(ReadOnlySpan<byte> value)
    {
        try
        {
            var reading = ReadingSerializer.Deserialize(value);
            return reading.SensorId is null ? null : reading;
        }
        catch (System.Runtime.Serialization.SerializationException)
        {
            return null;
        }
    }

    private static SensorReading? TryDecodeReading(Freshet.Log.Records.LogRecord record) =>
        record.Value is null ? null : TryDecodeReading(record.Value);

    /// <summary>
    /// Adds the job to <paramref name="env"/>: from <see cref="InputTopic"/> to <see cref="OutputTopic"/> in
    /// <paramref name="store"/>. Every operator has a uid, so checkpoints of one version of the demo restore into the
    /// next. The output is written exactly-once (a log transaction per checkpoint) when the environment takes
    /// checkpoints, at-least-once otherwise.
    /// </summary>
    public static void Build(StreamEnvironment env, LogStore store, bool bounded)
    {
        var guarantee = env.Options.Checkpointing is null ? DeliveryGuarantee.AtLeastOnce : DeliveryGuarantee.ExactlyOnce;
        var watermarks = WatermarkStrategy.ForBoundedOutOfOrderness<SensorReading?>(MaxOutOfOrderness)
            .WithTimestampAssigner((reading, recordTime) => reading?.TimeMs ?? recordTime)
            .WithIdleness(TimeSpan.FromSeconds(5));
        var readings = env.FromLogTopic(store, InputTopic, TryDecodeReading, new LogSourceOptions
            {
                Bounded = bounded,
                StartingOffsets = StartingOffsets.Committed(InputGroup, whenNoCommit: StartingOffsets.Earliest),
                CommitToGroup = InputGroup,
                CommitInterval = TimeSpan.FromSeconds(1),
            }, watermarks, name: "Sensor readings")
            .Uid("sensor-readings");
        HottestSensors(readings)
            .SinkToLogTopic(
                store,
                OutputTopic,
                ranking => (Encoding.UTF8.GetBytes(ranking.WindowEndMs.ToString(CultureInfo.InvariantCulture)), ResultSerializer.SerializeToArray(ranking)),
                new LogSinkOptions { DeliveryGuarantee = guarantee, TransactionalIdPrefix = "freshet-demo-hot-sensors" })
            .Uid("hot-sensors-sink");
    }

    /// <summary>
    /// The job's computation from decoded readings (null for a record that is not one) to rankings: glitches
    /// dropped, the moving average per sensor (keyed by sensor), the top <see cref="TopN"/> per window (keyed by
    /// window end). Shared by the single-process demo and the application-mode demo, with the same uids.
    /// </summary>
    public static DataStream<HotSensors> HottestSensors(DataStream<SensorReading?> readings) =>
        readings
            .Filter(reading => reading is not null && reading.Celsius >= ThresholdCelsius).WithName("Drop glitches").Uid("drop-glitches")
            .KeyBy(reading => reading!.SensorId)
            .Window(SlidingEventTimeWindows.Of(WindowSize, WindowSlide))
            .Aggregate(new AverageCelsius(), new TagWithWindow())
            .WithName("Moving average")
            .Uid("moving-average")
            .KeyBy(average => average.WindowEndMs)
            .Process(new TopSensorsPerWindow(TopN))
            .WithName("Top sensors")
            .Uid("top-sensors");

    /// <summary>Sum and count of the readings of one sensor in one window.</summary>
    internal struct SumCount
    {
        public double Sum;
        public long Count;
    }

    /// <summary>The incremental part of the moving average: a running sum and count per sensor and window.</summary>
    private sealed class AverageCelsius : IAggregateFunction<SensorReading?, SumCount, SumCount>
    {
        public SumCount CreateAccumulator() => default;

        public SumCount Add(SensorReading? value, SumCount accumulator) =>
            new() { Sum = accumulator.Sum + value!.Celsius, Count = accumulator.Count + 1 };

        public SumCount GetResult(SumCount accumulator) => accumulator;

        public SumCount Merge(SumCount a, SumCount b) => new() { Sum = a.Sum + b.Sum, Count = a.Count + b.Count };
    }

    /// <summary>Turns a window's sum and count into the sensor's average, tagged with the window's end.</summary>
    private sealed class TagWithWindow : ProcessWindowFunction<SumCount, SensorAverage, string>
    {
        public override void Process(string key, ProcessWindowContext context, IReadOnlyList<SumCount> elements, Collector<SensorAverage> output)
        {
            var total = elements[0];
            output.Collect(new SensorAverage(key, context.Window.End, Math.Round(total.Sum / total.Count, 2), total.Count));
        }
    }

    /// <summary>
    /// Keyed by window end: collects the averages of every sensor for that window and, when the watermark passes
    /// the window (its results all carry event time <c>end − 1</c>, so they have all arrived), emits the hottest
    /// <c>n</c> and forgets the window.
    /// </summary>
    private sealed class TopSensorsPerWindow(int n) : KeyedProcessFunction<long, SensorAverage, HotSensors>
    {
        private ValueState<List<SensorAverage>?> _averages = null!;

        public override void Open(RuntimeContext context) =>
            _averages = context.GetState(new ValueStateDescriptor<List<SensorAverage>?>("window-averages"));

        public override void ProcessElement(SensorAverage value, KeyedProcessContext<long> context, Collector<HotSensors> output)
        {
            var list = _averages.Value;
            if (list is null)
            {
                list = [];
                context.TimerService.RegisterEventTimeTimer(value.WindowEndMs - 1);
            }

            list.Add(value);
            _averages.Update(list);
        }

        public override void OnTimer(long timestamp, KeyedProcessContext<long> context, Collector<HotSensors> output)
        {
            var list = _averages.Value;
            if (list is null)
            {
                return;
            }

            var top = list.OrderByDescending(a => a.AverageCelsius).ThenBy(a => a.SensorId, StringComparer.Ordinal).Take(n).ToArray();
            output.Collect(new HotSensors(context.CurrentKey, top));
            _averages.Clear();
        }
    }
}
