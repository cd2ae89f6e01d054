using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Freshet.Streaming.Metrics;

/// <summary>
/// The engine's <see cref="Meter"/>, <c>Freshet.Streaming</c>, and its instruments (docs/operations.md, "Metrics").
/// <para>
/// The per-record path gains nothing: records in and out and watermarks are the counters the task threads already keep
/// for <c>JobHandle.GetMetrics</c> (<c>OperatorMetricsCounter</c>), read by observable instruments only when a listener
/// collects. Each running job adds one <see cref="JobMetricsRegistration"/> to <see cref="Jobs"/> when it starts and
/// removes it when it ends, so an ended job is no longer reported. Task times (busy, idle, backpressured) are the
/// counters each task keeps per wait (<c>TaskMetricsCounter</c>), and a task's input queue length is read from its
/// gate at collection. The recorded instruments — <see cref="CheckpointDuration"/> and the phase histograms — are
/// written once per completed checkpoint.
/// </para>
/// Thread-safe: collection callbacks may run on any thread, concurrently with each other and with jobs starting and
/// ending; the registry is a concurrent dictionary and each registration guards its own cache.
/// </summary>
internal static class StreamingMetrics
{
    public const string MeterName = StreamEnvironment.MeterName;

    public const string JobNameTag = "freshet.job.name";
    public const string OperatorNameTag = "freshet.operator.name";
    public const string OperatorUidTag = "freshet.operator.uid";
    public const string SubtaskIndexTag = "freshet.subtask.index";
    public const string TaskNameTag = "freshet.task.name";
    public const string VertexIdTag = "freshet.vertex.id";

    private static readonly ConcurrentDictionary<JobMetricsRegistration, byte> Jobs = new();

