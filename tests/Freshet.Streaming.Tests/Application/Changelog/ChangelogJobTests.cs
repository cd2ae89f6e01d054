using System.Collections.Concurrent;
using Freshet.Streaming.Application.Changelog;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.Application.Changelog;

/// <summary>
/// A whole job on the changelog backend: every keyed operator (a process function, a rolling reduce, tumbling and
/// session windows) gives the heap run's results, keeps its keyed contents in logged state — window contents
/// included, over the heap too — and what it logged rebuilds its state elsewhere.
/// </summary>
public sealed class ChangelogJobTests : IDisposable
{
    private const int Events = 2_000;
    private const int Keys = 7;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-changelog-job-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("heap")]
    [InlineData("rocksdb")]
    public async Task Job_OnTheChangelogBackend_HeapResults_EveryKeyedOperatorLogsItsState(string inner)
    {
        var lastDrains = new ConcurrentQueue<(string Operator, IReadOnlyList<ChangelogStateChanges> Changes)>();
        var created = new ConcurrentQueue<string>();
        var backend = new ChangelogStateBackend(
            inner == "heap" ? StateBackend.Heap : StateBackend.RocksDb(_directory),
            created: b => created.Enqueue(b.OperatorName + "@" + b.OperatorUid),
            disposed: b => lastDrains.Enqueue((b.OperatorName, b.DrainChanges())));

        var onHeap = await RunAsync(StateBackend.Heap);
        var onChangelog = await RunAsync(backend);
        Assert.Equal(onHeap, onChangelog);
        Assert.Equal(["KeyedProcess", "Reduce", "Window(Aggregate)", "Window(Process)"], created.Select(c => c.Split('@')[0]).Distinct().Order(StringComparer.Ordinal));

        // Changelog topics are named after the operator's uid: one per operator, the same in both subtasks.
        var uids = created.Distinct().Select(c => c.Split('@')[1]).ToArray();
        Assert.Equal(4, uids.Length);
        Assert.All(uids, uid => Assert.NotEmpty(uid));
        Assert.Equal(4, uids.Distinct().Count());

        // Nothing was drained during the run, so the last drain holds every key each state ever wrote.
        var byState = lastDrains
            .SelectMany(d => d.Changes.Select(c => (Name: d.Operator + "/" + c.StateName, c.Records)))
            .GroupBy(c => c.Name)
            .ToDictionary(g => g.Key, g => g.SelectMany(c => c.Records).ToArray());
        Assert.Equal(["KeyedProcess/count", "Reduce/accumulators", "Window(Aggregate)/window-contents", "Window(Process)/window-contents"], byState.Keys.Order(StringComparer.Ordinal));

        // Every window fired and was cleared by the end of input: its contents' last record is a tombstone.
        Assert.NotEmpty(byState["Window(Aggregate)/window-contents"]);
        Assert.All(byState["Window(Aggregate)/window-contents"], r => Assert.Null(r.Value));
        Assert.All(byState["Window(Process)/window-contents"], r => Assert.Null(r.Value));

        // Window contents are keyed by (key, window) in the window operator's own key layout: the key's bytes, then the window's.
        var windowedKeys = new WindowedKeySerializer<string>(Serializers.Default<string>());
        Assert.All(byState["Window(Aggregate)/window-contents"], r => Assert.StartsWith("k", windowedKeys.Deserialize(r.Key).Key, StringComparison.Ordinal));
        var firstWindow = new WindowedKey<string>("k1", new TimeWindow(0, 100));
        Assert.Equal(windowedKeys.SerializeToArray(firstWindow), windowedKeys.SerializeToArray(new WindowedKey<string>(string.Concat("k", "1"), new TimeWindow(0, 100))));
        Assert.Contains(byState["Window(Aggregate)/window-contents"], r => r.Key.AsSpan().SequenceEqual(windowedKeys.SerializeToArray(firstWindow)));

        // The counts rebuild in a fresh backend from their changelog records alone.
        var key = new KeyContext<string>();
        using var replica = new ChangelogStateBackend(StateBackend.Heap).CreateKeyedBackend(new KeyedStateBackendParameters<string>
        {
            Key = key,
            MaxParallelism = 128,
            ProcessingTime = new ProcessingTimeService(TimeProvider.System),
            OperatorName = "KeyedProcess",
            SubtaskIndex = 0,
        });
        var counts = byState["KeyedProcess/count"];
        Assert.Equal(Keys, counts.Length);
        foreach (var record in counts)
        {
            ((IChangelogKeyedStateBackend)replica).ApplyChange("count", record.Key, record.Value);
        }

        var count = replica.GetValueState(new ValueStateDescriptor<long>("count"));
        for (var k = 0; k < Keys; k++)
        {
            key.Current = "k" + k;
            key.IsSet = true;
            Assert.Equal(Enumerable.Range(0, Events).Count(i => i % Keys == k), count.Value);
        }
    }

    private static async Task<List<string>> RunAsync(StateBackend backend)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2, StateBackend = backend });
        var sink = new CollectingSink<string>();
        var keyed = env.FromGenerator(i => new Ev("k" + (i % Keys), i * 3, i), Events, WatermarkStrategy.ForMonotonousTimestamps<Ev>().WithTimestampAssigner((e, _) => e.Time))
            .SetParallelism(1)
            .KeyBy(e => e.Key);
        keyed.Process(new Count()).SinkTo(sink);
        keyed.Reduce((a, b) => a with { Value = a.Value + b.Value }).Map(e => $"reduce {e.Key} {e.Value}").SinkTo(sink);
        keyed.Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100))).Aggregate(new CountSum()).Map(r => $"tumbling {r.Key} {r.Count} {r.Sum}").SinkTo(sink);
        keyed.Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(30))).Process(new Sizes()).SinkTo(sink);
        await JobRunner.RunAsync(env);
        return [.. sink.Results.Order(StringComparer.Ordinal)];
    }

    private sealed class Count : KeyedProcessFunction<string, Ev, string>
    {
        private ValueState<long>? _count;

        public override void Open(RuntimeContext context) => _count = context.GetState(new ValueStateDescriptor<long>("count"));

        public override void ProcessElement(Ev value, KeyedProcessContext<string> context, Collector<string> output)
        {
            _count!.Update(_count.Value + 1);
            output.Collect($"count {context.CurrentKey} {_count.Value}");
        }
    }

    private sealed class Sizes : ProcessWindowFunction<Ev, string, string>
    {
        public override void Process(string key, ProcessWindowContext context, IReadOnlyList<Ev> elements, Collector<string> output) =>
            output.Collect($"session {key} {context.Window} {elements.Count}");
    }
}
