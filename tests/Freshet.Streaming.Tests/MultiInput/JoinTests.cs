using CsCheck;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.MultiInput;

/// <summary>
/// Window join, coGroup and interval join against direct computations over the same input, on the heap and on RocksDB
/// (where the windows' tagged records of both sides and the interval join's buffers are serialized into the database).
/// </summary>
public sealed class JoinTests : IDisposable
{
    private const long Bound = 40;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-rocks-joins-" + Guid.NewGuid().ToString("N"));

    /// <summary>Events in emission order: sorted by time plus a jitter within <see cref="Bound"/>, so none is late.</summary>
    private static readonly Gen<Ev[]> Streams =
        Gen.Select(Gen.Int[0, 4], Gen.Long[0, 2000], Gen.Long[0, Bound], Gen.Long[0, 1000])
            .Array[0, 120]
            .Select(items => items
                .Select(x => (Event: new Ev("k" + x.Item1, x.Item2, x.Item4), Order: x.Item2 + x.Item3))
                .OrderBy(x => x.Order)
                .Select(x => x.Event)
                .ToArray());

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static WatermarkStrategy<Ev> EventTime() =>
        WatermarkStrategy.ForBoundedOutOfOrderness<Ev>(TimeSpan.FromMilliseconds(Bound)).WithTimestampAssigner((e, _) => e.Time);

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    public async Task Window_join_pairs_records_of_equal_key_in_the_same_window(int parallelism, bool rocksDb)
    {
        Ev[] left = [new("a", 100, 1), new("a", 900, 2), new("b", 100, 3), new("a", 1100, 4)];
        Ev[] right = [new("a", 500, 10), new("b", 1500, 30), new("a", 1999, 40), new("c", 0, 50)];
        var actual = await WindowJoinAsync(left, right, parallelism, rocksDb, 1000);

        // Window [0,1000): a × a → (1,10), (2,10); b has no partner. Window [1000,2000): a(4) × a(40); b(30) alone.
        Assert.Equal(["a 1+10 @999", "a 2+10 @999", "a 4+40 @1999"], actual);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    public void Window_join_of_random_streams_equals_a_nested_loop(int parallelism, bool rocksDb)
    {
        Gen.Select(Streams, Streams, Gen.Long[1, 500]).Sample(
            (left, right, size) =>
            {
                var expected =
                    (from l in left
                     from r in right
                     where l.Key == r.Key && Start(l.Time, size) == Start(r.Time, size)
                     select $"{l.Key} {l.Value}+{r.Value} @{Start(l.Time, size) + size - 1}").Order(StringComparer.Ordinal);
                Assert.Equal(expected, WindowJoinAsync(left, right, parallelism, rocksDb, size).GetAwaiter().GetResult());
            },
            iter: rocksDb ? 8 : 20,
            threads: 1);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    public async Task CoGroup_calls_once_per_key_and_window_with_either_side_possibly_empty(int parallelism, bool rocksDb)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism, StateBackend = Backend(rocksDb) });
        var sink = new CollectingSink<string>();
        var left = env.FromCollection(new Ev[] { new("a", 100, 1), new("a", 200, 2), new("b", 300, 3) }, EventTime());
        var right = env.FromCollection(new Ev[] { new("a", 400, 10), new("c", 500, 30), new("a", 1500, 40) }, EventTime());
        left.CoGroup(right)
            .Where(e => e.Key)
            .EqualTo(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Apply<string>((ls, rs, output) =>
                output.Collect($"{(ls.Count > 0 ? ls[0].Key : rs[0].Key)} L[{string.Join(",", ls.Select(l => l.Value).Order())}] R[{string.Join(",", rs.Select(r => r.Value).Order())}]"))
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(["a L[1,2] R[10]", "a L[] R[40]", "b L[3] R[]", "c L[] R[30]"], sink.Results.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    public async Task Interval_join_bounds_are_inclusive_unless_excluded(int parallelism, bool rocksDb)
    {
        Ev[] left = [new("a", 1000, 1), new("b", 1000, 2)];
        // Disordered only within the watermark bound (40 ms), so nothing is late.
        Ev[] right = [new("a", 900, 10), new("a", 899, 11), new("b", 1000, 15), new("c", 1000, 16), new("a", 1050, 14), new("a", 1201, 13), new("a", 1200, 12)];

        var inclusive = await IntervalJoinAsync(left, right, parallelism, rocksDb, -100, 200, excludeLower: false, excludeUpper: false);
        Assert.Equal(["a 1+10 @1000", "a 1+12 @1200", "a 1+14 @1050", "b 2+15 @1000"], inclusive);

        var exclusive = await IntervalJoinAsync(left, right, parallelism, rocksDb, -100, 200, excludeLower: true, excludeUpper: true);
        Assert.Equal(["a 1+14 @1050", "b 2+15 @1000"], exclusive);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    public void Interval_join_of_random_streams_equals_a_nested_loop(int parallelism, bool rocksDb)
    {
        Gen.Select(Streams, Streams, Gen.Long[-300, 300], Gen.Long[0, 300]).Sample(
            (left, right, lower, width) =>
            {
                var upper = lower + width;
                var expected =
                    (from l in left
                     from r in right
                     where l.Key == r.Key && r.Time >= l.Time + lower && r.Time <= l.Time + upper
                     select $"{l.Key} {l.Value}+{r.Value} @{Math.Max(l.Time, r.Time)}").Order(StringComparer.Ordinal);
                Assert.Equal(expected, IntervalJoinAsync(left, right, parallelism, rocksDb, lower, upper, false, false).GetAwaiter().GetResult());
            },
            iter: rocksDb ? 8 : 20,
            threads: 1);
    }

    [Fact]
    public void An_empty_or_inverted_interval_is_refused()
    {
        var env = StreamEnvironment.Create();
        var a = env.FromCollection(new[] { new Ev("a", 0, 0) }).KeyBy(e => e.Key);
        var b = env.FromCollection(new[] { new Ev("a", 0, 0) }).KeyBy(e => e.Key);
        Assert.Throws<ArgumentException>(() => a.IntervalJoin(b).Between(TimeSpan.FromSeconds(1), TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => a.IntervalJoin(b).Between(TimeSpan.Zero, TimeSpan.Zero).LowerBoundExclusive().Process((x, y) => 0));
    }

    private StateBackend Backend(bool rocksDb) => rocksDb ? StateBackend.RocksDb(_directory) : StateBackend.Heap;

    private static long Start(long time, long size) => time - (((time % size) + size) % size);

    private async Task<string[]> WindowJoinAsync(Ev[] left, Ev[] right, int parallelism, bool rocksDb, long sizeMs)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism, BatchSize = 7, BufferTimeout = TimeSpan.FromMilliseconds(1), StateBackend = Backend(rocksDb) });
        var sink = new TimestampedSink();
        env.FromGenerator(i => left[i], left.Length, EventTime())
            .Join(env.FromGenerator(i => right[i], right.Length, EventTime()))
            .Where(l => l.Key)
            .EqualTo(r => r.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(sizeMs)))
            .Apply((l, r) => $"{l.Key} {l.Value}+{r.Value}")
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        return sink.Results.Order(StringComparer.Ordinal).ToArray();
    }

