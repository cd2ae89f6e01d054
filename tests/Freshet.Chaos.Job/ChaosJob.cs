using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Freshet.Log;
using Freshet.Log.Records;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.State;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Chaos.Job;

/// <summary>
/// The chaos test's job, run as its own process: reads the bounded topic <c>input</c> of the log in the data directory
/// (key = UTF-8 key, value = big-endian int64, timestamp = event time), keeps a running sum per key and a count and sum
/// per key and tumbling window, and writes both exactly-once to the topic <c>output</c> ("key=sum" and
/// "key@windowStart:count/sum"). Checkpoints every 100 ms into the given directory; started again after a kill it
/// resumes from the newest complete checkpoint. Prints "started" (with the restored checkpoint) once running and
/// "finished" at the end. Usage: <c>Freshet.Chaos.Job DATA_DIR CHECKPOINT_DIR heap|rocksdb [string|tuple]</c>: the
/// last argument picks the key type of both keyed operators, the record's key string (default) or the composite
/// <c>(key, 7)</c>, whose key group must also survive a restart in a new process. The output is the same for both.
/// </summary>
public static class ChaosJob
{
    /// <summary>Length of the tumbling windows (ms of event time).</summary>
    public const long WindowMs = 10_000;

    /// <summary>Runs the job; exit code 0 when it finished, 2 on wrong arguments.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length is not (3 or 4) || args[2] is not ("heap" or "rocksdb") || (args.Length == 4 && args[3] is not ("string" or "tuple")))
        {
            await Console.Error.WriteLineAsync("usage: Freshet.Chaos.Job DATA_DIR CHECKPOINT_DIR heap|rocksdb [string|tuple]");
            return 2;
        }

        using var store = LogStore.Open(args[0], new LogStoreOptions { BackgroundMaintenance = false });
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            StateBackend = args[2] == "rocksdb" ? StateBackend.RocksDb(Path.Combine(args[1], "rocksdb-work")) : StateBackend.Heap,
            Checkpointing = new CheckpointingOptions
            {
                Directory = args[1],
                Interval = TimeSpan.FromMilliseconds(100),
                RestartStrategy = RestartStrategy.None,
            },
        });
        var exactlyOnce = new LogSinkOptions { DeliveryGuarantee = DeliveryGuarantee.ExactlyOnce };
        var events = env.FromLogTopic(store, "input", Decode, new LogSourceOptions { Bounded = true }, WatermarkStrategy.ForMonotonousTimestamps<(string Key, long Value)>())
            .Uid("input");
        if (args.Length == 4 && args[3] == "tuple")
        {
            AddOperators(events, static e => (e.Key, 7), static k => k.Key, store, exactlyOnce);
        }
        else
        {
            AddOperators(events, static e => e.Key, static k => k, store, exactlyOnce);
        }

        var job = await env.ExecuteAsync("chaos");
        Console.WriteLine($"started restored={job.RestoredFrom?.CheckpointId ?? 0}");
        await job.Completion;
        store.Flush();
        Console.WriteLine("finished");
        return 0;
    }

    /// <summary>The running sum and the windows, both keyed by <paramref name="keyOf"/>; <paramref name="nameOf"/> gives the key's text in the output.</summary>
    private static void AddOperators<TKey>(DataStream<(string Key, long Value)> events, Func<(string Key, long Value), TKey> keyOf, Func<TKey, string> nameOf, LogStore store, LogSinkOptions exactlyOnce)
        where TKey : notnull
    {
        events.KeyBy(keyOf)
            .Process(new RunningSum<TKey>())
            .Uid("running-sum")
            .SinkToLogTopic(store, "output", s => (Encoding.UTF8.GetBytes(s[..s.IndexOf('=', StringComparison.Ordinal)]), Encoding.UTF8.GetBytes(s)), exactlyOnce)
            .Uid("sums-out");
        events.KeyBy(keyOf)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(WindowMs)))
            .Process(new CountAndSum<TKey>(nameOf))
            .Uid("windows")
            .SinkToLogTopic(store, "output", s => (Encoding.UTF8.GetBytes(s[..s.IndexOf('@', StringComparison.Ordinal)]), Encoding.UTF8.GetBytes(s)), exactlyOnce)
            .Uid("windows-out");
    }

    private static (string Key, long Value) Decode(LogRecord record) =>
        (Encoding.UTF8.GetString(record.Key!), BinaryPrimitives.ReadInt64BigEndian(record.Value));

    private sealed class RunningSum<TKey> : KeyedProcessFunction<TKey, (string Key, long Value), string>
    {
        private ValueState<long>? _sum;

        public override void Open(RuntimeContext context) => _sum = context.GetState(new ValueStateDescriptor<long>("sum"));

        public override void ProcessElement((string Key, long Value) value, KeyedProcessContext<TKey> context, Collector<string> output)
        {
            var sum = _sum!.Value + value.Value;
            _sum.Update(sum);
            output.Collect(string.Create(CultureInfo.InvariantCulture, $"{value.Key}={sum}"));
        }
    }

    private sealed class CountAndSum<TKey>(Func<TKey, string> nameOf) : ProcessWindowFunction<(string Key, long Value), string, TKey>
    {
        public override void Process(TKey key, ProcessWindowContext context, IReadOnlyList<(string Key, long Value)> elements, Collector<string> output) =>
            output.Collect(string.Create(CultureInfo.InvariantCulture, $"{nameOf(key)}@{context.Window.Start}:{elements.Count}/{elements.Sum(e => e.Value)}"));
    }
}