    /// <summary>Bucket boundaries (s) from 10 ms to the default checkpoint timeout's order (10 min); exporters' defaults are meant for milliseconds.</summary>
    private static readonly double[] CheckpointDurationBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    /// <summary>Bucket boundaries (s) for the phases of a checkpoint, from 1 ms (a small heap snapshot) to a minute.</summary>
    private static readonly double[] CheckpointPhaseBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    public static Meter Meter { get; } = new(MeterName, typeof(StreamingMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? typeof(StreamingMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>Trigger to completion of each completed checkpoint or savepoint, in seconds; tag: job name.</summary>
    public static Histogram<double> CheckpointDuration { get; } = Meter.CreateHistogram(
        "freshet.checkpoint.duration",
        unit: "s",
        description: "Time from triggering a checkpoint or savepoint to its completion.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CheckpointDurationBuckets });

    /// <summary>The longest barrier alignment of a task in each completed checkpoint or savepoint, in seconds (millisecond resolution); tag: job name.</summary>
    public static Histogram<double> CheckpointAlignmentDuration { get; } = Meter.CreateHistogram(
        "freshet.checkpoint.alignment.duration",
        unit: "s",
        description: "Longest time a task of a completed checkpoint waited from the checkpoint's first to its last input barrier.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CheckpointPhaseBuckets });

    /// <summary>The longest synchronous phase of a task in each completed checkpoint or savepoint, in seconds (millisecond resolution); tag: job name.</summary>
    public static Histogram<double> CheckpointSyncDuration { get; } = Meter.CreateHistogram(
        "freshet.checkpoint.sync.duration",
        unit: "s",
        description: "Longest synchronous snapshot phase (the task's stream stands still) of a task of a completed checkpoint.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CheckpointPhaseBuckets });

    /// <summary>The longest asynchronous phase of a task in each completed checkpoint or savepoint, in seconds (millisecond resolution); tag: job name.</summary>
    public static Histogram<double> CheckpointAsyncDuration { get; } = Meter.CreateHistogram(
        "freshet.checkpoint.async.duration",
        unit: "s",
        description: "Longest asynchronous snapshot phase (serializing and writing state while the stream goes on) of a task of a completed checkpoint.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CheckpointPhaseBuckets });

    static StreamingMetrics()
    {
        // Created once for the process; the callbacks enumerate the jobs registered at collection time.
        Meter.CreateObservableCounter("freshet.operator.records.in", () => Observe(static (job, m) => job.ObserveRecordsIn(m)), "{record}",
            "Records an operator subtask received in the current attempt of its job (0 for a source).");
        Meter.CreateObservableCounter("freshet.operator.records.out", () => Observe(static (job, m) => job.ObserveRecordsOut(m)), "{record}",
            "Records an operator subtask emitted on its main output in the current attempt of its job.");
        Meter.CreateObservableCounter("freshet.operator.bytes.in", () => Observe(static (job, m) => job.ObserveBytesIn(m)), "By",
            "Bytes of record keys and values a source connector (Kafka, log topic) read in the current attempt of its job; absent for other operators and before the first byte.");
        Meter.CreateObservableCounter("freshet.operator.bytes.out", () => Observe(static (job, m) => job.ObserveBytesOut(m)), "By",
            "Bytes of record keys and values a sink connector (Kafka, log topic) wrote in the current attempt of its job; absent for other operators and before the first byte.");
        Meter.CreateObservableGauge("freshet.operator.watermark", () => Observe(static (job, m) => job.ObserveWatermark(m)), "ms",
            "The last watermark an operator subtask processed (event time, milliseconds since the Unix epoch); absent before the first and after the end of input.");
        Meter.CreateObservableGauge("freshet.operator.watermark.lag", () => ObserveDouble(static (job, m) => job.ObserveWatermarkLag(m)), "s",
            "Processing time (the job's clock) minus the operator subtask's current watermark.");
        Meter.CreateObservableCounter("freshet.checkpoint.completed", () => Observe(static (job, m) => job.ObserveCheckpointsCompleted(m)), "{checkpoint}",
            "Checkpoints and savepoints a job completed, over all its attempts.");
        Meter.CreateObservableCounter("freshet.checkpoint.failed", () => Observe(static (job, m) => job.ObserveCheckpointsFailed(m)), "{checkpoint}",
            "Checkpoints a job aborted (declined by a task, timed out, or failed to write), over all its attempts.");
        Meter.CreateObservableGauge("freshet.checkpoint.size", () => Observe(static (job, m) => job.ObserveCheckpointSize(m)), "By",
            "Bytes of state files of the newest completed checkpoint of a job.");
        Meter.CreateObservableCounter("freshet.job.restarts", () => Observe(static (job, m) => job.ObserveRestarts(m)), "{restart}",
            "Times a job restarted after a failure.");
        Meter.CreateObservableCounter("freshet.task.busy.time", () => ObserveDouble(static (job, m) => job.ObserveBusyTime(m)), "s",
            "Time a task spent neither idle nor backpressured (processing records, timers and checkpoints) in the current attempt of its job.");
        Meter.CreateObservableCounter("freshet.task.idle.time", () => ObserveDouble(static (job, m) => job.ObserveIdleTime(m)), "s",
            "Time a task waited for input in the current attempt of its job.");
        Meter.CreateObservableCounter("freshet.task.backpressured.time", () => ObserveDouble(static (job, m) => job.ObserveBackpressuredTime(m)), "s",
            "Time a task waited for room in an output (a downstream task's input channel was full) in the current attempt of its job.");
        Meter.CreateObservableGauge("freshet.task.input.queue.length", () => Observe(static (job, m) => job.ObserveInputQueueLength(m)), "{batch}",
            "Batches buffered in a task's input gate, over all its channels; absent for source tasks.");
        Meter.CreateObservableGauge("freshet.operator.state.size", () => Observe(static (job, m) => job.ObserveOperatorStateSize(m)), "By",
            "Bytes of an operator's state files (all its subtasks) in the newest completed checkpoint or savepoint of its job.");
    }

    /// <summary>Starts reporting <paramref name="job"/>; dispose the result when the job ended.</summary>
    public static IDisposable Register(IJobMetricsSource job)
    {
        var registration = new JobMetricsRegistration(job, Jobs);
        Jobs.TryAdd(registration, 0);
        return registration;
    }

    private static List<Measurement<long>> Observe(Action<JobMetricsRegistration, List<Measurement<long>>> observe)
    {
        var measurements = new List<Measurement<long>>();
        foreach (var job in Jobs.Keys)
        {
            observe(job, measurements);
        }

        return measurements;
    }

    private static List<Measurement<double>> ObserveDouble(Action<JobMetricsRegistration, List<Measurement<double>>> observe)
    {
        var measurements = new List<Measurement<double>>();
        foreach (var job in Jobs.Keys)
        {
            observe(job, measurements);
        }

        return measurements;
    }
}
