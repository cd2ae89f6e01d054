using System.Buffers.Binary;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.State.RocksDb;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;
using Freshet.Streaming.Windows.Triggers;

namespace Freshet.Streaming.Tests.Windows;

/// <summary>
/// Windows on <see cref="StateBackend.RocksDb"/>: the general window operator keeps every (key, window)'s contents in
/// the subtask's RocksDB database until the window is purged, and a job gives exactly the heap run's results (where
/// tumbling and sliding windows use the aligned heap operator) — also with disorder, allowed lateness, late side
/// output, sessions, custom triggers and window functions that see every record.
/// </summary>
public sealed class RocksDbWindowTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-rocks-windows-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("tumbling")]
    [InlineData("sliding")]
    [InlineData("sessions")]
    [InlineData("process")]
    [InlineData("late")]
    [InlineData("count-trigger")]
    public async Task WindowJob_OnRocksDb_EqualsTheHeapRun(string kind)
    {
        var heap = await RunAsync(kind, StateBackend.Heap);
        var rocks = await RunAsync(kind, StateBackend.RocksDb(_directory));
        Assert.True(heap.Count > 10, $"{heap.Count} results");
        Assert.Equal(kind == "late", heap.Any(r => r.StartsWith("late:", StringComparison.Ordinal)));
        Assert.Equal(heap.Order(StringComparer.Ordinal), rocks.Order(StringComparer.Ordinal));

        // The working databases are scratch space, removed when the job ends.
        Assert.False(Directory.Exists(_directory) && Directory.EnumerateFileSystemEntries(_directory).Any());
    }

    [Fact]
    public void AggregateContents_OnRocksDb_LiveInTheSubtaskDatabaseUntilTheirWindowFires()
    {
        var processingTime = new ProcessingTimeService(new ManualClock(0));
        var setup = OperatorSetups.For(StateBackend.RocksDb(_directory), processingTime, "windows");
        var results = new CollectingOperator<(string Key, long Count, long Sum)>(setup);
        var countSum = new CountSum();
        var op = new TriggerDrivenWindowOperator<string, Ev, (string, long, long), (string Key, long Count, long Sum)>(
            setup,
            e => e.Key,
            TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100)),
            EventTimeTrigger.Create<Ev>(),
            0,
            new AggregateWindowContents<string, Ev, (string, long, long)>(setup, countSum.CreateAccumulator, countSum.Add, countSum.Merge),
            new AggregateResultEmitter<string, Ev, (string, long, long), (string, long, long)>(countSum),
            results,
            null);

        // 50 keys × 10 windows of 100 ms, 2 records each, none fired yet.
        OperatorSetups.Feed(op, Enumerable.Range(0, 1_000).Select(i => (new Ev("k" + (i % 50), i, 1), (long)i)));
        var store = StoreOf(op.Contents);
        Assert.Equal(500, op.WindowCount);
        Assert.Equal(500, StoredEntries(store).Count);
        Assert.Empty(results.Records);

        op.Watermark(499);
        Assert.Equal(250, results.Records.Count);
        Assert.Equal(250, StoredEntries(store).Count);
        op.Watermark(long.MaxValue);
        Assert.Equal(500, results.Records.Count);
        Assert.All(results.Records, r => Assert.Equal(2, r.Value.Count));
        Assert.Empty(StoredEntries(store));

        op.Close();
        Assert.False(Directory.Exists(store.WorkingDirectory));
    }

    [Fact]
    public void ElementLists_OnRocksDb_LiveInTheSubtaskDatabaseAndFireInArrivalOrder()
    {
        var processingTime = new ProcessingTimeService(new ManualClock(0));
        var setup = OperatorSetups.For(StateBackend.RocksDb(_directory), processingTime, "process");
        var results = new CollectingOperator<string>(setup);
        var op = new TriggerDrivenWindowOperator<string, Ev, IReadOnlyList<Ev>, string>(
            setup,
            e => e.Key,
            SlidingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(50)),
            EventTimeTrigger.Create<Ev>(),
            0,
            new ListWindowContents<string, Ev>(setup),
            new ProcessWindowEmitter<string, IReadOnlyList<Ev>, Ev, string>(new Listing(), static (elements, _) => elements, processingTime),
            results,
            null);

        // 20 keys; times 0..399, so each record is in two sliding windows: 20 keys × 9 windows hold 800 elements.
        OperatorSetups.Feed(op, Enumerable.Range(0, 400).Select(i => (new Ev("k" + (i % 20), i, i), (long)i)));
        var store = StoreOf(op.Contents);
        var entries = StoredEntries(store);
        Assert.Equal(180, entries.Count);
        Assert.Equal(800, entries.Sum(value => BinaryPrimitives.ReadInt32BigEndian(value)));

        op.Watermark(long.MaxValue);
        Assert.Empty(StoredEntries(store));
        Assert.Equal(180, results.Records.Count);
        var first = results.Records.Single(r => r.Value.StartsWith("k3@[0, 100):", StringComparison.Ordinal)).Value;
        Assert.Equal("k3@[0, 100):3,23,43,63,83", first);
        op.Close();
    }

    [Fact]
    public void Restore_TumblingWindowsCheckpointedOnTheOtherBackend_RefusedNamingBoth()
    {
        var processingTime = new ProcessingTimeService(new ManualClock(0));
        var records = Enumerable.Range(0, 100).Select(i => (new Ev("k" + (i % 5), i, 1), (long)i)).ToArray();

        // Heap: aligned panes (section "windows") → RocksDB, where the general operator serves the same windows.
        var heapSetup = OperatorSetups.For(StateBackend.Heap, processingTime);
        var heap = Aligned(heapSetup);
        OperatorSetups.Feed(heap, records);
        var panes = new RestoredOperatorState(1, [heap.SnapshotState(1)!().ToDictionary(s => s.Name, s => s.Bytes)]);
        var rocks = General(OperatorSetups.For(StateBackend.RocksDb(_directory), processingTime));
        Assert.Contains("windows", rocks.StateSections);
        var intoRocks = Assert.Throws<InvalidOperationException>(() => rocks.RestoreState(panes));
        Assert.Contains("checkpointed with the heap state backend (as aligned panes, section 'windows') and cannot be restored into the RocksDB backend", intoRocks.Message, StringComparison.Ordinal);

        // RocksDB: contents in keyed state → heap, where the aligned operator would take them.
        OperatorSetups.Feed(rocks, records);
        var contents = new RestoredOperatorState(2, [rocks.SnapshotState(2)!().ToDictionary(s => s.Name, s => s.Bytes)]);
        rocks.Close();
        var aligned = Aligned(heapSetup);
        Assert.All(contents.Subtasks[0]!.Keys, section => Assert.Contains(section, aligned.StateSections));
        var intoHeap = Assert.Throws<InvalidOperationException>(() => aligned.RestoreState(contents));
        Assert.Contains("checkpointed with the RocksDB state backend (contents in keyed state) and cannot be restored into the heap backend", intoHeap.Message, StringComparison.Ordinal);

        AlignedWindowAggregateOperator<string, Ev, (string, long, long), (string, long, long)> Aligned(Freshet.Streaming.Operators.OperatorSetup setup) =>
            new(setup, e => e.Key, TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)), 0, new CountSum().CreateAccumulator, new CountSum().Add, new AggregateResultEmitter<string, Ev, (string, long, long), (string, long, long)>(new CountSum()), new CollectingOperator<(string, long, long)>(setup), null);

        TriggerDrivenWindowOperator<string, Ev, (string, long, long), (string, long, long)> General(Freshet.Streaming.Operators.OperatorSetup setup) =>
            new(setup, e => e.Key, TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)), EventTimeTrigger.Create<Ev>(), 0, new AggregateWindowContents<string, Ev, (string, long, long)>(setup, new CountSum().CreateAccumulator, new CountSum().Add, new CountSum().Merge), new AggregateResultEmitter<string, Ev, (string, long, long), (string, long, long)>(new CountSum()), new CollectingOperator<(string, long, long)>(setup), null);
    }

    /// <summary>Runs one windowed pipeline on <paramref name="backend"/> over a disordered stream, one record per batch, and returns its results with their event times.</summary>
    private static async Task<List<string>> RunAsync(string kind, StateBackend backend)
    {
        var options = JobRunner.PerRecord(parallelism: 2);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = options.Parallelism,
            BatchSize = options.BatchSize,
            BufferTimeout = options.BufferTimeout,
            StateBackend = backend,
        });
        var sink = new CollectingSink<string>();
        var lateSink = new CollectingSink<Ev>();
        var late = new OutputTag<Ev>("late");

        // Six keys; times advance 5 ms per record with up to 35 ms of disorder, and every 50th record is 400 ms late.
        var input = Enumerable.Range(0, 600).Select(i => new Ev("k" + (i % 6), (i * 5) + ((i * 7) % 36) - (i % 50 == 49 ? 400 : 0), i)).ToArray();
        var keyed = env.FromCollection(input, WatermarkStrategy.ForBoundedOutOfOrderness<Ev>(TimeSpan.FromMilliseconds(30)).WithTimestampAssigner((e, _) => e.Time)).KeyBy(e => e.Key);
        static string Format((string Key, long Count, long Sum) r) => $"{r.Key}|{r.Count}|{r.Sum}";
        DataStream<string> windowed = kind switch
        {
            "tumbling" => keyed.Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100))).Aggregate(new CountSum()).Map(Format),
            "sliding" => keyed.Window(SlidingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(30))).Aggregate(new CountSum()).Map(Format),
            "sessions" => keyed.Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(20))).Aggregate(new CountSum()).Map(Format),
            "process" => keyed.Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100))).Process(new Listing()),
            "count-trigger" => keyed.Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(200))).Trigger(PurgingTrigger.Of(CountTrigger.Of<Ev>(7))).Aggregate(new CountSum()).Map(Format),
            "late" => LateWindows(keyed, late, lateSink).Map(Format),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        windowed.SinkTo(sink);
        await JobRunner.RunAsync(env);
        return [.. sink.TimestampedResults.Select(r => $"{r.Value}@{r.Timestamp}"), .. lateSink.Results.Select(e => $"late:{e}")];
    }

    private static DataStream<(string Key, long Count, long Sum)> LateWindows(KeyedStream<string, Ev> keyed, OutputTag<Ev> late, CollectingSink<Ev> lateSink)
    {
        var windowed = keyed.Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100)))
            .AllowedLateness(TimeSpan.FromMilliseconds(150))
            .SideOutputLateData(late)
            .Aggregate(new CountSum());
        windowed.GetSideOutput(late).SinkTo(lateSink);
        return windowed;
    }

    private static RocksDbStateStore StoreOf<TIn, TAcc>(WindowContents<string, TIn, TAcc> contents) =>
        ((RocksDbKeyedStateBackend<WindowedKey<string>>)contents.Backend).Store ?? throw new InvalidOperationException("The window contents have no RocksDB database.");

    /// <summary>The stored values of the window contents' column family, read from the database itself.</summary>
    private static List<byte[]> StoredEntries(RocksDbStateStore store)
    {
        var values = new List<byte[]>();
        using var iterator = store.NewIterator(store.ColumnFamily(WindowContents<string, Ev, object>.StateName));
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            values.Add(iterator.Value());
        }

        return values;
    }

    /// <summary>Lists a window's values in the order the window function receives them.</summary>
    private sealed class Listing : ProcessWindowFunction<Ev, string, string>
    {
        public override void Process(string key, ProcessWindowContext context, IReadOnlyList<Ev> elements, Collector<string> output) =>
            output.Collect($"{key}@{context.Window}:{string.Join(",", elements.Select(e => e.Value))}");
    }
}
