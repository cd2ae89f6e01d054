using CsCheck;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.Windows;

/// <summary>
/// Random keyed event streams, disordered within the watermark bound, through tumbling, sliding and session windows at
/// parallelism 1 and 4 give exactly the results of a direct computation over the sorted input — on the heap (aligned
/// panes for tumbling and sliding windows) and on RocksDB (the general operator, contents in the database).
/// </summary>
public sealed class RandomizedWindowTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-rocks-randomized-" + Guid.NewGuid().ToString("N"));

    private const long Bound = 50;

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Events in emission order: sorted by event time plus a jitter in [0, Bound], so none is late.</summary>
    private static readonly Gen<Ev[]> Streams =
        Gen.Select(Gen.Int[0, 5], Gen.Long[-500, 3000], Gen.Long[0, Bound], Gen.Long[-100, 100])
            .Array[0, 400]
            .Select(items => items
                .Select(x => (Event: new Ev("k" + x.Item1, x.Item2, x.Item4), Order: x.Item2 + x.Item3))
                .OrderBy(x => x.Order)
                .Select(x => x.Event)
                .ToArray());

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    public void Tumbling_RandomDisorderedStreams_EqualReference(int parallelism, bool rocksDb)
    {
        Gen.Select(Streams, Gen.Int[1, 64], Gen.Long[1, 300]).Sample(
            (events, batchSize, size) =>
            {
                var actual = Run(events, parallelism, rocksDb, batchSize, TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(size)));
                Assert.Equal(Reference(events, size, size), actual);
            },
            iter: rocksDb ? 10 : 25,
            threads: 1);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    public void Sliding_RandomDisorderedStreams_EqualReference(int parallelism, bool rocksDb)
    {
        Gen.Select(Streams, Gen.Int[1, 64], Gen.Long[1, 100], Gen.Int[1, 4]).Sample(
            (events, batchSize, slide, factor) =>
            {
                var size = slide * factor;
                var actual = Run(events, parallelism, rocksDb, batchSize, SlidingEventTimeWindows.Of(TimeSpan.FromMilliseconds(size), TimeSpan.FromMilliseconds(slide)));
                Assert.Equal(Reference(events, size, slide), actual);
            },
            iter: rocksDb ? 10 : 25,
            threads: 1);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    public void Session_RandomDisorderedStreams_EqualReference(int parallelism, bool rocksDb)
    {
        Gen.Select(Streams, Gen.Int[1, 64], Gen.Long[1, 200]).Sample(
            (events, batchSize, gap) =>
            {
                var actual = Run(events, parallelism, rocksDb, batchSize, EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(gap)));
                Assert.Equal(SessionReference(events, gap), actual);
            },
            iter: rocksDb ? 10 : 25,
            threads: 1);
    }

    /// <summary>
    /// Sessions computed directly: per key, records sorted by time open [t, t + gap); a record whose window starts at
    /// or before the current session's end (overlapping or touching, as Flink merges) extends it.
    /// </summary>
    private static string[] SessionReference(Ev[] events, long gap)
    {
        var sessions = new List<string>();
        foreach (var byKey in events.GroupBy(e => e.Key))
        {
            long start = 0, end = long.MinValue, count = 0, sum = 0;
            foreach (var e in byKey.OrderBy(e => e.Time))
            {
                if (count > 0 && e.Time <= end)
                {
                    end = Math.Max(end, e.Time + gap);
                }
                else
                {
                    if (count > 0)
                    {
                        sessions.Add($"{byKey.Key} [{start}, {end}) {count} {sum}");
                    }

                    (start, end, count, sum) = (e.Time, e.Time + gap, 0, 0);
                }

                count++;
                sum += e.Value;
            }

            sessions.Add($"{byKey.Key} [{start}, {end}) {count} {sum}");
        }

        return sessions.Order(StringComparer.Ordinal).ToArray();
    }

    private string[] Run(Ev[] events, int parallelism, bool rocksDb, int batchSize, WindowAssigner assigner)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = parallelism,
            BatchSize = batchSize,
            BufferTimeout = TimeSpan.FromMilliseconds(1),
            StateBackend = rocksDb ? StateBackend.RocksDb(_directory) : StateBackend.Heap,
        });
        var sink = new CollectingSink<string>();
        env.FromGenerator(i => events[i], events.Length, WatermarkStrategy.ForBoundedOutOfOrderness<Ev>(TimeSpan.FromMilliseconds(Bound)).WithTimestampAssigner((e, _) => e.Time))
            .KeyBy(e => e.Key)
            .Window(assigner)
            .Aggregate(new CountSum(), new Describe())
            .SinkTo(sink);
        var job = env.ExecuteAsync().GetAwaiter().GetResult();
        job.Completion.Wait(JobRunner.Deadline);
        Assert.True(job.Completion.IsCompletedSuccessfully, job.Completion.Exception?.ToString());
        return sink.Results.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The windows of each event computed directly: every start s = k·slide with s ≤ t &lt; s + size.</summary>
    private static string[] Reference(Ev[] events, long size, long slide)
    {
        var windows = new Dictionary<(string Key, long Start), (long Count, long Sum)>();
        foreach (var e in events.OrderBy(e => e.Time))
        {
            var firstStart = (long)Math.Floor((double)(e.Time - size + 1) / slide) * slide;
            for (var start = firstStart; start <= e.Time; start += slide)
            {
                if (start + size <= e.Time)
                {
                    continue;
                }

                windows.TryGetValue((e.Key, start), out var cs);
                windows[(e.Key, start)] = (cs.Count + 1, cs.Sum + e.Value);
            }
        }

        return windows.Select(w => $"{w.Key.Key} [{w.Key.Start}, {w.Key.Start + size}) {w.Value.Count} {w.Value.Sum}").Order(StringComparer.Ordinal).ToArray();
    }

    private sealed class Describe : ProcessWindowFunction<(string Key, long Count, long Sum), string, string>
    {
        public override void Process(string key, ProcessWindowContext context, IReadOnlyList<(string Key, long Count, long Sum)> elements, Collector<string> output)
        {
            var r = elements[0];
            output.Collect($"{key} {context.Window} {r.Count} {r.Sum}");
        }
    }
}
