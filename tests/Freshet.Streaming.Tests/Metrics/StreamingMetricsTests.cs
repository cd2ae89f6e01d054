using System.Diagnostics.Metrics;
using System.Text;
using Freshet.Log;
using Freshet.Streaming.Tests.Application.Membership;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Freshet.Streaming.Tests.Metrics;

/// <summary>
/// The engine's <c>Freshet.Streaming</c> meter (docs/operations.md, "Metrics") read through OpenTelemetry's in-memory
/// exporter while real jobs run: records in and out and watermarks per operator subtask, checkpoint counts and
/// durations; and a job that ended is no longer reported. Each test's job has its own name, and only its points are
/// read, since other tests' jobs run in the same process.
/// </summary>
public sealed class StreamingMetricsTests : IDisposable
{
    private const long SecondMs = 1000;
    private static readonly TimeSpan WaitDeadline = TimeSpan.FromSeconds(60);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-metrics-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task WindowJob_ReportsRecordsInOutAndWatermarkOfEachOperator()
    {
        var exported = new List<MetricSnapshot>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter("Freshet.Streaming").AddInMemoryExporter(exported).Build();
        var jobName = "metrics window " + Guid.NewGuid().ToString("N");
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var sink = new CollectingSink<long>();

        // 100 records one second apart (event time 0 s .. 99 s), two keys, ten-second windows: the watermark reaches
        // 98.999 s, so the windows up to [80 s, 90 s) fire, 9 windows of 2 keys = 18 results; [90 s, 100 s) stays open.
        env.FromSource(new HeldOpenSource(100), WatermarkStrategy.ForMonotonousTimestamps<long>(), "held source")
            .KeyBy(v => v % 2)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(10)))
            .Reduce((a, b) => a + b)
            .WithName("ten second sums")
            .SinkTo(sink);
        var job = await env.ExecuteAsync(jobName);
        try
        {
            await Poll.UntilAsync(() => sink.Results.Count == 18, "the 18 window results", WaitDeadline);
            await Poll.UntilAsync(() => job.GetMetrics().Single(m => m.OperatorName == "ten second sums").CurrentWatermark == (99 * SecondMs) - 1, "the window's final watermark", WaitDeadline);

            provider.ForceFlush();

            Assert.Equal(100, Sum(exported, "freshet.operator.records.out", jobName, "held source"));
            Assert.Equal(0, Sum(exported, "freshet.operator.records.in", jobName, "held source"));
            Assert.Equal(100, Sum(exported, "freshet.operator.records.in", jobName, "ten second sums"));
            Assert.Equal(18, Sum(exported, "freshet.operator.records.out", jobName, "ten second sums"));
            Assert.Equal((99 * SecondMs) - 1, Gauge(exported, "freshet.operator.watermark", jobName, "ten second sums"));

            // Event time 0 s is 1970: the lag is the age of the watermark on the wall clock, in seconds.
            var lag = Assert.Single(Points(exported, "freshet.operator.watermark.lag", jobName, "ten second sums")).GetGaugeLastValueDouble();
            var expected = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ((99 * SecondMs) - 1)) / 1000.0;
            Assert.InRange(lag, expected - 3600, expected);

            var metric = exported.Last(m => m.Name == "freshet.operator.records.out");
            Assert.Equal("{record}", metric.Unit);
            var point = Points(exported, "freshet.operator.records.out", jobName, "held source").Single();
            Assert.Equal("0", ExportedMetrics.Tag(point, "freshet.subtask.index"));
            Assert.False(string.IsNullOrEmpty(ExportedMetrics.Tag(point, "freshet.operator.uid")));
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task CheckpointedJob_ReportsCheckpointCountsDurationsAndRestarts()
    {
        var exported = new List<MetricSnapshot>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter("Freshet.Streaming").AddInMemoryExporter(exported).Build();
        var jobName = "metrics checkpoints " + Guid.NewGuid().ToString("N");
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 1,
            Checkpointing = new CheckpointingOptions { Directory = Path.Combine(_root, "checkpoints"), Interval = TimeSpan.FromMilliseconds(20) },
        });
        env.FromSource(new HeldOpenSource(50), WatermarkStrategy.ForMonotonousTimestamps<long>(), "held source")
            .Map(v => v * 2)
            .SinkTo(new CollectingSink<long>());
        var job = await env.ExecuteAsync(jobName);
        try
        {
            await Poll.UntilAsync(() => job.GetCheckpointMetrics().Completed >= 3, "three completed checkpoints", WaitDeadline);
            var before = job.GetCheckpointMetrics();
            provider.ForceFlush();
            var after = job.GetCheckpointMetrics();

            var completed = JobPoint(exported, "freshet.checkpoint.completed", jobName).GetSumLong();
            Assert.InRange(completed, before.Completed, after.Completed);
            Assert.Equal(0, JobPoint(exported, "freshet.checkpoint.failed", jobName).GetSumLong());
            Assert.Equal(0, JobPoint(exported, "freshet.job.restarts", jobName).GetSumLong());
            Assert.True(JobPoint(exported, "freshet.checkpoint.size", jobName).GetGaugeLastValueLong() > 0);

            // One duration per completed checkpoint, recorded when it completed.
            var durations = JobPoint(exported, "freshet.checkpoint.duration", jobName);
            Assert.InRange(durations.GetHistogramCount(), before.Completed, after.Completed);
            Assert.True(durations.GetHistogramSum() >= 0);
            Assert.Equal(0.01, FirstBucketBound(durations));
            Assert.Equal("s", exported.Last(m => m.Name == "freshet.checkpoint.duration").Unit);
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task JobRestartedAfterAFailure_ReportsTheRestartAndTheNewAttemptsCounters()
    {
        var exported = new List<MetricSnapshot>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter("Freshet.Streaming").AddInMemoryExporter(exported).Build();
        var jobName = "metrics restart " + Guid.NewGuid().ToString("N");
        var failed = 0;
        var sink = new CollectingSink<long>();
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 1,
            Checkpointing = new CheckpointingOptions
            {
                Directory = Path.Combine(_root, "restart-checkpoints"),
                Interval = TimeSpan.FromMilliseconds(20),
                RestartStrategy = RestartStrategy.FixedDelay(2, TimeSpan.FromMilliseconds(15)),
            },
        });
        env.FromSource(new HeldOpenSource(40), WatermarkStrategy.ForMonotonousTimestamps<long>(), "held source")
            .Map(v => v == 20 && Interlocked.Exchange(ref failed, 1) == 0 ? throw new InvalidOperationException("injected failure") : v)
            .WithName("fails once")
            .SinkTo(sink);
        var job = await env.ExecuteAsync(jobName);
        try
        {
            // The last value arrived after the restart: the source has emitted all it will and is held open.
            await Poll.UntilAsync(() => job.GetCheckpointMetrics().Restarts == 1 && job.Status == JobStatus.Running && sink.Results.Contains(39)
                && job.GetMetrics().Single(m => m.OperatorName == "fails once").RecordsIn == job.GetMetrics().Single(m => m.OperatorName == "held source").RecordsOut,
                "the restarted attempt to process everything",
                WaitDeadline);
            var attempt = job.GetMetrics();
            provider.ForceFlush();

            Assert.Equal(1, JobPoint(exported, "freshet.job.restarts", jobName).GetSumLong());

            // The counters are the new attempt's: what it read after the restore (at most the 40 values; the failed
            // attempt emitted at least 21 before the failure, so a count carried over would exceed 40).
            var sourceOut = attempt.Single(m => m.OperatorName == "held source").RecordsOut;
            Assert.InRange(sourceOut, 20, 40);
            Assert.Equal(sourceOut, Sum(exported, "freshet.operator.records.out", jobName, "held source"));
            Assert.Equal(sourceOut, Sum(exported, "freshet.operator.records.in", jobName, "fails once"));
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task LogTopicConnectors_ReportTheBytesTheyReadAndWrote()
    {
        var exported = new List<MetricSnapshot>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter("Freshet.Streaming").AddInMemoryExporter(exported).Build();
        var jobName = "metrics bytes " + Guid.NewGuid().ToString("N");
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("in", 1);
        store.CreateTopic("out", 1);

        // 10 records of a 2-byte key and an 8-byte value: 100 bytes of keys and values in, and the same out.
        LogTopics.Append(store, "in", 0, Enumerable.Range(0, 10).Select(i => ((long)i * SecondMs, "k" + (i % 10), (long)i)));
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        env.FromLogTopic(store, "in", LogTopics.ToEv, name: "log source")
            .Map(e => e with { Value = e.Value * 2 })
            .SinkToLogTopic(store, "out", e => (Encoding.UTF8.GetBytes(e.Key), LogTopics.Long(e.Value)));
        var job = await env.ExecuteAsync(jobName);
        try
        {
            await Poll.UntilAsync(() => LogTopics.ReadAll(store, "out").Count == 10, "the 10 records in 'out'", WaitDeadline);
            provider.ForceFlush();

            Assert.Equal(100, Sum(exported, "freshet.operator.bytes.in", jobName, "log source"));
            Assert.Equal(100, Sum(exported, "freshet.operator.bytes.out", jobName, "Log Sink: out"));

            // Operators whose records are objects report no bytes.
            Assert.Empty(Points(exported, "freshet.operator.bytes.in", jobName, "Map"));
            Assert.Empty(Points(exported, "freshet.operator.bytes.out", jobName, "log source"));
            Assert.Equal("By", exported.Last(m => m.Name == "freshet.operator.bytes.in").Unit);
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task JobEnded_IsNoLongerReported()
    {
        var jobName = "metrics ended " + Guid.NewGuid().ToString("N");
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        env.FromSource(new HeldOpenSource(10), WatermarkStrategy.ForMonotonousTimestamps<long>(), "held source").SinkTo(new CollectingSink<long>());
        var job = await env.ExecuteAsync(jobName);
        await Poll.UntilAsync(() => job.GetMetrics().Single(m => m.OperatorName == "held source").RecordsOut == 10, "the source's 10 records", WaitDeadline);

        Assert.Contains(("freshet.operator.records.out", 10L), ObserveJob(jobName));

        await job.CancelAsync();

        Assert.Empty(ObserveJob(jobName));
    }

    /// <summary>Every measurement of the meter's observable instruments tagged with <paramref name="jobName"/>, read by a listener of its own.</summary>
    private static List<(string Instrument, long Value)> ObserveJob(string jobName)
    {
        var seen = new List<(string, long)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Freshet.Streaming")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "freshet.job.name" && (string?)tag.Value == jobName)
                {
                    seen.Add((instrument.Name, value));
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }

    private static long Sum(List<MetricSnapshot> exported, string name, string jobName, string operatorName) =>
        Assert.Single(Points(exported, name, jobName, operatorName)).GetSumLong();

    private static long Gauge(List<MetricSnapshot> exported, string name, string jobName, string operatorName) =>
        Assert.Single(Points(exported, name, jobName, operatorName)).GetGaugeLastValueLong();

    /// <summary>The points of the newest export of <paramref name="name"/> for one operator of one job.</summary>
    private static List<MetricPoint> Points(List<MetricSnapshot> exported, string name, string jobName, string operatorName) =>
        ExportedMetrics.Points(exported, name, jobName, "freshet.operator.name", operatorName);

    private static MetricPoint JobPoint(List<MetricSnapshot> exported, string name, string jobName) =>
        Assert.Single(exported.Last(m => m.Name == name).MetricPoints, p => ExportedMetrics.Tag(p, "freshet.job.name") == jobName);

    /// <summary>The upper bound of the histogram's first bucket: the instrument's advice, not the exporter's millisecond default.</summary>
    private static double FirstBucketBound(MetricPoint point)
    {
        foreach (var bucket in point.GetHistogramBuckets())
        {
            return bucket.ExplicitBound;
        }

        return double.NaN;
    }
}
