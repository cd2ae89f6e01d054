using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Freshet.Bench.Reporting;
using Freshet.Streaming;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Bench.Engine;

/// <summary>
/// The <c>engine</c> suite: jobs over in-memory events (long key, long value, event time = index ms,
/// key = index % 1000), each Freshet measurement paired with a hand-written single-threaded loop computing the same
/// result in the same run; medians over repetitions (default 3).
/// <list type="bullet">
/// <item>filter + map into a counting sink (<c>filter_map_eps</c>), against a loop doing the same;</item>
/// <item>tumbling 1 s event-time window, count and sum per key, parallelism 1 (<c>tumbling_eps</c>) and 2
/// (<c>tumbling_p2_eps</c>), against a loop with a dictionary per window (<c>tumbling_ratio_vs_loop</c>).</item>
/// </list>
/// Both sides check their results against each other (count and checksum). Then checkpoint and restore of keyed
/// state (<see cref="CheckpointStateBench"/>: <c>checkpoint_1m_keys_ms_heap</c>, <c>restore_1m_keys_ms_heap</c>,
/// <c>checkpoint_1m_keys_ms_rocksdb</c>, <c>restore_1m_keys_ms_rocksdb</c>, each with a raw-file baseline and ratio;
/// the names keep "1m" whatever <c>--state-keys</c> is). Finally the cost of periodic checkpoints in a running job
/// the p=1 tumbling job without checkpoints and with a checkpoint every second (heap state, checkpoint
/// directory in a scratch directory deleted after each run), alternating in each repetition, over
/// <c>--checkpoint-events</c> events so that the job takes several checkpoints; <c>checkpoint_overhead_ratio</c> =
/// median events/s with checkpoints ÷ median without (target ≥ 0.9), with the checkpointed run's
/// <see cref="CheckpointMetrics"/> (completed, failed, and the last checkpoint's state bytes and sync/async ms).
/// Then the cost of metrics: the p=2 tumbling job (one keyed exchange, so every task-time counter is in use) with a
/// <see cref="System.Diagnostics.Metrics.MeterListener"/> collecting the <c>Freshet.Streaming</c> meter every 100 ms, as an exporter would, and
/// without, alternating in each repetition (which one runs first alternates too); <c>metrics_overhead_ratio</c> = median events/s with ÷ median without
/// (target ≥ 0.95).
/// Options: <c>--events N</c> (default 20M), <c>--reps N</c>, <c>--state-keys N</c> (default 1M),
/// <c>--checkpoint-events N</c> (default 300M, several seconds per run), <c>--only metrics</c> (the metrics
/// comparison alone, over <c>--events</c>).
/// </summary>
internal static class EngineSuite
{
    public const string Name = "engine";
    private const long Keys = 1000;
    private const long WindowMs = 1000;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    public static int Run(string[] args)
    {
        long events = 20_000_000;
        var reps = 3;
        var stateKeys = 1_000_000;
        long checkpointEvents = 300_000_000;
        var only = "";
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--events":
                    events = long.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--reps":
                    reps = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--state-keys":
                    stateKeys = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--checkpoint-events":
                    checkpointEvents = long.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--only" when args[i + 1] == "metrics":
                    only = args[i + 1];
                    break;
                default:
                    Console.Error.WriteLine("usage: Freshet.Bench engine [--events N] [--reps N] [--state-keys N] [--checkpoint-events N] [--only metrics]");
                    return 2;
            }
        }

        Console.WriteLine($"Freshet engine suite: {events:N0} events, {Keys} keys, event time = index ms, {reps} repetitions, medians");
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores");

        if (only == "metrics")
        {
            Progress("warm-up");
            MetricsOverheadPair(2_000_000, collectedFirst: false);
            var alone = MetricsOverhead(events, reps);
            Console.WriteLine();
            Console.Write(ResultTable.Format([alone.Comparison]));
            var metricsResult = new ResultLine();
            AddMetricsOverhead(metricsResult, alone);
            metricsResult.Add("events", events, 0);
            metricsResult.Add("reps", reps, 0);
            Console.WriteLine(metricsResult);
            return 0;
        }

        // Warm-up: tier-1 code for every path.
        Progress("warm-up");
        for (var i = 0; i < 2; i++)
        {
            FilterMapJob(2_000_000, 1);
            TumblingJob(2_000_000, 1);
            TumblingJob(2_000_000, 2);
            CheckpointedTumblingJob(2_000_000, TimeSpan.FromMilliseconds(50));
            FilterMapLoop(2_000_000);
            TumblingLoop(2_000_000);
        }

        var filterMap = new Comparison("filter + map -> counting sink, p=1", "events/s", "for loop");
        var tumbling = new Comparison("tumbling 1 s count+sum per key, p=1", "events/s", "for loop + Dictionary per window");
        var tumblingP2 = new Comparison("tumbling 1 s count+sum per key, p=2", "events/s", "for loop + Dictionary per window");
        for (var rep = 0; rep < reps; rep++)
        {
            Progress($"rep {rep + 1}/{reps}");
            var loopFm = FilterMapLoop(events);
            var jobFm = FilterMapJob(events, 1);
            Check("filter_map", jobFm, loopFm);
            filterMap.AddFreshet(events / jobFm.Seconds);
            filterMap.AddBaseline(events / loopFm.Seconds);

            var loop = TumblingLoop(events);
            var job = TumblingJob(events, 1);
            Check("tumbling", job, loop);
            tumbling.AddFreshet(events / job.Seconds);
            tumbling.AddBaseline(events / loop.Seconds);

            var job2 = TumblingJob(events, 2);
            Check("tumbling p2", job2, loop);
            tumblingP2.AddFreshet(events / job2.Seconds);
            tumblingP2.AddBaseline(events / loop.Seconds);
        }

        Progress("checkpoint state");
        var state = CheckpointStateBench.Measure(stateKeys, reps);
        var (checkpoint, restore) = (state.HeapCheckpoint, state.HeapRestore);

        Progress($"checkpoint overhead: {checkpointEvents:N0} events, checkpoint every {CheckpointInterval.TotalSeconds:0.#} s");
        var overhead = new Comparison($"tumbling 1 s p=1, {checkpointEvents:N0} events, checkpoint every {CheckpointInterval.TotalSeconds:0.#} s", "events/s", "same job without checkpoints");
        var checkpointsCompleted = new List<double>();
        var checkpointsFailed = new List<double>();
        var lastStateBytes = new List<double>();
        var lastSyncMs = new List<double>();
        var lastAsyncMs = new List<double>();
        var overheadLoop = TumblingLoop(checkpointEvents);
        for (var rep = 0; rep < reps; rep++)
        {
            Progress($"checkpoint overhead rep {rep + 1}/{reps}");
            var plain = TumblingJob(checkpointEvents, 1);
            Check("tumbling without checkpoints", plain, overheadLoop);
            overhead.AddBaseline(checkpointEvents / plain.Seconds);

            var (checkpointed, metrics) = CheckpointedTumblingJob(checkpointEvents, CheckpointInterval);
            Check("tumbling with checkpoints", checkpointed, overheadLoop);
            overhead.AddFreshet(checkpointEvents / checkpointed.Seconds);
            checkpointsCompleted.Add(metrics.Completed);
            checkpointsFailed.Add(metrics.Failed);
            lastStateBytes.Add(metrics.LastStateBytes);
            lastSyncMs.Add(metrics.LastSyncMs);
            lastAsyncMs.Add(metrics.LastAsyncMs);
            Progress($"  without {plain.Seconds:0.00} s, with {checkpointed.Seconds:0.00} s: {metrics}");
            if (metrics.Completed < 3)
            {
                Console.Error.WriteLine($"warning: only {metrics.Completed} checkpoints completed; raise --checkpoint-events for a meaningful overhead ratio");
            }
        }

        var metricsOverhead = MetricsOverhead(events, reps);

        Console.WriteLine();
        Console.Write(ResultTable.Format([filterMap, tumbling, tumblingP2, checkpoint, restore, state.RocksDbCheckpoint, state.RocksDbRestore, overhead, metricsOverhead.Comparison]));
        var result = new ResultLine();
        result.Add("filter_map_eps", filterMap.FreshetMedian, 0);
        result.Add("filter_map_loop_eps", filterMap.BaselineMedian, 0);
        result.Add("filter_map_ratio_vs_loop", filterMap.Ratio);
        result.Add("tumbling_eps", tumbling.FreshetMedian, 0);
        result.Add("tumbling_loop_eps", tumbling.BaselineMedian, 0);
        result.Add("tumbling_ratio_vs_loop", tumbling.Ratio);
        result.Add("tumbling_p2_eps", tumblingP2.FreshetMedian, 0);
        result.Add("tumbling_p2_ratio_vs_loop", tumblingP2.Ratio);
        result.Add("checkpoint_1m_keys_ms_heap", checkpoint.FreshetMedian, 1);
        result.Add("checkpoint_raw_dump_ms", checkpoint.BaselineMedian, 1);
        result.Add("checkpoint_ratio_vs_raw_dump", checkpoint.Ratio);
        result.Add("restore_1m_keys_ms_heap", restore.FreshetMedian, 1);
        result.Add("restore_raw_read_ms", restore.BaselineMedian, 1);
        result.Add("restore_ratio_vs_raw_read", restore.Ratio);
        result.Add("checkpoint_1m_keys_ms_rocksdb", state.RocksDbCheckpoint.FreshetMedian, 1);
        result.Add("checkpoint_rocksdb_ratio_vs_raw_dump", state.RocksDbCheckpoint.Ratio);
        result.Add("checkpoint_rocksdb_sync_ms", state.RocksDbSyncMedianMs, 3);
        result.Add("restore_1m_keys_ms_rocksdb", state.RocksDbRestore.FreshetMedian, 1);
        result.Add("restore_rocksdb_ratio_vs_raw_read", state.RocksDbRestore.Ratio);
        result.Add("checkpoint_overhead_ratio", overhead.Ratio);
        result.Add("checkpoint_overhead_eps_with", overhead.FreshetMedian, 0);
        result.Add("checkpoint_overhead_eps_without", overhead.BaselineMedian, 0);
        result.Add("checkpoints_completed", Median.Of(checkpointsCompleted), 1);
        result.Add("checkpoints_failed", Median.Of(checkpointsFailed), 1);
        result.Add("checkpoint_last_state_bytes", Median.Of(lastStateBytes), 0);
        result.Add("checkpoint_last_sync_ms", Median.Of(lastSyncMs), 1);
        result.Add("checkpoint_last_async_ms", Median.Of(lastAsyncMs), 1);
        AddMetricsOverhead(result, metricsOverhead);
        result.Add("checkpoint_events", checkpointEvents, 0);
        result.Add("state_keys", stateKeys, 0);
        result.Add("events", events, 0);
        result.Add("reps", reps, 0);
        Console.WriteLine(result);
        return 0;
    }

    private static BenchEvent Event(long i) => new(i % Keys, i & 0xff, i);

    /// <summary>The p=2 tumbling job with and without a listener collecting the engine's meter every 100 ms, alternating, <paramref name="reps"/> times.</summary>
    private static (Comparison Comparison, double CollectionsMedian, double MeasurementsMedian) MetricsOverhead(long events, int reps)
    {
        var comparison = new Comparison($"tumbling 1 s p=2, {events:N0} events, meter collected every 100 ms", "events/s", "same job, no listener");
        var collections = new List<double>();
        var measurements = new List<double>();
        var loop = TumblingLoop(events);
        for (var rep = 0; rep < reps; rep++)
        {
            Progress($"metrics overhead rep {rep + 1}/{reps}");
            var (plain, collected, listener) = MetricsOverheadPair(events, collectedFirst: rep % 2 == 1);
            Check("tumbling p2 without a listener", plain, loop);
            Check("tumbling p2 with a listener", collected, loop);
            comparison.AddBaseline(events / plain.Seconds);
            comparison.AddFreshet(events / collected.Seconds);
            collections.Add(listener.Collections);
            measurements.Add(listener.Measurements);
            Progress($"  without {plain.Seconds:0.00} s, with {collected.Seconds:0.00} s ({listener.Collections} collections, {listener.Measurements} measurements)");
        }

        return (comparison, Median.Of(collections), Median.Of(measurements));
    }

    private static (Outcome Plain, Outcome Collected, (long Collections, long Measurements) Listener) MetricsOverheadPair(long events, bool collectedFirst)
    {
        var plain = collectedFirst ? default : TumblingJob(events, 2);
        (Outcome Outcome, long Collections, long Measurements) collected;
        using (var collection = new PeriodicMeterCollection(StreamEnvironment.MeterName, TimeSpan.FromMilliseconds(100)))
        {
            var outcome = TumblingJob(events, 2);
            collected = (outcome, collection.Collections, collection.Measurements);
        }

        if (collectedFirst)
        {
            plain = TumblingJob(events, 2);
        }

        return (plain, collected.Outcome, (collected.Collections, collected.Measurements));
    }

    private static void AddMetricsOverhead(ResultLine result, (Comparison Comparison, double CollectionsMedian, double MeasurementsMedian) overhead)
    {
        result.Add("metrics_overhead_ratio", overhead.Comparison.Ratio);
        result.Add("metrics_overhead_eps_with", overhead.Comparison.FreshetMedian, 0);
        result.Add("metrics_overhead_eps_without", overhead.Comparison.BaselineMedian, 0);
        result.Add("metrics_collections", overhead.CollectionsMedian, 0);
        result.Add("metrics_measurements", overhead.MeasurementsMedian, 0);
    }

    private static Outcome FilterMapJob(long events, int parallelism)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism });
        var sink = new CountingSink<long>(static v => v);
        env.FromGenerator(Event, events)
            .Filter(static e => (e.Value & 1) == 0)
            .Map(static e => e.Value + e.Key)
            .SinkTo(sink);
        var seconds = Execute(env);
        return new Outcome(seconds, sink.Count, sink.Checksum);
    }

    private static Outcome FilterMapLoop(long events)
    {
        var started = Stopwatch.GetTimestamp();
        long count = 0, sum = 0;
        for (long i = 0; i < events; i++)
        {
            var e = Event(i);
            if ((e.Value & 1) == 0)
            {
                count++;
                sum += e.Value + e.Key;
            }
        }

        return new Outcome(Stopwatch.GetElapsedTime(started).TotalSeconds, count, sum);
    }

    private static Outcome TumblingJob(long events, int parallelism) =>
        TumblingJob(new StreamEnvironmentOptions { Parallelism = parallelism }, events).Outcome;

    /// <summary>The p=1 tumbling job with a checkpoint every <paramref name="interval"/> into a scratch directory, deleted after the run.</summary>
    private static (Outcome Outcome, CheckpointMetrics Metrics) CheckpointedTumblingJob(long events, TimeSpan interval)
    {
        using var scratch = new ScratchDirectory();
        var options = new StreamEnvironmentOptions
        {
            Parallelism = 1,
            Checkpointing = new CheckpointingOptions { Directory = Path.Combine(scratch.Path, "checkpoints"), Interval = interval },
        };
        return TumblingJob(options, events);
    }

    private static (Outcome Outcome, CheckpointMetrics Metrics) TumblingJob(StreamEnvironmentOptions options, long events)
    {
        var env = StreamEnvironment.Create(options);
        var sink = new CountingSink<WindowCount>(static w => (w.Count * 31) + w.Sum + w.Key);
        env.FromGenerator(Event, events, WatermarkStrategy.ForMonotonousTimestamps<BenchEvent>().WithTimestampAssigner(static (e, _) => e.TimeMs))
            .KeyBy(static e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(WindowMs)))
            .Aggregate(new CountSumAggregate())
            .SinkTo(sink);
        var (seconds, job) = ExecuteJob(env);
        return (new Outcome(seconds, sink.Count, sink.Checksum), job.GetCheckpointMetrics());
    }

    /// <summary>The same query by hand: one dictionary of (count, sum) per key for the open window, emitted when time passes its end.</summary>
    private static Outcome TumblingLoop(long events)
    {
        var started = Stopwatch.GetTimestamp();
        var window = new Dictionary<long, (long Count, long Sum)>();
        long windowEnd = WindowMs, results = 0, checksum = 0;
        for (long i = 0; i < events; i++)
        {
            var e = Event(i);
            if (e.TimeMs >= windowEnd)
            {
                foreach (var (key, (count, sum)) in window)
                {
                    results++;
                    checksum += (count * 31) + sum + key;
                }

                window.Clear();
                windowEnd = ((e.TimeMs / WindowMs) + 1) * WindowMs;
            }

            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(window, e.Key, out _);
            slot = (slot.Count + 1, slot.Sum + e.Value);
        }

        foreach (var (key, (count, sum)) in window)
        {
            results++;
            checksum += (count * 31) + sum + key;
        }

        return new Outcome(Stopwatch.GetElapsedTime(started).TotalSeconds, results, checksum);
    }

    private static double Execute(StreamEnvironment env) => ExecuteJob(env).Seconds;

    private static (double Seconds, JobHandle Job) ExecuteJob(StreamEnvironment env)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var started = Stopwatch.GetTimestamp();
        var job = env.ExecuteAsync().GetAwaiter().GetResult();
        job.Completion.GetAwaiter().GetResult();
        return (Stopwatch.GetElapsedTime(started).TotalSeconds, job);
    }

    private static void Check(string name, Outcome job, Outcome loop)
    {
        if (job.Count != loop.Count || job.Checksum != loop.Checksum)
        {
            throw new InvalidOperationException($"{name}: the job produced {job.Count} results (checksum {job.Checksum}), the loop {loop.Count} ({loop.Checksum}).");
        }
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    private readonly record struct Outcome(double Seconds, long Count, long Checksum);
}
