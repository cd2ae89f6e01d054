using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.State;

/// <summary>List, map, reducing and aggregating state used from a <see cref="KeyedProcessFunction{TKey, TIn, TOut}"/> in a running job.</summary>
public sealed class KeyedStateJobTests
{
    [Theory]
    [InlineData("heap")]
    [InlineData("rocksdb")]
    public async Task Process_AllStateKinds_KeptPerKeyAcrossSubtasks(string backend)
    {
        var rocksDirectory = Path.Combine(Path.GetTempPath(), "freshet-rocks-job-" + Guid.NewGuid().ToString("N"));
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 3,
            StateBackend = backend == "heap" ? StateBackend.Heap : StateBackend.RocksDb(rocksDirectory),
        });
        var sink = new CollectingSink<string>();
        env.FromGenerator(i => new Ev("k" + (i % 20), i, i % 7), count: 2_000).SetParallelism(1)
            .KeyBy(e => e.Key)
            .Process(new Summary())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);

        // One source subtask keeps each key's records in index order; the last output of each key summarises all its 100 records.
        var last = sink.Results.GroupBy(r => r.Split('|')[0]).ToDictionary(g => g.Key, g => g.Last());
        Assert.Equal(20, last.Count);
        for (var k = 0; k < 20; k++)
        {
            var values = Enumerable.Range(0, 2_000).Where(i => i % 20 == k).Select(i => (long)(i % 7)).ToArray();
            var expected = $"k{k}|n={values.Length}|distinct={values.Distinct().Count()}|max={values.Max()}|sum={values.Sum()}|last3={string.Join(",", values[^3..])}";
            Assert.Equal(expected, last["k" + k]);
        }

        // The RocksDB working databases are scratch space, removed when the job ends.
        Assert.False(Directory.Exists(rocksDirectory) && Directory.EnumerateFileSystemEntries(rocksDirectory).Any());
    }

    [Fact]
    public async Task RocksDb_StateWithTimeToLive_RunsInAJob()
    {
        var directory = Path.Combine(Path.GetTempPath(), "freshet-rocks-ttl-" + Guid.NewGuid().ToString("N"));
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2, StateBackend = StateBackend.RocksDb(directory) });
        var sink = new CollectingSink<string>();
        env.FromCollection(new[] { new Ev("a", 0, 1), new Ev("b", 1, 1), new Ev("a", 2, 1), new Ev("a", 3, 1) }).KeyBy(e => e.Key).Process(new CountWithTimeToLive()).SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(["a=1", "a=2", "a=3", "b=1"], sink.Results.Order(StringComparer.Ordinal));
    }

    /// <summary>Counts records per key in a value state that expires a minute after its last update.</summary>
    private sealed class CountWithTimeToLive : KeyedProcessFunction<string, Ev, string>
    {
        private ValueState<int>? _count;

        public override void Open(RuntimeContext context)
        {
            var descriptor = new ValueStateDescriptor<int>("expiring");
            descriptor.EnableTimeToLive(new StateTtlConfig(TimeSpan.FromMinutes(1)));
            _count = context.GetState(descriptor);
        }

        public override void ProcessElement(Ev value, KeyedProcessContext<string> context, Collector<string> output)
        {
            _count!.Update(_count.Value + 1);
            output.Collect($"{context.CurrentKey}={_count.Value}");
        }
    }

    [Fact]
    public void GetListState_NonKeyedContext_NotSupportedWithMessage()
    {
        var context = new NonKeyedContext();
        var error = Assert.Throws<NotSupportedException>(() => context.GetListState(new ListStateDescriptor<int>("x")));
        Assert.Contains("keyed stream", error.Message, StringComparison.Ordinal);
    }

    private sealed class NonKeyedContext : RuntimeContext
    {
        public override int IndexOfThisSubtask => 0;

        public override int NumberOfParallelSubtasks => 1;

        public override ValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor) => throw new NotSupportedException();
    }

    private sealed class Summary : KeyedProcessFunction<string, Ev, string>
    {
        private ListState<long>? _recent;
        private MapState<long, int>? _distinct;
        private ReducingState<long>? _max;
        private AggregatingState<long, long>? _sum;
        private ValueState<int>? _count;

        public override void Open(RuntimeContext context)
        {
            _recent = context.GetListState(new ListStateDescriptor<long>("recent"));
            _distinct = context.GetMapState(new MapStateDescriptor<long, int>("distinct"));
            _max = context.GetReducingState(new ReducingStateDescriptor<long>("max", Math.Max));
            _sum = context.GetAggregatingState(new AggregatingStateDescriptor<long, long, long>("sum", new Sum()));
            _count = context.GetState(new ValueStateDescriptor<int>("count"));
        }

        public override void ProcessElement(Ev value, KeyedProcessContext<string> context, Collector<string> output)
        {
            var recent = _recent!.Get();
            _recent.Update(recent.Count < 3 ? [.. recent, value.Value] : [recent[1], recent[2], value.Value]);
            _distinct!.Put(value.Value, _distinct.TryGetValue(value.Value, out var seen) ? seen + 1 : 1);
            _max!.Add(value.Value);
            _sum!.Add(value.Value);
            _count!.Update(_count.Value + 1);
            output.Collect($"{value.Key}|n={_count.Value}|distinct={_distinct.Entries().Count}|max={_max.Get()}|sum={_sum.Get()}|last3={string.Join(",", _recent.Get())}");
        }
    }

    private sealed class Sum : IAggregateFunction<long, long, long>
    {
        public long CreateAccumulator() => 0;

        public long Add(long value, long accumulator) => accumulator + value;

        public long GetResult(long accumulator) => accumulator;

        public long Merge(long a, long b) => a + b;
    }
}