    private async Task<string[]> IntervalJoinAsync(Ev[] left, Ev[] right, int parallelism, bool rocksDb, long lowerMs, long upperMs, bool excludeLower, bool excludeUpper)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism, BatchSize = 5, BufferTimeout = TimeSpan.FromMilliseconds(1), StateBackend = Backend(rocksDb) });
        var sink = new TimestampedSink();
        var joined = env.FromGenerator(i => left[i], left.Length, EventTime()).KeyBy(l => l.Key)
            .IntervalJoin(env.FromGenerator(i => right[i], right.Length, EventTime()).KeyBy(r => r.Key))
            .Between(TimeSpan.FromMilliseconds(lowerMs), TimeSpan.FromMilliseconds(upperMs));
        if (excludeLower)
        {
            joined.LowerBoundExclusive();
        }

        if (excludeUpper)
        {
            joined.UpperBoundExclusive();
        }

        joined.Process((l, r) => $"{l.Key} {l.Value}+{r.Value}").SinkTo(sink);
        await JobRunner.RunAsync(env);
        return sink.Results.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Collects each result with the event time the engine gave it: "text @time".</summary>
    private sealed class TimestampedSink : Sink<string>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _results = new();

        public IReadOnlyCollection<string> Results => _results;

        public override SinkWriter<string> CreateWriter(SinkContext context) => new Writer(_results);

        private sealed class Writer(System.Collections.Concurrent.ConcurrentQueue<string> results) : SinkWriter<string>
        {
            public override void Write(ReadOnlySpan<string> values, ReadOnlySpan<long> timestamps)
            {
                for (var i = 0; i < values.Length; i++)
                {
                    results.Enqueue($"{values[i]} @{timestamps[i]}");
                }
            }
        }
    }
}
